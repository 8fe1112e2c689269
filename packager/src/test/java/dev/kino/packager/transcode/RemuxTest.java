package dev.kino.packager.transcode;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.packaging.Protection;
import dev.kino.packager.Packager;
import dev.kino.packager.TestMedia;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingProgress;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.packager.output.SegmentedTrack;
import dev.kino.packager.source.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Remux-only rungs: a source rung made from the source's own H.264 packets when its keyframes line up with the
 * segments, an encode (with a log line saying why) when they do not.
 */
class RemuxTest {
    private static final Packager PACKAGER = new Packager(new ContentKeyWrapper(new byte[16]),
            TranscodeOptions.defaults().withPreset("veryfast"));
    /** 2 s segments and GOPs; the 360p rung has the source's size, the 180p rung does not. */
    private static final LadderSpec SPEC = new LadderSpec(List.of(new RungSpec(360, 800_000),
            new RungSpec(180, 200_000)), 2, 2, false, 2);

    @TempDir
    Path root;

    /** 640x360 25 fps H.264 High (x264 veryfast, B-frames), keyframe every {@code gop} frames, + AAC, 5 s. */
    private static Path source(Path dir, String name, int gop) throws Exception {
        Path out = dir.resolve(name);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), 640, 360, 1)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setFrameRate(25);
            rec.setGopSize(gop);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setVideoOption("preset", "veryfast");
            rec.setVideoOption("profile", "high");
            rec.setVideoOption("x264-params", "scenecut=0:keyint_min=" + gop);
            rec.setVideoBitrate(500_000);
            rec.setAudioCodec(AV_CODEC_ID_AAC);
            rec.setSampleRate(48000);
            rec.setAudioChannels(1);
            rec.setAudioBitrate(64_000);
            rec.start();
            for (int i = 0; i < 125; i++) {
                rec.record(TestMedia.pattern(640, 360, i), AV_PIX_FMT_BGR24);
            }
            int total = 5 * 48000;
            for (int off = 0; off < total; off += 1024) {
                java.nio.ShortBuffer buf = java.nio.ShortBuffer.allocate(Math.min(1024, total - off));
                while (buf.hasRemaining()) {
                    buf.put((short) (8000 * Math.sin(2 * Math.PI * 440 * (off + buf.position()) / 48000.0)));
                }
                buf.flip();
                rec.recordSamples(48000, 1, buf);
            }
            rec.stop();
        }
        return out;
    }

    private static final class Log implements PackagingListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void progress(PackagingProgress progress) {
        }

        @Override
        public void log(String message) {
            lines.add(message);
        }
    }

    /** @return the video packets of a file, in decode order, with their key flags (first byte of each array) */
    private static List<byte[]> videoPackets(Path file, List<Boolean> keys) {
        Ffmpeg.init();
        AVFormatContext fmt = new AVFormatContext(null);
        assertTrue(avformat_open_input(fmt, file.toString(), null, (AVDictionary) null) >= 0, "opens " + file);
        AVPacket pkt = av_packet_alloc();
        List<byte[]> out = new ArrayList<>();
        try {
            assertTrue(avformat_find_stream_info(fmt, (org.bytedeco.javacpp.PointerPointer<?>) null) >= 0);
            int v = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
            assertTrue(v >= 0);
            while (av_read_frame(fmt, pkt) >= 0) {
                if (pkt.stream_index() == v) {
                    byte[] b = new byte[pkt.size()];
                    pkt.data().get(b);
                    out.add(b);
                    if (keys != null) {
                        keys.add((pkt.flags() & AV_PKT_FLAG_KEY) != 0);
                    }
                }
                av_packet_unref(pkt);
            }
        } finally {
            av_packet_free(pkt);
            avformat_close_input(fmt);
        }
        return out;
    }

    private static List<Path> segments(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".m4s")).sorted().toList();
        }
    }

    private static Path concat(Path out, Path init, List<Path> segs) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(Files.readAllBytes(init));
        for (Path s : segs) {
            b.write(Files.readAllBytes(s));
        }
        return Files.write(out, b.toByteArray());
    }

    @Test
    void sourceSizedRungIsRemuxedByteForByteAndEverySegmentStartsWithAnIdr() throws Exception {
        Path src = source(root, "gop2s.mp4", 50);
        Log log = new Log();
        Path out = root.resolve("out");
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(src), "remux-1", out, SPEC, Protection.NONE),
                log);
        assertEquals(List.of("video-360p"), r.remuxedRenditions(), log.lines.toString());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("video-360p: remuxed")), log.lines.toString());
        Path dir = r.folder();
        Path v = dir.resolve("video-360p");
        List<Path> segs = segments(v);
        assertEquals(3, segs.size(), "5 s in 2 s segments");

        List<byte[]> source = videoPackets(src, null);
        List<byte[]> written = videoPackets(concat(root.resolve("all.mp4"), v.resolve(SegmentedTrack.INIT), segs),
                null);
        assertEquals(source.size(), written.size(), "one sample per source packet");
        for (int i = 0; i < source.size(); i++) {
            assertArrayEquals(source.get(i), written.get(i), "sample " + i + " is the source's packet");
        }
        for (Path s : segs) {
            List<Boolean> keys = new ArrayList<>();
            List<byte[]> first = videoPackets(concat(root.resolve("one.mp4"), v.resolve(SegmentedTrack.INIT),
                    List.of(s)), keys);
            assertTrue(keys.get(0), s + " starts with a sync sample");
            assertTrue(SourceRemux.hasIdr(first.get(0)), s + " starts with an IDR access unit");
        }
        // the encoded rung's segments start at the same times
        assertEquals(segs.size(), segments(dir.resolve("video-180p")).size());
        String master = Files.readString(dir.resolve("master.m3u8"));
        assertTrue(master.contains("avc1.64"), "the source's High profile avcC is carried: " + master);
    }

    @Test
    void remuxedRungIsEncryptedAndVerifiedLikeTheOthers() throws Exception {
        Path src = source(root, "gop2s.mp4", 50);
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(src), "remux-2", root.resolve("out"), SPEC,
                Protection.BOTH), new Log());
        assertEquals(List.of("video-360p"), r.remuxedRenditions());
        assertTrue(Files.exists(r.folder().resolve("cenc/video-360p/seg-00001.m4s")));
    }

    @Test
    void keyframesOffTheSegmentGridFallBackToAnEncodeAndSaySo() throws Exception {
        Path src = source(root, "gop30.mp4", 30); // keyframes every 1.2 s: none at 2 s
        Log log = new Log();
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(src), "remux-3", root.resolve("out"), SPEC,
                Protection.NONE), log);
        assertEquals(List.of(), r.remuxedRenditions());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("video-360p: encoded, not remuxed")
                && l.contains("segment boundary")), log.lines.toString());
        assertEquals(r.log(), log.lines);
    }

    @Test
    void remuxOnlyTitleStillGetsThumbnailsAndAudio() throws Exception {
        Path src = source(root, "gop2s.mp4", 50);
        LadderSpec one = new LadderSpec(List.of(new RungSpec(360, 800_000)), 2, 2, false, 2);
        PackagingResult r = PACKAGER.run(new PackagingRequest(List.of(src), "remux-4", root.resolve("out"), one,
                Protection.NONE), new Log());
        assertEquals(List.of("video-360p"), r.remuxedRenditions());
        assertEquals(5.0, r.durationSeconds(), 0.05);
        assertTrue(Files.size(r.folder().resolve("poster.jpg")) > 0);
        assertTrue(Files.readString(r.folder().resolve("thumbnails.vtt")).contains("00:00:04.000 --> 00:00:05.000"),
                Files.readString(r.folder().resolve("thumbnails.vtt")));
    }

    @Test
    void remuxCanBeTurnedOff() throws Exception {
        Path src = source(root, "gop2s.mp4", 50);
        Packager p = new Packager(new ContentKeyWrapper(new byte[16]),
                TranscodeOptions.defaults().withPreset("veryfast").withRemux(false));
        PackagingResult r = p.run(new PackagingRequest(List.of(src), "remux-5", root.resolve("out"), SPEC,
                Protection.NONE), new Log());
        assertEquals(List.of(), r.remuxedRenditions());
    }
}
