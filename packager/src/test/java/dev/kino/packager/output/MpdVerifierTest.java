package dev.kino.packager.output;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.packager.Clips;
import dev.kino.packager.PackagingException;
import dev.kino.packager.cmaf.Encryption;
import dev.kino.packager.crypto.ContentKeys;
import dev.kino.common.packaging.Protection;
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
import dev.kino.protocol.dash.ContentProtection;
import dev.kino.protocol.dash.MpdWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/** The MPD check of the output verification: real titles, then their MPD (or files) altered one way at a time. */
class MpdVerifierTest {
    @TempDir
    static Path root;
    static Title cenc;
    static Title clear;

    record Title(Path dir, TitleTracks tracks, String mpd) {
        void write(String text) throws Exception {
            Files.writeString(dir.resolve(TitleWriter.MPD), text, StandardCharsets.UTF_8);
        }

        PackagingException refused(String text) throws Exception {
            write(text);
            return assertThrows(PackagingException.class, () -> MpdVerifier.verify(dir, tracks));
        }

        UUID kid() {
            return tracks.cencKey().kid().toUuid();
        }
    }

    /** A 2 s title at 180p with audio, written by the packager's own writer. */
    static Title title(String id, Protection protection) throws Exception {
        Path dir = Files.createDirectories(root.resolve(id));
        MediaInfo info = SourceProbe.probe(Clips.small());
        Ladder ladder = LadderPlanner.plan(info.primaryVideo().orElseThrow(),
                new LadderSpec(List.of(new RungSpec(180, 200_000)), 2, 2, false, 2));
        ContentKeys.Generated key = protection.cenc() ? ContentKeys.generate(ContentKeys.SCHEME_CENC) : null;
        Optional<Encryption> enc = key == null ? Optional.empty() : Optional.of(Encryption.cenc(key.kid(), key.key()));
        Rung rung = ladder.rungs().get(0);
        SegmentedTrack video = new SegmentedTrack(rung.name(), dir, 2, List.of(new SegmentCopy(rung.name(), enc, null)));
        SegmentedTrack audio = new SegmentedTrack("audio-und", dir, 2, List.of(new SegmentCopy("audio-und", enc, null)));
        TranscodeResult tr = new Transcoder(info, ladder, info.audio(), TranscodeOptions.defaults()
                .withPreset("ultrafast")).run(r -> video, a -> audio, TranscodeListener.NONE, () -> false);
        TitleTracks t = new TitleTracks(id, tr.videoSeconds(), 2, protection, tr.videoEncoder(),
                List.of(new TitleTracks.VideoTrack(rung, video)), List.of(audio), null, key);
        TitleWriter.write(dir, t, new ContentKeyWrapper(new byte[16]));
        return new Title(dir, t, Files.readString(dir.resolve(TitleWriter.MPD)));
    }

    @BeforeAll
    static void titles() throws Exception {
        cenc = title("cenc-1", Protection.CENC);
        clear = title("clear-1", Protection.NONE);
    }

    @AfterEach
    void restore() throws Exception {
        cenc.write(cenc.mpd());
        clear.write(clear.mpd());
    }

    @Test
    void writtenMpdsPass() {
        MpdVerifier.verify(cenc.dir(), cenc.tracks());
        MpdVerifier.verify(clear.dir(), clear.tracks());
        assertTrue(cenc.mpd().contains("cenc:default_KID=\"" + cenc.kid() + "\""), cenc.mpd());
    }

    @Test
    void xmlThatIsNotWellFormedOrDeclaresEntitiesIsRefused() throws Exception {
        // XXE: an external entity would read a local file into the document; the DOCTYPE alone is refused
        String xxe = cenc.mpd().replace("<MPD", "<!DOCTYPE MPD [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n<MPD")
                .replace("<Period", "<!-- &x; --><Period");
        assertTrue(cenc.refused(xxe).getMessage().contains("manifest.mpd is not well-formed XML"));
        assertTrue(cenc.refused(cenc.mpd().replace("</MPD>", "")).getMessage().contains("not well-formed XML"));
        byte[] latin1 = cenc.mpd().replace("<Period", "<!-- caf\u00e9 --><Period").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(cenc.dir().resolve(TitleWriter.MPD), latin1);
        PackagingException e = assertThrows(PackagingException.class, () -> MpdVerifier.verify(cenc.dir(),
                cenc.tracks()));
        assertEquals("cenc-1: manifest.mpd is not UTF-8", e.getMessage());
    }

    @Test
    void rootMustBeTheDashMpdElement() throws Exception {
        String other = cenc.mpd().replace("xmlns=\"urn:mpeg:dash:schema:mpd:2011\"", "xmlns=\"urn:example:mpd\"");
        assertTrue(cenc.refused(other).getMessage().startsWith("cenc-1: manifest.mpd: the root is {urn:example:mpd}MPD"));
        assertTrue(cenc.refused(cenc.mpd().replace("type=\"static\"", "type=\"dynamic\""))
                .getMessage().contains("type is 'dynamic'"));
    }

    @Test
    void protectionMustMatchTheKeyUsed() throws Exception {
        UUID other = UUID.randomUUID();
        PackagingException e = cenc.refused(cenc.mpd().replace(cenc.kid().toString(), other.toString()));
        assertTrue(e.getMessage().contains("has cenc:default_KID " + other + ", the title's key is " + cenc.kid()),
                e.getMessage());
        // the mp4protection descriptor gone from an encrypted title
        String noProtection = cenc.mpd().replaceAll("(?m)^ *<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\"[^>]*/>\n", "");
        assertTrue(cenc.refused(noProtection).getMessage().contains("has no urn:mpeg:dash:mp4protection:2011"
                + " ContentProtection, but the title is encrypted"));
        // a clear title claiming protection
        String claimed = clear.mpd().replace("<Representation id=\"video-180p\"", MpdWriter.writeContentProtection(
                ContentProtection.mp4Protection(dev.kino.protocol.dash.EncryptionScheme.CENC, other), 3)
                + "      <Representation id=\"video-180p\"");
        assertTrue(clear.refused(claimed).getMessage().contains("has ContentProtection, but the title is clear"));
    }

    @Test
    void theClearKeyLicenceUrlMustBeTheRelativeOneTheServerFillsIn() throws Exception {
        String written = cenc.mpd();
        assertTrue(written.contains("<dashif:Laurl>license/clearkey</dashif:Laurl>"), written);
        MpdVerifier.verify(cenc.dir(), cenc.tracks());
        assertTrue(cenc.refused(written.replace("<dashif:Laurl>license/clearkey<", "<dashif:Laurl>https://media.example/license/clearkey<"))
                .getMessage().contains("expected the relative license/clearkey"));
        assertTrue(cenc.refused(written.replace("<dashif:Laurl>license/clearkey<", "<dashif:Laurl>javascript:alert(1)<"))
                .getMessage().contains("expected the relative license/clearkey"));
        String mismatch = written.replaceFirst("Lic_type=\"EME-1.0\">[^<]*<", "Lic_type=\"EME-1.0\">https://elsewhere.example/<");
        assertTrue(cenc.refused(mismatch).getMessage().contains("differs from dashif:Laurl"));
        String noClearKey = written.replaceAll("(?s)<ContentProtection schemeIdUri=\"" + ContentProtection.DASHIF_CLEARKEY_SCHEME
                + "\".*?</ContentProtection>\n", "");
        assertTrue(cenc.refused(noClearKey).getMessage().contains("has no DASH-IF ClearKey ContentProtection"),
                cenc.refused(noClearKey).getMessage());
    }

    @Test
    void everyRepresentationAndSegmentMustExist() throws Exception {
        Path seg = cenc.dir().resolve("video-180p/seg-00001.m4s");
        Path kept = cenc.dir().resolve("kept.m4s");
        Files.move(seg, kept);
        try {
            PackagingException e = assertThrows(PackagingException.class, () -> MpdVerifier.verify(cenc.dir(),
                    cenc.tracks()));
            assertEquals("cenc-1: manifest.mpd: Representation 'video-180p' references video-180p/seg-00001.m4s,"
                    + " which is missing or empty", e.getMessage());
        } finally {
            Files.move(kept, seg);
        }
        String renamed = cenc.mpd().replace("id=\"audio-und\"", "id=\"audio-xx\"");
        assertTrue(cenc.refused(renamed).getMessage().contains("Representation 'audio-xx' is no rendition"));
        String escaping = cenc.mpd().replace("initialization=\"video-180p/init.mp4\"",
                "initialization=\"../clear-1/video-180p/init.mp4\"");
        assertTrue(cenc.refused(escaping).getMessage().contains("which is missing or empty"), "outside the folder");
        String wrongSize = cenc.mpd().replace("width=\"320\"", "width=\"640\"");
        assertTrue(cenc.refused(wrongSize).getMessage().contains("is 640x180, the rendition 320x180"));
    }

    @Test
    void initSegmentMustDeclareTheSameKey() throws Exception {
        Path init = cenc.dir().resolve("video-180p/init.mp4");
        byte[] encrypted = Files.readAllBytes(init);
        Files.copy(clear.dir().resolve("video-180p/init.mp4"), init, StandardCopyOption.REPLACE_EXISTING);
        try {
            PackagingException e = assertThrows(PackagingException.class, () -> MpdVerifier.verify(cenc.dir(),
                    cenc.tracks()));
            assertTrue(e.getMessage().contains("the initialization segment has no tenc: not encrypted"), e.getMessage());
        } finally {
            Files.write(init, encrypted);
        }
    }

    /** The MPD with a DASH-IF ClearKey descriptor after each mp4protection one, as the writer would put it. */
}
