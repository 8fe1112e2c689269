package dev.kino.packager.transcode;

import dev.kino.packager.Clips;
import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.ladder.Ladder;
import dev.kino.packager.ladder.LadderPlanner;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackKind;
import dev.kino.packager.source.AudioStreamInfo;
import dev.kino.protocol.media.FrameRate;
import dev.kino.packager.source.MediaInfo;
import dev.kino.packager.source.SourceProbe;
import dev.kino.packager.source.VideoStreamInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class TranscoderTest {
    static final LadderSpec SMALL = new LadderSpec(List.of(new RungSpec(360, 600_000), new RungSpec(180, 200_000)),
            2, 1, false, 2);
    static final TranscodeOptions FAST = TranscodeOptions.defaults().withPreset("veryfast");

    record Run(TranscodeResult result, Map<Rung, CollectingSink> video, Map<Integer, CollectingSink> audio,
               List<double[]> progress) {
    }

    static Run transcode(Path file, LadderSpec spec) {
        MediaInfo info = SourceProbe.probe(file);
        Ladder ladder = LadderPlanner.plan(info.primaryVideo().orElseThrow(), spec);
        Map<Rung, CollectingSink> video = new LinkedHashMap<>();
        Map<Integer, CollectingSink> audio = new LinkedHashMap<>();
        List<double[]> progress = new ArrayList<>();
        TranscodeResult r = new Transcoder(info, ladder, info.audio(), FAST).run(
                rung -> video.computeIfAbsent(rung, k -> new CollectingSink()),
                a -> audio.computeIfAbsent(a.index(), k -> new CollectingSink()),
                (f, s) -> progress.add(new double[]{f, s}), () -> false);
        return new Run(r, video, audio, progress);
    }

    @Test
    void encoderIsX264() {
        assertEquals("libx264", Transcoder.h264Encoder());
    }

    @Test
    void encodesLadderWithAlignedKeyframes() {
        Run run = transcode(Clips.mp4(), SMALL);
        assertEquals(2, run.video().size());
        List<List<Long>> syncs = new ArrayList<>();
        for (var e : run.video().entrySet()) {
            CollectingSink s = e.getValue();
            assertTrue(s.ended);
            assertEquals(TrackKind.VIDEO, s.format.kind());
            assertTrue(s.format.codecs().startsWith("avc1.64"), s.format.codecs());
            assertEquals(e.getKey().width(), s.format.width());
            byte[] avcC = s.format.decoderConfig();
            assertEquals(1, avcC[0]);
            assertEquals(H264.codecs(avcC), s.format.codecs());
            assertEquals(75, s.samples.size(), "3 s at 25 fps");
            // decode order, dts from 0, increasing
            assertEquals(0, s.samples.get(0).dts());
            assertEquals(0, s.samples.get(0).pts());
            for (int i = 1; i < s.samples.size(); i++) {
                assertTrue(s.samples.get(i).dts() > s.samples.get(i - 1).dts());
            }
            assertEquals(3 * 90_000, s.totalDuration(), 3600);
            // B-frames: some presentation order differs from decode order
            assertTrue(s.samples.stream().anyMatch(x -> x.pts() != x.dts()), "B-frames expected");
            // AVCC samples, no parameter sets in band
            for (EncodedSample x : s.samples) {
                for (byte[] nal : H264.splitAvcc(x.data())) {
                    int t = H264.nalType(nal);
                    assertTrue(t != 7 && t != 8 && t != 9, "NAL type " + t);
                    if (x.sync()) {
                        continue;
                    }
                    assertNotEquals(5, t);
                }
            }
            syncs.add(s.syncPts());
        }
        // IDR at every GOP (1 s) and only there, at the same pts on every rung
        assertEquals(List.of(0L, 90_000L, 180_000L), syncs.get(0));
        assertEquals(syncs.get(0), syncs.get(1));

        CollectingSink a = run.audio().values().iterator().next();
        assertEquals("mp4a.40.2", a.format.codecs());
        assertEquals(48_000, a.format.timescale());
        assertEquals(2, a.format.channels());
        assertEquals(2, (a.format.decoderConfig()[0] & 0xff) >> 3, "AudioSpecificConfig audioObjectType AAC-LC");
        assertEquals(3.0, a.totalDuration() / 48_000.0, 0.1);
        assertTrue(a.samples.stream().allMatch(EncodedSample::sync));
        assertFalse(run.progress().isEmpty());
        assertEquals(1.0, run.progress().get(run.progress().size() - 1)[0], 1e-9);
        assertEquals(3.0, run.result().videoSeconds(), 0.05);
    }

    @Test
    void mkvTwoAudioLanguagesEncodedOnce() {
        Run run = transcode(Clips.mkvTwoLanguages(), SMALL);
        assertEquals(2, run.audio().size());
        List<String> langs = run.result().audio().stream().map(f -> f.language()).toList();
        assertEquals(List.of("eng", "fre"), langs);
        run.audio().values().forEach(s -> assertEquals(3.0, s.totalDuration() / 48_000.0, 0.1));
    }

    @Test
    void mpegTsAndWebmSources() {
        Run ts = transcode(Clips.mpegts(), SMALL);
        assertEquals(75, ts.video().values().iterator().next().samples.size());
        Run webm = transcode(Clips.webm(), SMALL);
        CollectingSink v = webm.video().values().iterator().next();
        assertEquals(50, v.samples.size());
        assertEquals(List.of(0L, 90_000L), v.syncPts());
        assertEquals(1, webm.audio().size());
    }

    @Test
    void fiftyFpsHalvedOnLowRungsKeepsAlignment() {
        LadderSpec spec = new LadderSpec(List.of(new RungSpec(180, 300_000), new RungSpec(120, 150_000)), 2, 1,
                false, 2);
        MediaInfo info = SourceProbe.probe(Clips.fps50());
        Run run = transcode(Clips.fps50(), spec);
        List<CollectingSink> sinks = new ArrayList<>(run.video().values());
        assertEquals(2, sinks.size());
        // both rungs are ≤ 480p: half rate
        sinks.forEach(s -> assertEquals(50, s.samples.size(), "2 s at 25 fps"));
        assertEquals(sinks.get(0).syncPts(), sinks.get(1).syncPts());
        assertEquals(List.of(0L, 90_000L), sinks.get(0).syncPts());
        assertEquals(50.0, info.video().get(0).frameRate().fps(), 0.01);
        sinks.forEach(s -> assertEquals(2 * 90_000, s.totalDuration(), 3600));
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void lowerRungsScaledFromTheLargestScaledRungKeepRatesAndAlignment() {
        // 720p is the source's size (no scaling); 540p is scaled from the source and feeds 360p and 240p, which
        // keep every other frame of it (half rate at or below 480p from a 50 fps source)
        LadderSpec spec = new LadderSpec(List.of(new RungSpec(720, 2_000_000), new RungSpec(540, 1_200_000),
                new RungSpec(360, 600_000), new RungSpec(240, 300_000)), 2, 1, false, 2);
        Run run = transcode(Clips.hd50(), spec);
        List<Rung> rungs = new ArrayList<>(run.video().keySet());
        assertEquals(List.of(720, 540, 360, 240), rungs.stream().map(Rung::height).toList());
        List<CollectingSink> sinks = new ArrayList<>(run.video().values());
        assertEquals(100, sinks.get(0).samples.size());
        assertEquals(100, sinks.get(1).samples.size());
        assertEquals(50, sinks.get(2).samples.size());
        assertEquals(50, sinks.get(3).samples.size());
        for (CollectingSink s : sinks) {
            assertEquals(List.of(0L, 90_000L), s.syncPts());
            assertEquals(2 * 90_000, s.totalDuration(), 3600);
        }
        assertEquals(List.of(100L, 100L, 50L, 50L), run.result().rungFrames());
    }

    @Test
    void cascadeFeedsSmallerRungsFromTheFirstScaledOne() {
        LadderSpec spec = new LadderSpec(List.of(new RungSpec(720, 2_000_000), new RungSpec(540, 1_200_000),
                new RungSpec(360, 600_000), new RungSpec(240, 300_000)), 2, 1, false, 2);
        VideoStreamInfo hd50 = new VideoStreamInfo(0, "h264", 1280, 720, 0, new FrameRate(50, 1),
                new FrameRate(50, 1), "yuv420p");
        Ladder ladder = LadderPlanner.plan(hd50, spec);
        List<RungEncoder> encoders = ladder.rungs().stream().map(r -> new RungEncoder(r, ladder, "libx264", 1,
                "veryfast", new CollectingSink(), r.name())).toList();
        List<RungEncoder> roots = Transcoder.cascade(encoders, 1280, 720);
        assertEquals(List.of(encoders.get(0), encoders.get(1)), roots, "the source-sized rung is not scaled");
        assertEquals(List.of(encoders.get(2), encoders.get(3)), encoders.get(1).children());
        assertTrue(encoders.get(0).children().isEmpty());

        // every rung of a 50 fps 480p source is half rate: 480p (the source's size) is fed from the source, 360p is
        // the first scaled rung and feeds 240p (a half-rate rung can feed another half-rate rung)
        VideoStreamInfo sd50 = new VideoStreamInfo(0, "h264", 640, 480, 0, new FrameRate(50, 1),
                new FrameRate(50, 1), "yuv420p");
        Ladder sd = LadderPlanner.plan(sd50, new LadderSpec(List.of(new RungSpec(480, 1_000_000),
                new RungSpec(360, 600_000), new RungSpec(240, 300_000)), 2, 1, false, 2));
        List<RungEncoder> sdEncoders = sd.rungs().stream().map(r -> new RungEncoder(r, sd, "libx264", 1,
                "veryfast", new CollectingSink(), r.name())).toList();
        List<RungEncoder> sdRoots = Transcoder.cascade(sdEncoders, 640, 480);
        assertEquals(List.of(sdEncoders.get(0), sdEncoders.get(1)), sdRoots);
        assertEquals(List.of(sdEncoders.get(2)), sdEncoders.get(1).children());
    }

    @Test
    void rotatedSourceEncodedUpright() {
        Run run = transcode(Clips.rotated(), SMALL);
        Rung top = run.video().keySet().iterator().next();
        assertEquals(180, top.width());
        assertEquals(320, top.height());
        assertEquals(180, run.result().video().get(0).width());
        assertEquals(320, run.result().video().get(0).height());
        assertEquals(50, run.video().get(top).samples.size());
    }

    @Test
    void cancelStopsAndThrows() {
        MediaInfo info = SourceProbe.probe(Clips.mp4());
        Ladder ladder = LadderPlanner.plan(info.primaryVideo().orElseThrow(), SMALL);
        AtomicInteger packets = new AtomicInteger();
        List<CollectingSink> sinks = new ArrayList<>();
        assertThrows(PackagingCancelledException.class, () -> new Transcoder(info, ladder, info.audio(), FAST).run(
                r -> { CollectingSink s = new CollectingSink(); synchronized (sinks) { sinks.add(s); } return s; },
                a -> new CollectingSink(), TranscodeListener.NONE, () -> packets.incrementAndGet() > 20));
        sinks.forEach(s -> assertFalse(s.ended));
        assertEquals(new HashSet<>(List.of(false)), new HashSet<>(sinks.stream().map(s -> s.ended).toList()));
    }
}
