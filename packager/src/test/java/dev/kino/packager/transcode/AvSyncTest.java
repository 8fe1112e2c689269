package dev.kino.packager.transcode;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.packaging.Protection;
import dev.kino.packager.Clips;
import dev.kino.packager.Packager;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.junit.jupiter.api.Assertions.*;

/** Audio/video alignment of packaged titles, measured by decoding the output with FFmpeg. */
class AvSyncTest {
    static final LadderSpec SPEC = new LadderSpec(List.of(new RungSpec(180, 200_000)), 2, 2, false, 2);
    static final Packager PACKAGER = new Packager(new ContentKeyWrapper(new byte[16]),
            TranscodeOptions.defaults().withPreset("veryfast"));

    @TempDir
    Path root;

    /** First decoded frame's presentation time (seconds) and, for audio, the time the tone starts. */
    record Decoded(double firstPts, double onset) {
    }

    static Decoded decode(Path file, int type) {
        AVFormatContext fmt = new AVFormatContext(null);
        assertTrue(avformat_open_input(fmt, file.toString(), null, null) >= 0);
        AVPacket pkt = av_packet_alloc();
        AVFrame f = av_frame_alloc();
        AVCodecContext dec = null;
        try {
            avformat_find_stream_info(fmt, (org.bytedeco.javacpp.PointerPointer<?>) null);
            int idx = av_find_best_stream(fmt, type, -1, -1, (AVCodec) null, 0);
            assertTrue(idx >= 0);
            AVStream st = fmt.streams(idx);
            AVCodec codec = avcodec_find_decoder(st.codecpar().codec_id());
            dec = avcodec_alloc_context3(codec);
            avcodec_parameters_to_context(dec, st.codecpar());
            dec.pkt_timebase(st.time_base());
            assertTrue(avcodec_open2(dec, codec, (AVDictionary) null) >= 0);
            double tb = av_q2d(st.time_base());
            double first = Double.NaN;
            double onset = Double.NaN;
            boolean eof = false;
            while (Double.isNaN(onset) && !eof) {
                if (av_read_frame(fmt, pkt) >= 0) {
                    if (pkt.stream_index() == idx) {
                        avcodec_send_packet(dec, pkt);
                    }
                    av_packet_unref(pkt);
                } else {
                    avcodec_send_packet(dec, null);
                    eof = true;
                }
                while (avcodec_receive_frame(dec, f) >= 0) {
                    double t = f.best_effort_timestamp() * tb;
                    if (Double.isNaN(first)) {
                        first = t;
                    }
                    if (type == AVMEDIA_TYPE_VIDEO) {
                        onset = first;
                    } else if (Double.isNaN(onset)) {
                        assertEquals(AV_SAMPLE_FMT_FLTP, f.format());
                        FloatPointer ch0 = new FloatPointer(f.data(0));
                        for (int i = 0; i < f.nb_samples(); i++) {
                            if (Math.abs(ch0.get(i)) > 0.05) {
                                onset = t + (double) i / f.sample_rate();
                                break;
                            }
                        }
                    }
                    av_frame_unref(f);
                }
            }
            return new Decoded(first, onset);
        } finally {
            av_frame_free(f);
            av_packet_free(pkt);
            if (dec != null) {
                avcodec_free_context(dec);
            }
            avformat_close_input(fmt);
        }
    }

    /** Concatenates a rendition's init segment and media segments into one fragmented MP4. */
    static Path joined(Path title, String rendition, Path out) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(Files.readAllBytes(title.resolve(rendition).resolve("init.mp4")));
        try (Stream<Path> s = Files.list(title.resolve(rendition))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList()) {
                b.writeBytes(Files.readAllBytes(p));
            }
        }
        return Files.write(out, b.toByteArray());
    }

    @Test
    void firstAudioSampleMeetsFirstVideoFrame() throws Exception {
        Path title = PACKAGER.run(new PackagingRequest(List.of(Clips.mp4()), "sync-1", root, SPEC, Protection.NONE),
                PackagingListener.NONE).folder();
        byte[] init = Files.readAllBytes(title.resolve("audio-und/init.mp4"));
        assertTrue(new String(init, java.nio.charset.StandardCharsets.ISO_8859_1).contains("elst"),
                "the audio header carries an edit list");
        Decoded v = decode(joined(title, "video-180p", root.resolve("v.mp4")), AVMEDIA_TYPE_VIDEO);
        Decoded a = decode(joined(title, "audio-und", root.resolve("a.mp4")), AVMEDIA_TYPE_AUDIO);
        // FFmpeg's mov demuxer adds -min(composition offset) to every pts of a track with negative trun v1
        // offsets (its dts_shift); MSE and AVFoundation use tfdt + offset as written. Undo that shift here.
        byte[] seg = Files.readAllBytes(title.resolve("video-180p/seg-00001.m4s"));
        var moof = dev.kino.packager.cmaf.TestBoxes.parse(seg);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(seg);
        long tfdt = b.getLong(moof.find("moof/traf/tfdt").payload() + 4);
        int trun = moof.find("moof/traf/trun").payload();
        int n = b.getInt(trun + 4);
        long dts = tfdt;
        long earliest = Long.MAX_VALUE;
        int minCto = 0;
        for (int i = 0; i < n; i++) {
            int cto = b.getInt(trun + 12 + 16 * i + 12);
            earliest = Math.min(earliest, dts + cto);
            minCto = Math.min(minCto, cto);
            dts += b.getInt(trun + 12 + 16 * i) & 0xffffffffL;
        }
        assertEquals(0, earliest, "the video's first presentation time is 0");
        double videoFirst = v.firstPts() + minCto / 90_000.0;
        assertEquals(0.0, videoFirst, 1e-9);
        assertEquals(videoFirst, a.firstPts(), 0.001, "first audio sample at the first video frame");
        // the source's tone starts at its first sample: so must the packaged audio (priming removed)
        Decoded src = decode(Clips.mp4(), AVMEDIA_TYPE_AUDIO);
        assertEquals(src.onset(), a.onset(), 0.003);
    }

    @Test
    void lateAudioInTheSourceStaysLate() throws Exception {
        Path src = delayedAudio(Clips.mp4(), root.resolve("late.mkv"), 200);
        Path title = PACKAGER.run(new PackagingRequest(List.of(src), "sync-2", root, SPEC, Protection.NONE),
                PackagingListener.NONE).folder();
        Decoded a = decode(joined(title, "audio-und", root.resolve("a.mp4")), AVMEDIA_TYPE_AUDIO);
        assertEquals(0.0, a.firstPts(), 0.001, "silence fills the start");
        assertEquals(0.200, a.onset(), 0.005, "the tone starts 200 ms after the first video frame");
    }

    @Test
    void earlyAudioInTheSourceIsTrimmed() throws Exception {
        Path src = delayedAudio(Clips.mp4(), root.resolve("early.mkv"), -200);
        Path title = PACKAGER.run(new PackagingRequest(List.of(src), "sync-3", root, SPEC, Protection.NONE),
                PackagingListener.NONE).folder();
        Decoded a = decode(joined(title, "audio-und", root.resolve("a.mp4")), AVMEDIA_TYPE_AUDIO);
        assertEquals(0.0, a.firstPts(), 0.001);
        assertEquals(0.0, a.onset(), 0.003, "the tone was already playing at the first video frame");
    }

    /** Remuxes video + audio into Matroska with the audio moved by {@code ms} milliseconds. */
    static Path delayedAudio(Path in, Path out, long ms) {
        AVFormatContext ic = new AVFormatContext(null);
        AVFormatContext oc = new AVFormatContext(null);
        assertTrue(avformat_open_input(ic, in.toString(), null, null) >= 0);
        avformat_find_stream_info(ic, (org.bytedeco.javacpp.PointerPointer<?>) null);
        assertTrue(avformat_alloc_output_context2(oc, null, "matroska", out.toString()) >= 0);
        AVPacket pkt = av_packet_alloc();
        try {
            for (int i = 0; i < ic.nb_streams(); i++) {
                AVStream os = avformat_new_stream(oc, null);
                avcodec_parameters_copy(os.codecpar(), ic.streams(i).codecpar());
                os.codecpar().codec_tag(0);
                os.time_base(av_make_q(1, 1000));
            }
            AVIOContext pb = new AVIOContext(null);
            assertTrue(avio_open(pb, out.toString(), AVIO_FLAG_WRITE) >= 0);
            oc.pb(pb);
            // keep the video at 0 and the shift exact: no automatic shifting of negative timestamps
            AVDictionary opts = new AVDictionary(null);
            av_dict_set(opts, "avoid_negative_ts", "disabled", 0);
            assertTrue(avformat_write_header(oc, opts) >= 0);
            av_dict_free(opts);
            while (av_read_frame(ic, pkt) >= 0) {
                int si = pkt.stream_index();
                av_packet_rescale_ts(pkt, ic.streams(si).time_base(), oc.streams(si).time_base());
                if (ic.streams(si).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                    pkt.pts(pkt.pts() + ms);
                    pkt.dts(pkt.dts() + ms);
                }
                pkt.pos(-1);
                assertTrue(av_interleaved_write_frame(oc, pkt) >= 0);
            }
            assertTrue(av_write_trailer(oc) >= 0);
        } finally {
            av_packet_free(pkt);
            avformat_close_input(ic);
            avio_closep(oc.pb());
            avformat_free_context(oc);
        }
        return out;
    }
}
