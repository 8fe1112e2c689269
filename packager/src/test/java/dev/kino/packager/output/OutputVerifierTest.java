package dev.kino.packager.output;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.packaging.Protection;
import dev.kino.packager.Clips;
import dev.kino.packager.PackagingException;
import dev.kino.packager.cmaf.Encryption;
import dev.kino.packager.crypto.ContentKeys;
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

    @Test
    void secondProtectedCopyMustDecryptToTheDecodedSamples() throws Exception {
        MediaInfo info = SourceProbe.probe(Clips.small());
        Ladder ladder = LadderPlanner.plan(info.primaryVideo().orElseThrow(),
                new LadderSpec(List.of(new RungSpec(180, 200_000)), 2, 2, false, 2));
        ContentKeys.Generated hls = ContentKeys.generate(ContentKeys.SCHEME_AES_128);
        ContentKeys.Generated cenc = ContentKeys.generate(ContentKeys.SCHEME_CENC);
        Optional<Encryption> enc = Optional.of(Encryption.cenc(cenc.kid(), cenc.key()));
        Rung rung = ladder.rungs().get(0);
        SegmentedTrack st = new SegmentedTrack(rung.name(), dir, 2, List.of(
                new SegmentCopy(rung.name(), Optional.empty(), hls.key().bytes()),
                new SegmentCopy("cenc/" + rung.name(), enc, null)));
        SegmentedTrack audio = new SegmentedTrack("audio-und", dir, 2, List.of(
                new SegmentCopy("audio-und", Optional.empty(), hls.key().bytes()),
                new SegmentCopy("cenc/audio-und", enc, null)));
        TranscodeResult tr = new Transcoder(info, ladder, info.audio(), TranscodeOptions.defaults()
                .withPreset("ultrafast")).run(r -> st, a -> audio, TranscodeListener.NONE, () -> false);
        TitleTracks t = new TitleTracks("v-2", tr.videoSeconds(), 2, Protection.BOTH, tr.videoEncoder(),
                List.of(new TitleTracks.VideoTrack(rung, st)), List.of(audio), hls, cenc);
        TitleWriter.write(dir, t, new ContentKeyWrapper(new byte[16]));
        OutputVerifier.verify(dir, t, tr.videoSeconds());

        // the MPD's DASH-IF ClearKey ContentProtection carries the relative licence URL the media server fills in
        Path mpd = dir.resolve(TitleWriter.MPD);
        String written = Files.readString(mpd);
        Files.writeString(mpd, written.replace("<dashif:Laurl>license/clearkey</dashif:Laurl>", ""));
        PackagingException noLaurl = assertThrows(PackagingException.class, () -> OutputVerifier.verify(dir, t,
                tr.videoSeconds()));
        assertTrue(noLaurl.getMessage().contains("dashif:Laurl"), noLaurl.getMessage());
        Files.writeString(mpd, written);

        // one flipped byte at the end of a cenc segment (inside the encrypted sample data): it still demuxes and
        // decrypts, but to other bytes than the AES-128 copy, which decoded
        Path seg = dir.resolve("cenc/" + rung.name() + "/seg-00001.m4s");
        byte[] b = Files.readAllBytes(seg);
        b[b.length - 2] ^= 0x55;
        Files.write(seg, b);
        PackagingException e = assertThrows(PackagingException.class, () -> OutputVerifier.verify(dir, t,
                tr.videoSeconds()));
        assertTrue(e.getMessage().contains("does not decrypt to the samples"), e.getMessage());
    }
}
