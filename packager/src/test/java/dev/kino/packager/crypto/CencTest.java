package dev.kino.packager.crypto;

import dev.kino.packager.cmaf.CmafTrackWriter;
import dev.kino.packager.cmaf.Encryption;
import dev.kino.packager.cmaf.TestBoxes;
import dev.kino.packager.cmaf.TestFfmpeg;
import dev.kino.packager.cmaf.TestMedia;
import dev.kino.packager.media.EncodedSample;
import dev.kino.protocol.dash.Pssh;
import dev.kino.protocol.key.ContentKey;
import dev.kino.protocol.key.KeyId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CencTest {
    static final KeyId KID = KeyId.fromHex("0123456789abcdef0123456789abcdef");
    static final ContentKey KEY = ContentKey.fromHex("00112233445566778899aabbccddeeff");

    @TempDir
    Path dir;

    @Test
    void encryptedInitSegmentLayout() {
        TestMedia.Track v = TestMedia.get().video;
        byte[] init = new CmafTrackWriter(v.format(), Optional.of(Encryption.cenc(KID, KEY))).initSegment();
        TestBoxes.Box root = TestBoxes.parse(init);
        String entry = "moov/trak/mdia/minf/stbl/stsd/encv";
        for (String p : List.of(entry + "/avcC", entry + "/sinf/frma", entry + "/sinf/schm",
                entry + "/sinf/schi/tenc")) {
            assertNotNull(root.find(p), p + " missing in\n" + TestBoxes.dump(root));
        }
        assertEquals("avc1", new String(init, root.find(entry + "/sinf/frma").payload(), 4));
        TestBoxes.Box schm = root.find(entry + "/sinf/schm");
        assertEquals("cenc", new String(init, schm.payload() + 4, 4));
        assertEquals(0x00010000, ByteBuffer.wrap(init).getInt(schm.payload() + 8));
        TestBoxes.Box tenc = root.find(entry + "/sinf/schi/tenc");
        assertEquals(1, init[tenc.payload() + 6], "default_isProtected");
        assertEquals(8, init[tenc.payload() + 7], "Per_Sample_IV_Size");
        assertArrayEquals(KID.bytes(), Arrays.copyOfRange(init, tenc.payload() + 8, tenc.payload() + 24));

        List<TestBoxes.Box> pssh = root.find("moov").all("pssh");
        assertEquals(2, pssh.size());
        assertEquals(Pssh.WIDEVINE_SYSTEM_ID,
                Pssh.systemIdOf(Arrays.copyOfRange(init, pssh.get(0).offset(), pssh.get(0).offset() + pssh.get(0).size())));
        byte[] common = Arrays.copyOfRange(init, pssh.get(1).offset(), pssh.get(1).offset() + pssh.get(1).size());
        assertEquals(Pssh.W3C_COMMON_SYSTEM_ID, Pssh.systemIdOf(common));
        assertEquals(1, common[8], "W3C common pssh is version 1");
        assertArrayEquals(KID.bytes(), Arrays.copyOfRange(common, 32, 48));

        TestMedia.Track a = TestMedia.get().audio;
        byte[] ainit = new CmafTrackWriter(a.format(), Optional.of(Encryption.cenc(KID, KEY))).initSegment();
        TestBoxes.Box aroot = TestBoxes.parse(ainit);
        assertNotNull(aroot.find("moov/trak/mdia/minf/stbl/stsd/enca/esds"), TestBoxes.dump(aroot));
        assertEquals("mp4a", new String(ainit, aroot.find("moov/trak/mdia/minf/stbl/stsd/enca/sinf/frma").payload(), 4));
    }

    @Test
    void encryptedSegmentLayoutAndAuxInfoOffsets() {
        TestMedia.Track v = TestMedia.get().video;
        CmafTrackWriter w = new CmafTrackWriter(v.format(), Optional.of(Encryption.cenc(KID, KEY).withIvStart(41)));
        List<EncodedSample> samples = v.segments(0).get(0);
        byte[] seg = w.mediaSegment(1, samples);
        ByteBuffer b = ByteBuffer.wrap(seg);
        TestBoxes.Box root = TestBoxes.parse(seg);
        TestBoxes.Box moof = root.find("moof");
        TestBoxes.Box senc = root.find("moof/traf/senc");
        TestBoxes.Box saiz = root.find("moof/traf/saiz");
        TestBoxes.Box saio = root.find("moof/traf/saio");
        assertNotNull(senc, TestBoxes.dump(root));
        assertNotNull(saiz);
        assertNotNull(saio);
        assertEquals(2, b.getInt(senc.payload()) & 0xFFFFFF, "senc flag 0x2: subsamples");
        assertEquals(samples.size(), b.getInt(senc.payload() + 4));
        int firstIv = senc.payload() + 8;
        assertEquals(firstIv, moof.offset() + b.getInt(saio.payload() + 8), "saio points at the first IV");
        assertEquals(1, b.getInt(saio.payload() + 4));
        assertEquals(41, b.getLong(firstIv), "IV = ivStart + sample index");
        // saiz sizes add up to the senc payload after its header
        int sizes = 0;
        int def = seg[saiz.payload() + 4] & 0xFF;
        assertEquals(samples.size(), b.getInt(saiz.payload() + 5));
        for (int i = 0; i < samples.size(); i++) {
            sizes += def != 0 ? def : seg[saiz.payload() + 9 + i] & 0xFF;
        }
        assertEquals(senc.size() - 16, sizes);
        // IVs keep counting in the next segment
        byte[] seg2 = w.mediaSegment(2, v.segments(0).get(1));
        TestBoxes.Box senc2 = TestBoxes.parse(seg2).find("moof/traf/senc");
        assertEquals(41 + samples.size(), ByteBuffer.wrap(seg2).getLong(senc2.payload() + 8));
    }

    @Test
    void decryptingGivesBackTheClearSamples() {
        for (TestMedia.Track t : List.of(TestMedia.get().video, TestMedia.get().audio)) {
            CmafTrackWriter w = new CmafTrackWriter(t.format(), Optional.of(Encryption.cenc(KID, KEY)));
            byte[] init = w.initSegment();
            int seq = 1;
            int changed = 0;
            for (List<EncodedSample> s : t.segments(30)) {
                byte[] seg = w.mediaSegment(seq++, s);
                List<byte[]> clear = CencDecryptor.decryptSamples(init, seg, KEY.bytes());
                assertEquals(s.size(), clear.size());
                for (int i = 0; i < s.size(); i++) {
                    assertArrayEquals(s.get(i).data(), clear.get(i), "sample " + i);
                }
                TestBoxes.Box mdat = TestBoxes.parse(seg).find("mdat");
                int p = mdat.payload();
                for (EncodedSample e : s) {
                    if (!Arrays.equals(e.data(), Arrays.copyOfRange(seg, p, p + e.data().length))) {
                        changed++;
                    }
                    p += e.data().length;
                }
                byte[] wrong = CencDecryptor.decryptSamples(init, seg, new byte[16]).get(0);
                assertFalse(Arrays.equals(s.get(0).data(), wrong), "a wrong key must not decrypt");
            }
            assertTrue(changed >= t.samples().size() - 2, "samples are encrypted in the mdat: " + changed);
        }
    }

    @Test
    void ffmpegDecodesTheEncryptedFilesWithTheKey() {
        for (TestMedia.Track t : List.of(TestMedia.get().video, TestMedia.get().audio)) {
            CmafTrackWriter clearW = new CmafTrackWriter(t.format(), Optional.empty());
            CmafTrackWriter encW = new CmafTrackWriter(t.format(), Optional.of(Encryption.cenc(KID, KEY)));
            List<byte[]> clear = new ArrayList<>();
            List<byte[]> enc = new ArrayList<>();
            int seq = 1;
            for (List<EncodedSample> s : t.segments(30)) {
                clear.add(clearW.mediaSegment(seq, s));
                enc.add(encW.mediaSegment(seq++, s));
            }
            byte[] clearFile = TestFfmpeg.concat(clearW.initSegment(), clear);
            byte[] encFile = TestFfmpeg.concat(encW.initSegment(), enc);
            assertEquals(t.samples().size(), TestFfmpeg.countPackets(encFile, dir, KEY.toHex()));
            TestFfmpeg.Decoded expected = TestFfmpeg.decode(clearFile, dir, null);
            TestFfmpeg.Decoded actual = TestFfmpeg.decode(encFile, dir, KEY.toHex());
            assertEquals(expected, actual, t.format().kind() + " decodes identically with the key");
            if (!expected.videoFrameHashes().isEmpty()) {
                assertEquals(t.samples().size(), actual.videoFrameHashes().size());
                Set<Integer> distinct = new HashSet<>(actual.videoFrameHashes());
                assertTrue(distinct.size() > 40, "frames differ from each other");
            } else {
                assertTrue(actual.audioSamples() > 80_000, "audio decoded: " + actual.audioSamples());
            }
        }
    }

    @Test
    void sixteenByteIvsRoundTrip() {
        TestMedia.Track v = TestMedia.get().video;
        Encryption e = new Encryption(KID, KEY, 16, List.of(Pssh.w3cCommonBox(List.of(KID.toUuid()))),
                java.util.OptionalLong.of(7));
        CmafTrackWriter w = new CmafTrackWriter(v.format(), Optional.of(e));
        byte[] init = w.initSegment();
        List<EncodedSample> s = v.segments(0).get(0);
        byte[] seg = w.mediaSegment(1, s);
        List<byte[]> clear = CencDecryptor.decryptSamples(init, seg, KEY.bytes());
        for (int i = 0; i < s.size(); i++) {
            assertArrayEquals(s.get(i).data(), clear.get(i));
        }
        TestBoxes.Box tenc = TestBoxes.parse(init).find("moov/trak/mdia/minf/stbl/stsd/encv/sinf/schi/tenc");
        assertEquals(16, init[tenc.payload() + 7]);
        String hex = KEY.toHex();
        assertNotEquals(0, TestFfmpeg.decode(TestFfmpeg.concat(init, List.of(seg)), dir, hex).videoFrameHashes().size());
    }
}
