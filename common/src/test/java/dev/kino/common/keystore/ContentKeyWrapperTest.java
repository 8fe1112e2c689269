package dev.kino.common.keystore;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContentKeyWrapperTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void matchesTheRfc3394TestVectorFor128BitKek() {
        // RFC 3394 §4.1: wrap 128 bits of key data with a 128-bit KEK.
        ContentKeyWrapper w = new ContentKeyWrapper(HEX.parseHex("000102030405060708090A0B0C0D0E0F"));
        byte[] wrapped = w.wrap(HEX.parseHex("00112233445566778899AABBCCDDEEFF"));
        assertEquals("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5", HEX.formatHex(wrapped));
        assertArrayEquals(HEX.parseHex("00112233445566778899AABBCCDDEEFF"), w.unwrap(wrapped));
    }

    @Test
    void anotherKekOrTamperedBytesFailTheIntegrityCheck() {
        ContentKeyWrapper a = new ContentKeyWrapper(new byte[32]);
        byte[] k = new byte[32];
        k[0] = 1;
        ContentKeyWrapper b = new ContentKeyWrapper(k);
        byte[] wrapped = a.wrap(new byte[16]);
        assertThrows(KeyStoreException.class, () -> b.unwrap(wrapped));
        wrapped[5] ^= 1;
        assertThrows(KeyStoreException.class, () -> a.unwrap(wrapped));
        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void fileRoundTripsAndRefusesAnotherKek() {
        ContentKeyWrapper w = new ContentKeyWrapper(new byte[32]);
        WrappedKey key = new WrappedKey("00112233445566778899AABBCCDDEEFF", "cenc", w.wrap(new byte[16]));
        byte[] json = WrappedKeyFile.write(List.of(key), w.fingerprint());
        List<WrappedKey> read = WrappedKeyFile.read(json, w.fingerprint(), "t/keys.wrapped.json");
        assertEquals(List.of(key), read);
        assertEquals("00112233445566778899aabbccddeeff", read.get(0).kid());
        KeyStoreException e = assertThrows(KeyStoreException.class,
                () -> WrappedKeyFile.read(json, "0000000000000000", "t/keys.wrapped.json"));
        assertEquals("t/keys.wrapped.json was wrapped with key-encryption key " + w.fingerprint()
                + ", but this server holds 0000000000000000", e.getMessage());
        assertThrows(KeyStoreException.class, () -> WrappedKeyFile.read("{".getBytes(), w.fingerprint(), "x"));
    }
}
