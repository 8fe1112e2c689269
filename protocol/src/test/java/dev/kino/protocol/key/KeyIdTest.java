package dev.kino.protocol.key;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyIdTest {

    private static final byte[] BYTES = {(byte) 0x9e, (byte) 0xb4, 0x05, 0x0d, (byte) 0xe4, 0x4b, 0x48, 0x02,
            (byte) 0x93, 0x2e, 0x27, (byte) 0xd7, 0x50, (byte) 0x83, (byte) 0xe2, 0x66};

    @Test
    void allTextFormsDenoteTheSameBytes() {
        KeyId k = KeyId.of(BYTES);
        assertEquals("9eb4050d-e44b-4802-932e-27d75083e266", k.toString());
        assertEquals("9eb4050de44b4802932e27d75083e266", k.toHex());
        assertEquals("nrQFDeRLSAKTLifXUIPiZg", k.toBase64Url());
        assertEquals(UUID.fromString("9eb4050d-e44b-4802-932e-27d75083e266"), k.toUuid());
        assertEquals(k, KeyId.of(k.toUuid()));
        assertEquals(k, KeyId.parse("9EB4050D-E44B-4802-932E-27D75083E266"));
        assertEquals(k, KeyId.parse("9EB4050DE44B4802932E27D75083E266"));
        assertEquals(k, KeyId.parse("nrQFDeRLSAKTLifXUIPiZg"));
        assertEquals(k, KeyId.fromBase64Url("nrQFDeRLSAKTLifXUIPiZg=="));
        assertEquals(k.hashCode(), KeyId.parse(k.toHex()).hashCode());
    }

    @Test
    void copiesBytesInAndOut() {
        byte[] in = BYTES.clone();
        KeyId k = KeyId.of(in);
        in[0] = 0;
        assertEquals((byte) 0x9e, k.bytes()[0]);
        k.bytes()[0] = 0;
        assertEquals((byte) 0x9e, k.bytes()[0]);
    }

    @Test
    void rejectsWrongLengthsAndForms() {
        assertThrows(IllegalArgumentException.class, () -> KeyId.of(new byte[15]));
        assertThrows(NullPointerException.class, () -> KeyId.of((byte[]) null));
        for (String bad : List.of("", "abc", "9eb4050de44b4802932e27d75083e26", "9eb4050de44b4802932e27d75083e26g",
                "9eb4050d-e44b-4802-932e27d75083e2666", "nrQFDeRLSAKTLifXUIPiZ+", "AAAAAAAAAAAAAAAAAAAAAAAA")) {
            assertThrows(IllegalArgumentException.class, () -> KeyId.parse(bad), bad);
        }
        LicenceMessageException e = assertThrows(LicenceMessageException.class,
                () -> KeyId.fromBase64Url("AAAAAAAAAAAAAAAAAAAA")); // 15 bytes
        assertEquals("key ID must be 16 bytes, got 15", e.getMessage());
    }

    @Test
    void randomKeyIdsDiffer() {
        SecureRandom r = new SecureRandom();
        assertNotEquals(KeyId.random(r), KeyId.random(r));
    }
}
