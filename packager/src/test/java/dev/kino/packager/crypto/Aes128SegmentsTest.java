package dev.kino.packager.crypto;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.keystore.WrappedKey;
import dev.kino.common.keystore.WrappedKeyFile;
import dev.kino.packager.cmaf.CmafTrackWriter;
import dev.kino.packager.cmaf.TestMedia;
import dev.kino.protocol.key.HlsAes128;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Aes128SegmentsTest {

    @Test
    void segmentRoundTrip() {
        TestMedia.Track v = TestMedia.get().video;
        byte[] seg = new CmafTrackWriter(v.format(), Optional.empty()).mediaSegment(1, v.segments(0).get(0));
        byte[] key = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] iv = HlsAes128.ivForMediaSequence(1);
        byte[] enc = Aes128Segments.encrypt(key, iv, seg);
        assertEquals(16 * (seg.length / 16 + 1), enc.length);
        assertFalse(Arrays.equals(Arrays.copyOf(enc, 64), Arrays.copyOf(seg, 64)));
        assertArrayEquals(seg, Aes128Segments.decrypt(key, iv, enc));
        byte[] other = key.clone();
        other[0] ^= 1;
        // a wrong key fails the padding check or yields other bytes
        try {
            assertNotEquals(Arrays.hashCode(seg), Arrays.hashCode(Aes128Segments.decrypt(other, iv, enc)));
        } catch (IllegalArgumentException expected) {
            // bad padding
        }
    }

    @Test
    void knownAnswer() {
        // NIST SP 800-38A F.2.1 CBC-AES128 first block; PKCS#7 adds a full padding block
        byte[] key = HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] iv = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] pt = HexFormat.of().parseHex("6bc1bee22e409f96e93d7e117393172a");
        byte[] ct = Aes128Segments.encrypt(key, iv, pt);
        assertEquals("7649abac8119b246cee98e9b12e9197d", HexFormat.of().formatHex(ct, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> Aes128Segments.encrypt(new byte[8], iv, pt));
        assertThrows(IllegalArgumentException.class, () -> Aes128Segments.decrypt(key, iv, new byte[15]));
    }

    @Test
    void generatedKeysWrapIntoTheKeyFile() {
        ContentKeyWrapper kek = new ContentKeyWrapper(new byte[32]);
        ContentKeys.Generated a = ContentKeys.generate(ContentKeys.SCHEME_CENC);
        ContentKeys.Generated b = ContentKeys.generate(ContentKeys.SCHEME_AES_128);
        assertNotEquals(a.kid(), b.kid());
        assertNotEquals(a.key(), b.key());
        List<WrappedKey> read = WrappedKeyFile.read(ContentKeys.wrappedKeyFile(List.of(a, b), kek), kek.fingerprint(), "t");
        assertEquals(a.kid().toHex(), read.get(0).kid());
        assertEquals("aes-128", read.get(1).scheme());
        assertArrayEquals(b.key().bytes(), kek.unwrap(read.get(1).wrapped()));
        assertThrows(IllegalArgumentException.class, () -> ContentKeys.generate("cbcs"));
    }
}
