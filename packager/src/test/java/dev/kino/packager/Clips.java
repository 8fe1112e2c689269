package dev.kino.packager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.*;

/** Test clips, made once per test JVM in a temporary folder deleted at exit. */
public final class Clips {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("kino-clips");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> s = Files.walk(DIR)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }));
    }

    private Clips() {
    }

    /** @return the folder the clips live in */
    public static Path dir() {
        return DIR;
    }

    private interface Maker {
        void make(Path out) throws Exception;
    }

    private static synchronized Path cached(String name, Maker m) {
        Path p = DIR.resolve(name);
        if (!Files.exists(p)) {
            try {
                Path tmp = DIR.resolve("tmp-" + name);
                m.make(tmp);
                Files.move(tmp, p);
            } catch (Exception e) {
                throw new IllegalStateException("cannot make test clip " + name, e);
            }
        }
        return p;
    }

    /** 640x360 25 fps 3 s H.264 + AAC mono 48 kHz in MP4. */
    public static Path mp4() {
        return cached("a.mp4", p -> TestMedia.record(p, TestMedia.Spec.mp4(640, 360, 25, 3)));
    }

    /** 320x180 25 fps 2 s H.264 + AAC in MP4 (the fast one for job tests). */
    public static Path small() {
        return cached("small.mp4", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 25, 2.0)));
    }

    /** Audio at 660 Hz only, AAC in MP4, 3 s. */
    public static Path audioOnly660() {
        return cached("a660.mp4", p -> TestMedia.record(p,
                new TestMedia.Spec("mp4", 0, AV_CODEC_ID_AAC, 0, 0, 25, 3, 660, null)));
    }

    /** MKV: the H.264 video of {@link #mp4()}, English audio at 440 Hz and French audio at 660 Hz. */
    public static Path mkvTwoLanguages() {
        return cached("two.mkv", p -> TestMedia.remux(p, "matroska", List.of(
                new TestMedia.Pick(mp4(), 0, null), new TestMedia.Pick(mp4(), 1, "eng"),
                new TestMedia.Pick(audioOnly660(), 0, "fre"))));
    }

    /** MPEG-TS remux of {@link #mp4()}. */
    public static Path mpegts() {
        return cached("a.ts", p -> TestMedia.remux(p, "mpegts", List.of(
                new TestMedia.Pick(mp4(), 0, null), new TestMedia.Pick(mp4(), 1, "eng"))));
    }

    /** WebM VP9 + Opus, 320x180, 2 s. */
    public static Path webm() {
        return cached("a.webm", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 25, 2)
                .withFormat("webm").withCodecs(AV_CODEC_ID_VP9, AV_CODEC_ID_OPUS)));
    }

    /** Native portrait: 180x320 25 fps 2 s H.264 + AAC. */
    public static Path portrait() {
        return cached("portrait.mp4", p -> TestMedia.record(p, TestMedia.Spec.mp4(180, 320, 25, 2)));
    }

    /** Landscape 320x180 coded, with a 90° display matrix: displays as portrait 180x320. */
    public static Path rotated() {
        return cached("rotated.mp4", p -> TestMedia.remux(p, "mp4", List.of(
                new TestMedia.Pick(small(), 0, null, 90), new TestMedia.Pick(small(), 1, "eng"))));
    }

    /** MPEG-TS whose only stream claims to be AVS2 video, which this FFmpeg build cannot decode. */
    public static Path undecodable() {
        return cached("avs2.ts", p -> TestMedia.remux(p, "mpegts", List.of(
                new TestMedia.Pick(small(), 0, null, 0, AV_CODEC_ID_AVS2))));
    }

    /** 50 fps 320x180 2 s H.264 + AAC. */
    public static Path fps50() {
        return cached("fifty.mp4", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 50, 2)));
    }

    /** 50 fps 1280x720 2 s H.264 + AAC: rungs above 480p keep the rate, those at or below are halved. */
    public static Path hd50() {
        return cached("hd50.mp4", p -> TestMedia.record(p, TestMedia.Spec.mp4(1280, 720, 50, 2)));
    }

    /** QuickTime MOV: H.264 + AAC, 320x180 25 fps 2 s. */
    public static Path mov() {
        return cached("a.mov", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 25, 2).withFormat("mov")));
    }

    /** HEVC (libx265 ultrafast) + AAC in MP4, 320x180 25 fps 2 s. */
    public static Path hevc() {
        return cached("hevc.mp4", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 25, 2)
                .withCodecs(AV_CODEC_ID_HEVC, AV_CODEC_ID_AAC)));
    }

    /** AV1 (libaom-av1 realtime) + Opus in WebM, 320x180 25 fps 2 s. */
    public static Path av1() {
        return cached("av1.webm", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 25, 2)
                .withFormat("webm").withCodecs(AV_CODEC_ID_AV1, AV_CODEC_ID_OPUS)));
    }

    /** H.264 + MP3 (libmp3lame) in MP4, 320x180 25 fps 2 s. */
    public static Path mp3() {
        return cached("mp3.mp4", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 25, 2)
                .withCodecs(AV_CODEC_ID_H264, AV_CODEC_ID_MP3)));
    }

    /** H.264 + 5.1 AC-3 in MPEG-TS, 320x180 25 fps 2 s. */
    public static Path ac3() {
        return cached("ac3.ts", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 25, 2)
                .withFormat("mpegts").withCodecs(AV_CODEC_ID_H264, AV_CODEC_ID_AC3), 6));
    }

    /** H.264 in MP4 without any audio stream, 320x180 25 fps 2 s. */
    public static Path videoOnly() {
        return cached("video-only.mp4", p -> TestMedia.record(p, TestMedia.Spec.mp4(320, 180, 25, 2).withAudio(0)));
    }

    /** VP9 in WebM at an odd size, 427x241 (about 854x480's aspect), video only, 25 fps 2 s. */
    public static Path oddSize() {
        return cached("odd.webm", p -> TestMedia.encodeRaw(p, "webm", "libvpx-vp9", 427, 241, 25, 50,
                java.util.Map.of("deadline", "realtime", "cpu-used", "8")));
    }

    /** The frame times of {@link #vfr()}, milliseconds: 10 fps for 1 s, then alternating 20 and 47 ms steps. */
    public static long[] vfrFrameMs() {
        java.util.List<Long> t = new java.util.ArrayList<>();
        for (long ms = 0; ms < 1000; ms += 100) {
            t.add(ms);
        }
        long ms = 1000;
        for (int i = 0; ms < 3000; i++) {
            t.add(ms);
            ms += i % 2 == 0 ? 20 : 47;
        }
        return t.stream().mapToLong(Long::longValue).toArray();
    }

    /** When the white frame of {@link #vfr()} is shown and its tone starts, ms: the first frame at or after 1.5 s. */
    public static long vfrFlashMs() {
        return java.util.Arrays.stream(vfrFrameMs()).filter(x -> x >= 1500).findFirst().orElseThrow();
    }

    /** Variable frame rate H.264 + AAC in MKV, 320x180, 3 s: see {@link #vfrFrameMs()} and {@link #vfrFlashMs()}. */
    public static Path vfr() {
        return cached("vfr.mkv", p -> TestMedia.recordVfr(p, "matroska", 320, 180, vfrFrameMs(), vfrFlashMs(), 3));
    }
}
