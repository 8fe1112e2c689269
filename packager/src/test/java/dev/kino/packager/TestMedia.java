package dev.kino.packager;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/** Makes small test clips from lavfi sources with JavaCV, and remuxes them with libavformat. */
public final class TestMedia {
    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private TestMedia() {
    }

    /** A clip description. */
    public record Spec(String format, int videoCodec, int audioCodec, int width, int height, int fps,
                       double seconds, int audioFrequency, String pixFmtName) {
        public static Spec mp4(int w, int h, int fps, double seconds) {
            return new Spec("mp4", AV_CODEC_ID_H264, AV_CODEC_ID_AAC, w, h, fps, seconds, 440, null);
        }

        public Spec withFormat(String f) {
            return new Spec(f, videoCodec, audioCodec, width, height, fps, seconds, audioFrequency, pixFmtName);
        }

        public Spec withCodecs(int v, int a) {
            return new Spec(format, v, a, width, height, fps, seconds, audioFrequency, pixFmtName);
        }

        public Spec withAudio(int freq) {
            return new Spec(format, videoCodec, audioCodec, width, height, fps, seconds, freq, pixFmtName);
        }
    }

    /** Records a clip; videoCodec 0 means no video, audioFrequency 0 means no audio. */
    public static Path record(Path out, Spec s) throws Exception {
        return record(out, s, 1);
    }

    /** Records a clip with {@code channels} audio channels (the same tone in each). */
    public static Path record(Path out, Spec s, int channels) throws Exception {
        boolean hasVideo = s.videoCodec() != 0;
        boolean hasAudio = s.audioFrequency() > 0;
        int rate = s.audioCodec() == AV_CODEC_ID_OPUS ? 48000 : 48000;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), hasVideo ? s.width() : 0,
                hasVideo ? s.height() : 0, hasAudio ? channels : 0)) {
            rec.setFormat(s.format());
            if (hasVideo) {
                rec.setVideoCodec(s.videoCodec());
                rec.setFrameRate(s.fps());
                rec.setGopSize(s.fps());
                rec.setPixelFormat(AV_PIX_FMT_YUV420P);
                if (s.videoCodec() == AV_CODEC_ID_H264) {
                    rec.setVideoOption("preset", "ultrafast");
                } else if (s.videoCodec() == AV_CODEC_ID_VP9) {
                    rec.setVideoOption("deadline", "realtime");
                    rec.setVideoOption("cpu-used", "8");
                } else if (s.videoCodec() == AV_CODEC_ID_HEVC) {
                    rec.setVideoOption("preset", "ultrafast");
                    rec.setVideoOption("x265-params", "log-level=error");
                } else if (s.videoCodec() == AV_CODEC_ID_AV1) {
                    // libaom-av1 (3.9.1 in this build) corrupts the heap with usage=realtime: keep "good" usage
                    rec.setVideoOption("cpu-used", "8");
                }
                rec.setVideoBitrate(400_000);
            }
            if (hasAudio) {
                rec.setAudioCodec(s.audioCodec());
                rec.setSampleRate(rate);
                rec.setAudioChannels(channels);
                rec.setAudioBitrate(64_000);
            }
            rec.start();
            if (hasVideo) {
                int frames = (int) Math.round(s.seconds() * s.fps());
                for (int i = 0; i < frames; i++) {
                    rec.record(pattern(s.width(), s.height(), i), AV_PIX_FMT_BGR24);
                }
            }
            if (hasAudio) {
                int total = (int) Math.round(s.seconds() * rate);
                for (int off = 0; off < total; off += 1024) {
                    int n = Math.min(1024, total - off);
                    java.nio.ShortBuffer buf = java.nio.ShortBuffer.allocate(n * channels);
                    for (int k = 0; k < n; k++) {
                        short v = (short) (8000 * Math.sin(2 * Math.PI * s.audioFrequency() * (off + k) / rate));
                        for (int c = 0; c < channels; c++) {
                            buf.put(v);
                        }
                    }
                    buf.flip();
                    rec.recordSamples(rate, channels, buf);
                }
            }
            rec.stop();
        }
        return out;
    }

    /**
     * Records variable-frame-rate H.264 (ultrafast, no B-frames) + AAC: one video frame at each of
     * {@code frameMs} (milliseconds, increasing), the frame at {@code flashMs} all white, and a mono 440 Hz tone
     * starting exactly at {@code flashMs} (silence before), so a player in sync shows the flash as the tone starts.
     */
    public static Path recordVfr(Path out, String format, int w, int h, long[] frameMs, long flashMs, double seconds)
            throws Exception {
        int rate = 48000;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 1)) {
            rec.setFormat(format);
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setFrameRate(1000); // time base 1/1000: setTimestamp places each frame to the millisecond
            rec.setGopSize(1000);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setVideoOption("preset", "ultrafast");
            rec.setVideoOption("crf", "23");
            rec.setAudioCodec(AV_CODEC_ID_AAC);
            rec.setSampleRate(rate);
            rec.setAudioChannels(1);
            rec.setAudioBitrate(64_000);
            rec.start();
            for (int i = 0; i < frameMs.length; i++) {
                Frame f = pattern(w, h, i);
                if (frameMs[i] == flashMs) {
                    java.nio.ByteBuffer b = (java.nio.ByteBuffer) f.image[0];
                    for (int k = 0; k < b.capacity(); k++) {
                        b.put(k, (byte) 255);
                    }
                }
                rec.setTimestamp(frameMs[i] * 1000);
                rec.record(f, AV_PIX_FMT_BGR24);
            }
            int total = (int) Math.round(seconds * rate);
            long onset = flashMs * rate / 1000;
            for (int off = 0; off < total; off += 1024) {
                int n = Math.min(1024, total - off);
                java.nio.ShortBuffer buf = java.nio.ShortBuffer.allocate(n);
                for (int k = 0; k < n; k++) {
                    long t = off + k;
                    buf.put(t < onset ? 0 : (short) (8000 * Math.sin(2 * Math.PI * 440 * (t - onset) / rate)));
                }
                buf.flip();
                rec.recordSamples(rate, 1, buf);
            }
            rec.stop();
        }
        return out;
    }

    /**
     * Encodes a video-only clip straight with libavcodec, at any size (JavaCV's recorder rounds odd sizes up to
     * even): a moving gradient with a moving box in 8-bit 4:2:0, {@code frames} frames at {@code fps}.
     */
    public static Path encodeRaw(Path out, String muxer, String encoder, int w, int h, int fps, int frames,
                                 java.util.Map<String, String> options) {
        AVFormatContext oc = new AVFormatContext(null);
        check(avformat_alloc_output_context2(oc, null, muxer, out.toString()));
        org.bytedeco.ffmpeg.avcodec.AVCodec codec = avcodec_find_encoder_by_name(encoder);
        if (codec == null || codec.isNull()) {
            throw new IllegalStateException("no encoder " + encoder);
        }
        org.bytedeco.ffmpeg.avcodec.AVCodecContext c = avcodec_alloc_context3(codec);
        org.bytedeco.ffmpeg.avutil.AVFrame f = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        try {
            c.width(w);
            c.height(h);
            c.pix_fmt(AV_PIX_FMT_YUV420P);
            c.time_base(av_make_q(1, fps));
            c.framerate(av_make_q(fps, 1));
            c.gop_size(fps);
            c.bit_rate(400_000);
            if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            org.bytedeco.ffmpeg.avutil.AVDictionary opts = new org.bytedeco.ffmpeg.avutil.AVDictionary(null);
            options.forEach((k, v) -> av_dict_set(opts, k, v, 0));
            check(avcodec_open2(c, codec, opts));
            av_dict_free(opts);
            AVStream st = avformat_new_stream(oc, null);
            check(avcodec_parameters_from_context(st.codecpar(), c));
            st.time_base(c.time_base());
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE));
            oc.pb(pb);
            check(avformat_write_header(oc, (org.bytedeco.ffmpeg.avutil.AVDictionary) null));
            f.format(AV_PIX_FMT_YUV420P);
            f.width(w);
            f.height(h);
            check(av_frame_get_buffer(f, 0));
            for (int i = 0; i <= frames; i++) {
                if (i < frames) {
                    check(av_frame_make_writable(f));
                    int bx = (i * 7) % Math.max(1, w - w / 5);
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            boolean box = x >= bx && x < bx + w / 5 && y >= h / 3 && y < h / 3 + h / 4;
                            f.data(0).put((long) y * f.linesize(0) + x,
                                    (byte) (box ? 235 : 16 + ((x + i * 3) * 200 / w) % 200));
                        }
                    }
                    for (int y = 0; y < (h + 1) / 2; y++) {
                        for (int x = 0; x < (w + 1) / 2; x++) {
                            f.data(1).put((long) y * f.linesize(1) + x, (byte) (64 + y * 128 / h));
                            f.data(2).put((long) y * f.linesize(2) + x, (byte) (64 + x * 128 / w));
                        }
                    }
                    f.pts(i);
                    check(avcodec_send_frame(c, f));
                } else {
                    check(avcodec_send_frame(c, null));
                }
                while (avcodec_receive_packet(c, pkt) >= 0) {
                    av_packet_rescale_ts(pkt, c.time_base(), st.time_base());
                    pkt.stream_index(0);
                    check(av_interleaved_write_frame(oc, pkt));
                }
            }
            check(av_write_trailer(oc));
        } finally {
            av_packet_free(pkt);
            av_frame_free(f);
            avcodec_free_context(c);
            if (oc.pb() != null && !oc.pb().isNull()) {
                avio_closep(oc.pb());
            }
            avformat_free_context(oc);
        }
        return out;
    }

    /** A BGR24 test picture: moving gradient, moving box, frame-number stripes. */
    public static Frame pattern(int w, int h, int i) {
        Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
        java.nio.ByteBuffer b = (java.nio.ByteBuffer) f.image[0];
        int stride = f.imageStride;
        int bx = (i * 7) % Math.max(1, w - w / 5);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = y * stride + x * 3;
                boolean box = x >= bx && x < bx + w / 5 && y >= h / 3 && y < h / 3 + h / 4;
                boolean stripe = y < h / 10 && ((x * 16 / w) < 16) && (((i >> (x * 16 / w)) & 1) == 1);
                int v = box || stripe ? 255 : ((x + i * 3) * 255 / Math.max(1, w)) & 0xff;
                b.put(o, (byte) v);
                b.put(o + 1, (byte) ((y * 255 / h + i) & 0xff));
                b.put(o + 2, (byte) (((x ^ y) + i) & 0xff));
            }
        }
        return f;
    }

    /** One stream to copy into a remuxed file. */
    public record Pick(Path file, int streamIndex, String language, int rotation, int codecOverride) {
        public Pick(Path file, int streamIndex, String language) {
            this(file, streamIndex, language, 0, 0);
        }

        public Pick(Path file, int streamIndex, String language, int rotation) {
            this(file, streamIndex, language, rotation, 0);
        }
    }

    /** Copies the picked streams (no re-encoding) into {@code out} with the given muxer. */
    public static Path remux(Path out, String format, List<Pick> picks) {
        AVFormatContext oc = new AVFormatContext(null);
        check(avformat_alloc_output_context2(oc, null, format, out.toString()));
        AVFormatContext[] ins = new AVFormatContext[picks.size()];
        try {
            for (int i = 0; i < picks.size(); i++) {
                Pick p = picks.get(i);
                ins[i] = new AVFormatContext(null);
                check(avformat_open_input(ins[i], p.file().toString(), null, null));
                check(avformat_find_stream_info(ins[i], (org.bytedeco.javacpp.PointerPointer<?>) null));
                AVStream is = ins[i].streams(p.streamIndex());
                AVStream os = avformat_new_stream(oc, null);
                check(avcodec_parameters_copy(os.codecpar(), is.codecpar()));
                os.codecpar().codec_tag(0);
                if (p.codecOverride() != 0) {
                    os.codecpar().codec_id(p.codecOverride());
                }
                os.time_base(is.time_base());
                if (p.language() != null) {
                    org.bytedeco.ffmpeg.avutil.AVDictionary d = new org.bytedeco.ffmpeg.avutil.AVDictionary(null);
                    av_dict_set(d, "language", p.language(), 0);
                    os.metadata(d);
                }
                if (p.rotation() != 0) {
                    var par = os.codecpar();
                    long base = par.address();
                    org.bytedeco.javacpp.PointerPointer<?> psd = new org.bytedeco.javacpp.PointerPointer<>(1L) {
                        { address = base + org.bytedeco.javacpp.Pointer.offsetof(
                                org.bytedeco.ffmpeg.avcodec.AVCodecParameters.class, "coded_side_data"); }
                    };
                    org.bytedeco.javacpp.IntPointer pnb = new org.bytedeco.javacpp.IntPointer(1L) {
                        { address = base + org.bytedeco.javacpp.Pointer.offsetof(
                                org.bytedeco.ffmpeg.avcodec.AVCodecParameters.class, "nb_coded_side_data"); }
                    };
                    var sd = av_packet_side_data_new(psd, pnb, AV_PKT_DATA_DISPLAYMATRIX, 36, 0);
                    org.bytedeco.javacpp.IntPointer m = new org.bytedeco.javacpp.IntPointer(sd.data());
                    m.capacity(9);
                    av_display_rotation_set(m, -p.rotation());
                }
            }
            if ((oc.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext pb = new AVIOContext(null);
                check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE));
                oc.pb(pb);
            }
            check(avformat_write_header(oc, (org.bytedeco.ffmpeg.avutil.AVDictionary) null));
            AVPacket pkt = av_packet_alloc();
            for (int i = 0; i < picks.size(); i++) {
                AVStream is = ins[i].streams(picks.get(i).streamIndex());
                AVStream os = oc.streams(i);
                while (av_read_frame(ins[i], pkt) >= 0) {
                    if (pkt.stream_index() == picks.get(i).streamIndex()) {
                        av_packet_rescale_ts(pkt, is.time_base(), os.time_base());
                        pkt.stream_index(i);
                        pkt.pos(-1);
                        check(av_interleaved_write_frame(oc, pkt));
                    }
                    av_packet_unref(pkt);
                }
            }
            av_packet_free(pkt);
            check(av_write_trailer(oc));
        } finally {
            for (AVFormatContext in : ins) {
                if (in != null && !in.isNull()) {
                    avformat_close_input(in);
                }
            }
            if ((oc.oformat().flags() & AVFMT_NOFILE) == 0 && oc.pb() != null) {
                avio_closep(oc.pb());
            }
            avformat_free_context(oc);
        }
        return out;
    }

    private static void check(int r) {
        if (r < 0) {
            throw new IllegalStateException("ffmpeg error " + r);
        }
    }
}
