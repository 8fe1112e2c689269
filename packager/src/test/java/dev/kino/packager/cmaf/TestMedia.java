package dev.kino.packager.cmaf;

import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.media.TrackKind;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Test media: a 2 s 320x180 25 fps H.264 (1 s GOP, B-frames) + AAC-LC 48 kHz stereo clip encoded in-process with
 * FFmpeg (JavaCV), demuxed back into the hand-off types. Created once per JVM.
 */
public final class TestMedia {
    /** One track of the clip. */
    public record Track(TrackFormat format, List<EncodedSample> samples) {
        /** @return the samples split before every sync sample (video) or in runs of {@code n} (audio) */
        public List<List<EncodedSample>> segments(int audioPerSegment) {
            List<List<EncodedSample>> out = new ArrayList<>();
            List<EncodedSample> cur = new ArrayList<>();
            for (EncodedSample s : samples) {
                boolean cut = format.kind() == TrackKind.VIDEO ? s.sync() : cur.size() == audioPerSegment;
                if (cut && !cur.isEmpty()) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
                cur.add(s);
            }
            out.add(cur);
            return out;
        }
    }

    private static TestMedia instance;

    public final Track video;
    public final Track audio;

    private TestMedia(Track video, Track audio) {
        this.video = video;
        this.audio = audio;
    }

    /** @return the clip, encoding it on first use */
    public static synchronized TestMedia get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("kino-cmaf-test");
                Path mp4 = dir.resolve("clip.mp4");
                encode(mp4);
                instance = demux(mp4);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private static void encode(Path out) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), 320, 180, 2);
        r.setFormat("mp4");
        r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(25);
        r.setGopSize(25);
        r.setVideoOption("preset", "veryfast");
        r.setVideoOption("bf", "2");
        r.setVideoOption("x264-params", "scenecut=0:open-gop=0");
        r.setVideoBitrate(400_000);
        r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
        r.setSampleRate(48000);
        r.setAudioChannels(2);
        r.setAudioBitrate(96_000);
        r.start();
        // 50 frames of a moving gradient with a bouncing square (BGR24)
        Frame frame = new Frame(320, 180, Frame.DEPTH_UBYTE, 3);
        for (int n = 0; n < 50; n++) {
            ByteBuffer px = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            for (int y = 0; y < 180; y++) {
                for (int x = 0; x < 320; x++) {
                    boolean sq = Math.abs(x - (20 + n * 5)) < 20 && Math.abs(y - 90) < 20;
                    int i = y * stride + x * 3;
                    px.put(i, (byte) (sq ? 255 : (x + n * 3)));
                    px.put(i + 1, (byte) (sq ? 255 : (y * 2 + n)));
                    px.put(i + 2, (byte) (sq ? 0 : (x ^ y)));
                }
            }
            r.record(frame, avutil.AV_PIX_FMT_BGR24);
        }
        // 2 s of a 440 Hz tone, stereo interleaved 16-bit, in 1024-sample chunks
        for (int t = 0; t < 96000; t += 1024) {
            ShortBuffer sb = ShortBuffer.allocate(2048);
            for (int k = 0; k < 1024; k++) {
                short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * (t + k) / 48000.0));
                sb.put(v).put(v);
            }
            sb.flip();
            r.recordSamples(48000, 2, sb);
        }
        r.stop();
        r.release();
    }

    private static TestMedia demux(Path mp4) throws IOException {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            var fc = g.getFormatContext();
            List<long[]>[] ts = new List[fc.nb_streams()];
            List<byte[]>[] data = new List[fc.nb_streams()];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = new ArrayList<>();
                data[i] = new ArrayList<>();
            }
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                byte[] b = new byte[p.size()];
                p.data().get(b);
                int si = p.stream_index();
                ts[si].add(new long[] {p.dts(), p.pts(), p.duration(), (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0 ? 1 : 0});
                data[si].add(b);
            }
            Track video = null;
            Track audio = null;
            for (int i = 0; i < ts.length; i++) {
                AVStream st = fc.streams(i);
                AVCodecParameters cp = st.codecpar();
                byte[] extra = new byte[cp.extradata_size()];
                cp.extradata().get(extra);
                if (st.time_base().num() != 1) {
                    throw new IllegalStateException("unexpected time base");
                }
                int timescale = st.time_base().den();
                List<EncodedSample> samples = toSamples(ts[i], data[i]);
                if (cp.codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                    String codecs = "avc1." + HexFormat.of().formatHex(extra, 1, 4);
                    video = new Track(new TrackFormat(TrackKind.VIDEO, "avc1", codecs, timescale, cp.width(),
                            cp.height(), 0, 0, extra, "und", 400_000), samples);
                } else {
                    audio = new Track(new TrackFormat(TrackKind.AUDIO, "mp4a", "mp4a.40.2", timescale, 0, 0,
                            cp.sample_rate(), cp.ch_layout().nb_channels(), extra, "eng", 96_000), samples);
                }
            }
            return new TestMedia(video, audio);
        }
    }

    private static List<EncodedSample> toSamples(List<long[]> ts, List<byte[]> data) {
        long minDts = ts.stream().mapToLong(t -> t[0]).min().orElse(0);
        long minPts = ts.stream().mapToLong(t -> t[1]).min().orElse(0);
        long shift = -Math.min(minDts, minPts);
        List<EncodedSample> out = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            long[] t = ts.get(i);
            long dur = t[2] > 0 ? t[2] : i + 1 < ts.size() ? ts.get(i + 1)[0] - t[0] : ts.get(i - 1)[2];
            out.add(new EncodedSample(t[0] + shift, t[1] + shift, dur, t[3] == 1, data.get(i)));
        }
        return out;
    }
}
