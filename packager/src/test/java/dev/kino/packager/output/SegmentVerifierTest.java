package dev.kino.packager.output;

import dev.kino.common.packaging.VerificationDepth;
import dev.kino.packager.Clips;
import dev.kino.packager.PackagingException;
import dev.kino.packager.cmaf.Encryption;
import dev.kino.packager.crypto.ContentKeys;
import dev.kino.packager.ladder.Ladder;
import dev.kino.packager.ladder.LadderPlanner;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.source.MediaInfo;
import dev.kino.packager.source.SourceProbe;
import dev.kino.packager.transcode.TrackSink;
import dev.kino.packager.transcode.TranscodeListener;
import dev.kino.packager.transcode.TranscodeOptions;
import dev.kino.packager.transcode.Transcoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Segments checked as they are written, against the samples the writer wrote. */
class SegmentVerifierTest {
    @TempDir
    Path root;

    /** One 120p rung of the 3 s clip in 2 s segments with 1 s GOPs (2 IDRs, then 1), written with a verifier. */
    private record Written(SegmentedTrack track, Map<String, SortedMap<Integer, SegmentVerifier.Result>> results,
                           List<EncodedSample> samples) {
        /** @return the samples of segment {@code number} (1-based), as the writer got them */
        List<EncodedSample> of(int number) {
            int from = 0;
            for (SegmentInfo s : track.segments(0)) {
                if (s.number() == number) {
                    return samples.subList(from, from + s.samples());
                }
                from += s.samples();
            }
            throw new IllegalArgumentException("no segment " + number);
        }
    }

    private Written write(Path dir, VerificationDepth depth, List<SegmentCopy> copies, boolean copied) {
        MediaInfo info = SourceProbe.probe(Clips.mp4());
        Ladder ladder = LadderPlanner.plan(info.primaryVideo().orElseThrow(),
                new LadderSpec(List.of(new RungSpec(120, 150_000)), 2, 1, false, 2));
        Rung rung = ladder.rungs().get(0);
        try (SegmentVerifier v = new SegmentVerifier(dir, "t", 2, depth)) {
            SegmentedTrack st = new SegmentedTrack(rung.name(), dir, 2, copies, v);
            if (copied) {
                st.copiedFromSource();
            }
            List<EncodedSample> samples = new ArrayList<>();
            TrackSink tee = new TrackSink() {
                @Override
                public void format(TrackFormat format) {
                    st.format(format);
                }

                @Override
                public void sample(EncodedSample sample) {
                    samples.add(sample);
                    st.sample(sample);
                }

                @Override
                public void end() {
                    st.end();
                }
            };
            new Transcoder(info, ladder, List.of(), TranscodeOptions.defaults().withPreset("ultrafast"))
                    .run(r -> tee, a -> tee, TranscodeListener.NONE, () -> false);
            return new Written(st, v.await(), samples);
        }
    }

    private static List<SegmentCopy> clear(String name) {
        return List.of(new SegmentCopy(name, Optional.empty(), null));
    }

    @Test
    void keyframeDepthDecodesEveryIdrAndChecksEverySampleByteForByte() throws Exception {
        Path dir = Files.createDirectory(root.resolve("title"));
        Written w = write(dir, VerificationDepth.KEYFRAMES, clear("video-120p"), false);
        SortedMap<Integer, SegmentVerifier.Result> rs = w.results().get("video-120p");
        List<SegmentInfo> segs = w.track().segments(0);
        assertEquals(2, segs.size(), "3 s in 2 s segments");
        assertEquals(segs.size(), rs.size());
        for (SegmentInfo s : segs) {
            SegmentVerifier.Result r = rs.get(s.number());
            assertEquals(s.samples(), r.packets());
            assertFalse(r.everyFrame());
        }
        assertEquals(2, rs.get(1).frames(), "both IDRs of the first segment, each decoded on its own");
        assertEquals(1, rs.get(2).frames());
        // the scratch folder beside the title is gone, and nothing was left in the title folder
        assertFalse(Files.exists(root.resolve("title.verify")));
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".mp4")
                    && !p.getFileName().toString().equals("init.mp4")), "no temporary file in the title folder");
        }

        // A byte flipped in the last sample (a non-IDR picture, which this depth does not decode) is still caught:
        // the demuxed samples no longer match what was written.
        SegmentInfo first = segs.get(0);
        Path file = dir.resolve(first.file());
        byte[] b = Files.readAllBytes(file);
        b[b.length - 3] ^= 0x40;
        Files.write(file, b);
        try (SegmentVerifier again = new SegmentVerifier(dir, "t", 1, VerificationDepth.KEYFRAMES)) {
            again.written(w.track(), 0, first, w.of(first.number()));
            PackagingException e = assertThrows(PackagingException.class, again::await);
            assertTrue(e.getMessage().contains(first.file() + " does not demux to the samples written: sample "
                    + first.samples() + " differs at byte"), e.getMessage());
            assertNotNull(again.failure());
        }
    }

    @Test
    void everyFrameDepthAndCopiedSamplesDecodeEveryPicture() throws Exception {
        Path a = Files.createDirectory(root.resolve("a"));
        Written every = write(a, VerificationDepth.EVERY_FRAME, clear("video-120p"), false);
        Path b = Files.createDirectory(root.resolve("b"));
        // samples copied from the source (the remux path) are decoded frame by frame whatever the depth
        Written copied = write(b, VerificationDepth.KEYFRAMES, clear("video-120p"), true);
        for (Written w : List.of(every, copied)) {
            for (SegmentInfo s : w.track().segments(0)) {
                SegmentVerifier.Result r = w.results().get("video-120p").get(s.number());
                assertTrue(r.everyFrame());
                assertEquals(s.samples(), r.frames());
            }
        }
    }

    @Test
    void aCencCopyMustDecryptToTheSamplesWritten() throws Exception {
        Path dir = Files.createDirectory(root.resolve("title"));
        ContentKeys.Generated hls = ContentKeys.generate(ContentKeys.SCHEME_AES_128);
        ContentKeys.Generated cenc = ContentKeys.generate(ContentKeys.SCHEME_CENC);
        Written w = write(dir, VerificationDepth.KEYFRAMES, List.of(
                new SegmentCopy("video-120p", Optional.empty(), hls.key().bytes()),
                new SegmentCopy("cenc/video-120p", Optional.of(Encryption.cenc(cenc.kid(), cenc.key())), null)),
                false);
        SegmentInfo s = w.track().segments(1).get(1);
        SegmentVerifier.Result ok = w.results().get("cenc/video-120p").get(s.number());
        assertEquals(0, ok.frames(), "the second copy is demuxed and decrypted, not decoded");
        assertEquals(s.samples(), ok.packets());
        // the AES-128 copy's I-frame files (one IDR each, encrypted on their own) were checked too
        assertEquals(2, w.track().iFrameFiles(0).size());
        assertTrue(w.track().iFrameFiles(1).isEmpty(), "the cenc copy's I-frames are byte ranges");
        for (SegmentVerifier.Result r : w.results().get("video-120p/iframes").values()) {
            assertEquals(1, r.packets());
            assertEquals(1, r.frames());
        }

        Path file = dir.resolve(s.file());
        byte[] b = Files.readAllBytes(file);
        b[b.length - 2] ^= 0x55; // inside the last (encrypted) sample
        Files.write(file, b);
        try (SegmentVerifier again = new SegmentVerifier(dir, "t", 1, VerificationDepth.KEYFRAMES)) {
            again.written(w.track(), 1, s, w.of(s.number()));
            PackagingException e = assertThrows(PackagingException.class, again::await);
            assertTrue(e.getMessage().contains("does not demux and decrypt to the samples written"), e.getMessage());
        }
    }

    @Test
    void depthParsesTheConfigurationValues() {
        assertEquals(VerificationDepth.KEYFRAMES, VerificationDepth.parse("keyframes"));
        assertEquals(VerificationDepth.EVERY_FRAME, VerificationDepth.parse("every-frame"));
        assertThrows(IllegalArgumentException.class, () -> VerificationDepth.parse("all"));
    }
}
