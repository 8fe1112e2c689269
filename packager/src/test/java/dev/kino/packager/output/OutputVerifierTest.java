package dev.kino.packager.output;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.packager.Clips;
import dev.kino.packager.PackagingException;
import dev.kino.packager.job.Protection;
import dev.kino.packager.ladder.Ladder;
import dev.kino.packager.ladder.LadderPlanner;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.packager.source.MediaInfo;
import dev.kino.packager.source.SourceProbe;
import dev.kino.packager.transcode.TranscodeListener;
import dev.kino.packager.transcode.TranscodeOptions;
import dev.kino.packager.transcode.TranscodeResult;
import dev.kino.packager.transcode.Transcoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class OutputVerifierTest {
    @TempDir
    Path dir;

    @Test
    void fullDecodeCountsEveryFrame() throws Exception {
        // 50 fps source: the 180p rung is half-rate (≤ 480p above 30 fps)
        MediaInfo info = SourceProbe.probe(Clips.fps50());
        Ladder ladder = LadderPlanner.plan(info.primaryVideo().orElseThrow(),
                new LadderSpec(List.of(new RungSpec(180, 200_000)), 2, 1, true, 2));
        Map<Rung, SegmentedTrack> v = new HashMap<>();
        List<TitleTracks.VideoTrack> vt = new ArrayList<>();
        for (Rung r : ladder.rungs()) {
            SegmentedTrack st = new SegmentedTrack(r.name(), dir, 2, List.of(new SegmentCopy(r.name(), Optional.empty(),
                    null)));
            v.put(r, st);
            vt.add(new TitleTracks.VideoTrack(r, st));
        }
        SegmentedTrack audio = new SegmentedTrack("audio-und", dir, 2, List.of(new SegmentCopy("audio-und",
                Optional.empty(), null)));
        TranscodeResult tr = new Transcoder(info, ladder, info.audio(), TranscodeOptions.defaults()
                .withPreset("ultrafast")).run(v::get, a -> audio, TranscodeListener.NONE, () -> false);
        TitleTracks t = new TitleTracks("v-1", tr.videoSeconds(), 2, Protection.NONE, tr.videoEncoder(), vt,
                List.of(audio), null, null);
        TitleWriter.write(dir, t, new ContentKeyWrapper(new byte[16]));
        assertEquals(100, tr.sourceFrames());
        Map<String, Long> fed = new HashMap<>();
        for (int i = 0; i < ladder.rungs().size(); i++) {
            fed.put(ladder.rungs().get(i).name(), tr.rungFrames().get(i));
        }
        assertTrue(ladder.rungs().stream().anyMatch(Rung::halfRate), ladder.toString());
        assertEquals(List.of(50L), tr.rungFrames(), "every other frame of the 50 fps source");

        OutputVerifier.verify(dir, t, tr.videoSeconds(), new OutputVerifier.FrameCounts(100, fed, 1));

        // frames the source had but the output lacks are caught
        PackagingException e = assertThrows(PackagingException.class, () -> OutputVerifier.verify(dir, t,
                tr.videoSeconds(), new OutputVerifier.FrameCounts(110, Map.of(), 1)));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
        // a segment replaced by another one (decodable, but other frames) is caught by the full decode
        String name = vt.get(0).track().name();
        Files.copy(dir.resolve(name + "/seg-00001.m4s"), dir.resolve(name + "/seg-00002.m4s"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve(name + "/seg-00001.m4s"), "x");
        assertThrows(PackagingException.class, () -> OutputVerifier.verify(dir, t, tr.videoSeconds(),
                new OutputVerifier.FrameCounts(100, fed, 1)));
    }
}
