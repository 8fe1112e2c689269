package dev.kino.packager.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.packaging.Protection;
import dev.kino.packager.Clips;
import dev.kino.packager.Packager;
import dev.kino.packager.cmaf.TestBoxes;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.packager.source.MediaInfo;
import dev.kino.packager.source.SourceProbe;
import dev.kino.packager.transcode.TranscodeOptions;
import dev.kino.protocol.hls.MediaPlaylist;
import dev.kino.protocol.hls.MultivariantPlaylist;
import dev.kino.protocol.hls.PlaylistParser;
import dev.kino.protocol.hls.RenditionType;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end: each kind of input the packager must take (container, video codec, audio codec, no audio, odd size,
 * variable frame rate) is packaged into a published title whose playlists and MPD parse and whose renditions decode
 * with FFmpeg, with the audio in sync with the video. The clips are small (≤ 427x241, 2–3 s) and made once per JVM.
 */
class SourceFormatsTest {
    static final LadderSpec SPEC = new LadderSpec(List.of(new RungSpec(360, 600_000), new RungSpec(180, 200_000)),
            2, 2, false, 2);
    static final Packager PACKAGER = new Packager(new ContentKeyWrapper(new byte[16]),
            TranscodeOptions.defaults().withPreset("ultrafast"));

    @TempDir
    Path root;

    @Test
    void movContainer() throws Exception {
        Path dir = packageAndCheck(Clips.mov(), "mov-1", SPEC, List.of("320x180"), 1);
        assertTrue(SourceProbe.probe(Clips.mov()).container().contains("mov"));
        assertAudioInSync(Clips.mov(), dir, "audio-und");
    }

    @Test
    void hevcVideo() throws Exception {
        assertEquals("hevc", SourceProbe.probe(Clips.hevc()).video().get(0).codec());
        Path dir = packageAndCheck(Clips.hevc(), "hevc-1", SPEC, List.of("320x180"), 1);
        assertAudioInSync(Clips.hevc(), dir, "audio-und");
    }

    @Test
    void av1Video() throws Exception {
        assertEquals("av1", SourceProbe.probe(Clips.av1()).video().get(0).codec());
        Path dir = packageAndCheck(Clips.av1(), "av1-1", SPEC, List.of("320x180"), 1);
        assertAudioInSync(Clips.av1(), dir, "audio-und");
    }

    @Test
    void mp3Audio() throws Exception {
        assertEquals("mp3", SourceProbe.probe(Clips.mp3()).audio().get(0).codec());
        Path dir = packageAndCheck(Clips.mp3(), "mp3-1", SPEC, List.of("320x180"), 1);
        assertAudioInSync(Clips.mp3(), dir, "audio-und");
    }

    @Test
    void ac3SurroundAudio() throws Exception {
        MediaInfo info = SourceProbe.probe(Clips.ac3());
        assertEquals("ac3", info.audio().get(0).codec());
        assertEquals(6, info.audio().get(0).channels());
        Path dir = packageAndCheck(Clips.ac3(), "ac3-1", SPEC, List.of("320x180"), 1);
        assertAudioInSync(Clips.ac3(), dir, "audio-und");
        Decoded a = decode(joined(dir, "audio-und"), AVMEDIA_TYPE_AUDIO);
        assertEquals(2, a.channels(), "5.1 is downmixed to stereo");
    }

    @Test
    void videoWithoutAudio() throws Exception {
        assertTrue(SourceProbe.probe(Clips.videoOnly()).audio().isEmpty());
        Path dir = packageAndCheck(Clips.videoOnly(), "silent-1", SPEC, List.of("320x180"), 0);
        String master = Files.readString(dir.resolve("master.m3u8"));
        assertFalse(master.contains("TYPE=AUDIO"), master);
        assertFalse(master.contains("AUDIO=\""), master);
        String mpd = Files.readString(dir.resolve("manifest.mpd"));
        assertFalse(mpd.contains("audio/mp4"), mpd);
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("audio")));
        }
    }

    @Test
    void oddSizeGetsEvenRungs() throws Exception {
        var v = SourceProbe.probe(Clips.oddSize()).video().get(0);
        assertEquals(427, v.width());
        assertEquals(241, v.height());
        // with the source rung: 240p at the source's own (even) size, and 180p whose width 318.9 rounds to 318
        Path dir = packageAndCheck(Clips.oddSize(), "odd-1", new LadderSpec(SPEC.rungs(), 2, 2, true, 2),
                List.of("426x240", "318x180"), 0);
        JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        for (JsonNode x : m.path("video")) {
            assertEquals(0, x.path("width").asInt() % 2, x.toString());
            assertEquals(0, x.path("height").asInt() % 2, x.toString());
        }
        assertEquals(2, m.path("video").size());
    }

    @Test
    void variableFrameRate() throws Exception {
        Path src = Clips.vfr();
        long[] ms = Clips.vfrFrameMs();
        // the source really is variable: its packet durations are 100, 20 and 47 ms
        List<Long> srcPts = packetTimesMs(src);
        assertEquals(ms.length, srcPts.size());
        for (int i = 0; i < ms.length; i++) {
            assertEquals(ms[i] - ms[0], srcPts.get(i) - srcPts.get(0), "source frame " + i);
        }
        Path dir = packageAndCheck(src, "vfr-1", SPEC, List.of("320x180"), 1);

        // every frame keeps its own time: the flash is where the source put it, the tone starts with it
        double flash = (Clips.vfrFlashMs() - ms[0]) / 1000.0;
        Decoded v = decode(joined(dir, "video-180p"), AVMEDIA_TYPE_VIDEO);
        Decoded a = decode(joined(dir, "audio-und"), AVMEDIA_TYPE_AUDIO);
        assertEquals(ms.length, v.frames());
        assertEquals(flash, v.flash() - v.firstPts(), 0.001, "the white frame keeps its time");
        assertEquals(0.0, a.firstPts(), 0.001);
        assertEquals(flash, a.onset() - a.firstPts(), 0.005, "the tone starts with the white frame");

        // segments start on keyframes: each one decodes on its own, starting with a key frame; the first boundary is
        // the first frame at or after 2 s (2.005 s), not 2.0 s
        MediaPlaylist p = PlaylistParser.parseMedia(Files.readString(dir.resolve("video-180p.m3u8")));
        assertEquals(2, p.segments().size());
        double firstBoundary = java.util.Arrays.stream(ms).filter(x -> x - ms[0] >= 2000).findFirst().orElseThrow()
                / 1000.0 - ms[0] / 1000.0;
        assertEquals(firstBoundary, p.segments().get(0).duration().toNanos() / 1e9, 1e-6);
        // the DASH timeline too: the second segment starts at the IDR (90 kHz), not where the decode times got to
        String mpd = Files.readString(dir.resolve("manifest.mpd"));
        assertTrue(mpd.contains("<S t=\"0\" d=\"" + Math.round(firstBoundary * 90_000) + "\"/>"), mpd);
        int total = 0;
        for (int i = 1; i <= p.segments().size(); i++) {
            Path seg = dir.resolve("video-180p").resolve(String.format("seg-%05d.m4s", i));
            byte[] bytes = Files.readAllBytes(seg);
            TestBoxes.Box moof = TestBoxes.parse(bytes);
            int samples = ByteBuffer.wrap(bytes).getInt(moof.find("moof/traf/trun").payload() + 4);
            Path alone = root.resolve("alone-" + i + ".mp4");
            Files.write(alone, concat(Files.readAllBytes(dir.resolve("video-180p/init.mp4")), bytes));
            Decoded d = decode(alone, AVMEDIA_TYPE_VIDEO);
            assertEquals(samples, d.frames(), "segment " + i + " decodes completely on its own");
            assertTrue(d.firstKey(), "segment " + i + " starts with a key frame");
            total += samples;
        }
        assertEquals(ms.length, total);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Packages {@code src} without protection and checks the published title: only the title folder remains; the
     * master playlist, every media playlist and the MPD parse; durations match the source; the video renditions
     * have the expected sizes and decode to the source's frame count; each audio rendition decodes.
     */
    private Path packageAndCheck(Path src, String id, LadderSpec spec, List<String> sizes, int audioTracks)
            throws Exception {
        MediaInfo info = SourceProbe.probe(src);
        PackagingHandle h = PACKAGER.start(new PackagingRequest(List.of(src), id, root, spec, Protection.NONE),
                PackagingListener.NONE);
        PackagingResult r = h.await();
        assertEquals(PackagingProgress.Phase.DONE, h.progress().phase());
        Path dir = root.resolve(id);
        assertEquals(dir, r.folder());
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(id), s.map(p -> p.getFileName().toString()).toList(), "only the published title");
        }
        Decoded sv = decode(src, AVMEDIA_TYPE_VIDEO);
        long sourceFrames = sv.frames();
        // what the source's video lasts: first frame to the end of the last one (the container's own duration may
        // be wrong: the JavaCV-made Matroska clips claim about one second more than they hold)
        double seconds = sv.lastPts() - sv.firstPts() + info.video().get(0).frameRate().frameSeconds();

        MultivariantPlaylist master = PlaylistParser.parseMultivariant(Files.readString(dir.resolve("master.m3u8")));
        assertEquals(sizes.size(), master.variants().size());
        assertEquals(audioTracks, master.renditions().stream().filter(x -> x.type() == RenditionType.AUDIO).count());
        List<String> uris = new ArrayList<>();
        master.variants().forEach(x -> uris.add(x.uri()));
        master.renditions().forEach(x -> x.uri().ifPresent(uris::add));
        for (String uri : uris) {
            String text = Files.readString(dir.resolve(uri));
            MediaPlaylist p = PlaylistParser.parseMedia(text);
            double total = p.segments().stream().mapToDouble(x -> x.duration().toNanos() / 1e9).sum();
            assertEquals(seconds, total, 0.1, uri + ":\n" + text);
        }

        Document mpd = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("manifest.mpd").toFile());
        NodeList reps = mpd.getElementsByTagName("Representation");
        assertEquals(sizes.size() + audioTracks, reps.getLength());
        List<String> mpdSizes = new ArrayList<>();
        for (int i = 0; i < reps.getLength(); i++) {
            Element e = (Element) reps.item(i);
            if (!e.getAttribute("width").isEmpty()) {
                mpdSizes.add(e.getAttribute("width") + "x" + e.getAttribute("height"));
            }
        }
        assertEquals(sizes, mpdSizes);

        JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        assertEquals(sizes.size(), m.path("video").size());
        assertEquals(audioTracks, m.path("audio").size());
        int audioSeen = 0;
        for (String name : r.renditions()) {
            if (name.startsWith("video-")) {
                Decoded d = decode(joined(dir, name), AVMEDIA_TYPE_VIDEO);
                assertEquals(sourceFrames, d.frames(), name + " has every source frame");
                assertTrue(sizes.contains(d.width() + "x" + d.height()), name + " is " + d.width() + "x" + d.height());
                assertEquals(0, d.width() % 2);
                assertEquals(0, d.height() % 2);
            } else if (name.startsWith("audio-")) {
                audioSeen++;
                Decoded d = decode(joined(dir, name), AVMEDIA_TYPE_AUDIO);
                assertTrue(d.frames() > 0, name);
                assertEquals(seconds, d.lastPts() - d.firstPts(), 0.1, name + " lasts as long as the video");
            }
        }
        assertEquals(audioTracks, audioSeen);
        return dir;
    }

    /**
     * The packaged tone starts where the source's does, relative to the first video frame (the title's origin).
     */
    private void assertAudioInSync(Path src, Path dir, String audio) throws Exception {
        Decoded sv = decode(src, AVMEDIA_TYPE_VIDEO);
        Decoded sa = decode(src, AVMEDIA_TYPE_AUDIO);
        Decoded a = decode(joined(dir, audio), AVMEDIA_TYPE_AUDIO);
        assertEquals(0.0, a.firstPts(), 0.001, "audio starts at the title's origin");
        double expected = Math.max(0, sa.onset() - sv.firstPts());
        assertEquals(expected, a.onset(), 0.005, "the tone starts as in the source");
    }

    /** What decoding one stream gives. Times in seconds; {@code flash} is the first all-white frame's time. */
    record Decoded(int frames, int width, int height, int channels, double firstPts, double lastPts,
                   boolean firstKey, double flash, double onset) {
    }

    static Decoded decode(Path file, int type) {
        AVFormatContext fmt = new AVFormatContext(null);
        assertTrue(avformat_open_input(fmt, file.toString(), null, null) >= 0, file.toString());
        AVPacket pkt = av_packet_alloc();
        AVFrame f = av_frame_alloc();
        AVCodecContext dec = null;
        try {
            assertTrue(avformat_find_stream_info(fmt, (org.bytedeco.javacpp.PointerPointer<?>) null) >= 0);
            int idx = av_find_best_stream(fmt, type, -1, -1, (AVCodec) null, 0);
            assertTrue(idx >= 0, file + " has the stream");
            AVStream st = fmt.streams(idx);
            AVCodec codec = avcodec_find_decoder(st.codecpar().codec_id());
            dec = avcodec_alloc_context3(codec);
            avcodec_parameters_to_context(dec, st.codecpar());
            dec.pkt_timebase(st.time_base());
            dec.err_recognition(AV_EF_EXPLODE);
            assertTrue(avcodec_open2(dec, codec, (AVDictionary) null) >= 0);
            double tb = av_q2d(st.time_base());
            int frames = 0;
            int w = 0;
            int h = 0;
            int ch = 0;
            boolean key = false;
            double first = Double.NaN;
            double last = Double.NaN;
            double flash = Double.NaN;
            double onset = Double.NaN;
            boolean eof = false;
            while (!eof) {
                if (av_read_frame(fmt, pkt) >= 0) {
                    if (pkt.stream_index() == idx) {
                        assertTrue(avcodec_send_packet(dec, pkt) >= 0, file + ": a packet does not decode");
                    }
                    av_packet_unref(pkt);
                } else {
                    avcodec_send_packet(dec, null);
                    eof = true;
                }
                int ret;
                while ((ret = avcodec_receive_frame(dec, f)) >= 0) {
                    double t = f.best_effort_timestamp() * tb;
                    if (frames == 0) {
                        first = t;
                        key = (f.flags() & (1 << 1)) != 0; // AV_FRAME_FLAG_KEY
                        w = f.width();
                        h = f.height();
                    }
                    frames++;
                    if (type == AVMEDIA_TYPE_VIDEO) {
                        last = t;
                        if (Double.isNaN(flash) && meanLuma(f) > 200) {
                            flash = t;
                        }
                    } else {
                        ch = f.ch_layout().nb_channels();
                        last = t + (double) f.nb_samples() / f.sample_rate();
                        if (Double.isNaN(onset)) {
                            onset = onset(f, t);
                        }
                    }
                    av_frame_unref(f);
                }
                assertTrue(ret == AVERROR_EAGAIN() || ret == AVERROR_EOF(), file + ": decoding failed: " + ret);
            }
            return new Decoded(frames, w, h, ch, first, last, key, flash, onset);
        } finally {
            av_frame_free(f);
            av_packet_free(pkt);
            if (dec != null) {
                avcodec_free_context(dec);
            }
            avformat_close_input(fmt);
        }
    }

    /** Mean of the Y plane, sampled every 4th pixel; needs an 8-bit planar YUV frame. */
    private static double meanLuma(AVFrame f) {
        BytePointer y = f.data(0);
        long sum = 0;
        long n = 0;
        for (int r = 0; r < f.height(); r += 4) {
            for (int c = 0; c < f.width(); c += 4) {
                sum += y.get((long) r * f.linesize(0) + c) & 0xff;
                n++;
            }
        }
        return (double) sum / n;
    }

    /** The time of the first sample louder than -26 dBFS in channel 0, or NaN. */
    private static double onset(AVFrame f, double t) {
        int fmt = f.format();
        for (int i = 0; i < f.nb_samples(); i++) {
            double v;
            if (fmt == AV_SAMPLE_FMT_FLTP || fmt == AV_SAMPLE_FMT_FLT) {
                v = new FloatPointer(f.data(0)).get(i * (fmt == AV_SAMPLE_FMT_FLT ? f.ch_layout().nb_channels() : 1));
            } else if (fmt == AV_SAMPLE_FMT_S16P || fmt == AV_SAMPLE_FMT_S16) {
                v = new org.bytedeco.javacpp.ShortPointer(f.data(0))
                        .get(i * (fmt == AV_SAMPLE_FMT_S16 ? f.ch_layout().nb_channels() : 1)) / 32768.0;
            } else {
                throw new AssertionError("sample format " + fmt);
            }
            if (Math.abs(v) > 0.05) {
                return t + (double) i / f.sample_rate();
            }
        }
        return Double.NaN;
    }

    /** Presentation times (ms, container time base) of the source's video packets, in decode order. */
    private static List<Long> packetTimesMs(Path file) {
        AVFormatContext fmt = new AVFormatContext(null);
        assertTrue(avformat_open_input(fmt, file.toString(), null, null) >= 0);
        AVPacket pkt = av_packet_alloc();
        List<Long> out = new ArrayList<>();
        try {
            avformat_find_stream_info(fmt, (org.bytedeco.javacpp.PointerPointer<?>) null);
            int idx = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            AVStream st = fmt.streams(idx);
            while (av_read_frame(fmt, pkt) >= 0) {
                if (pkt.stream_index() == idx) {
                    out.add(av_rescale_q(pkt.pts(), st.time_base(), av_make_q(1, 1000)));
                }
                av_packet_unref(pkt);
            }
        } finally {
            av_packet_free(pkt);
            avformat_close_input(fmt);
        }
        return out;
    }

    /** Joins a rendition's init segment and media segments into one fragmented MP4 in the temporary folder. */
    private Path joined(Path title, String rendition) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(Files.readAllBytes(title.resolve(rendition).resolve("init.mp4")));
        try (Stream<Path> s = Files.list(title.resolve(rendition))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList()) {
                b.writeBytes(Files.readAllBytes(p));
            }
        }
        Path out = root.resolve("joined-" + title.getFileName() + "-" + rendition + ".mp4");
        return Files.write(out, b.toByteArray());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
