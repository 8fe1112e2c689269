package dev.kino.protocol.key;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Base64UrlTest {

    @Test
    void encodesWithoutPaddingInTheUrlAlphabet() {
        assertEquals("", Base64Url.encode(new byte[0]));
        assertEquals("Zg", Base64Url.encode("f".getBytes()));
        assertEquals("Zm8", Base64Url.encode("fo".getBytes()));
        assertEquals("Zm9v", Base64Url.encode("foo".getBytes()));
        assertEquals("-_8", Base64Url.encode(new byte[] {(byte) 0xfb, (byte) 0xff}));
        // 16 bytes → 22 characters (a padded form would have 24)
        assertEquals(22, Base64Url.encode(new byte[16]).length());
        assertEquals("AAECAwQFBgcICQoLDA0ODw",
                Base64Url.encode(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}));
    }

    @Test
    void decodesUnpaddedAndCorrectlyPadded() {
        assertArrayEquals("fo".getBytes(), Base64Url.decode("Zm8"));
        assertArrayEquals("fo".getBytes(), Base64Url.decode("Zm8="));
        assertArrayEquals("f".getBytes(), Base64Url.decode("Zg=="));
        assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff}, Base64Url.decode("-_8"));
    }

    @Test
    void rejectsMalformed() {
        for (String bad : List.of("+/8", "Zm 8", "Zm8\n", "Z", "Zg=", "Zm9v=", "Zg===", "Zh", "Zm9", "é")) {
            assertThrows(LicenceMessageException.class, () -> Base64Url.decode(bad), bad);
        }
        assertThrows(LicenceMessageException.class, () -> Base64Url.decode(null));
    }
}
