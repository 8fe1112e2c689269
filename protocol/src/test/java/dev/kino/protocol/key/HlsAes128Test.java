package dev.kino.protocol.key;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HlsAes128Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void ivIsTheMediaSequenceNumberBigEndian() {
        assertEquals("00000000000000000000000000000000", HEX.formatHex(HlsAes128.ivForMediaSequence(0)));
        assertEquals("00000000000000000000000000000001", HEX.formatHex(HlsAes128.ivForMediaSequence(1)));
        assertEquals("0000000000000000000000000000002a", HEX.formatHex(HlsAes128.ivForMediaSequence(42)));
        assertEquals("00000000000000000000000000000100", HEX.formatHex(HlsAes128.ivForMediaSequence(256)));
        assertEquals("00000000000000000000000123456789", HEX.formatHex(HlsAes128.ivForMediaSequence(0x123456789L)));
        assertEquals("00000000000000007fffffffffffffff",
                HEX.formatHex(HlsAes128.ivForMediaSequence(Long.MAX_VALUE)));
        assertEquals("0000000000000000ffffffffffffffff", HEX.formatHex(HlsAes128.ivForMediaSequence(-1)),
                "unsigned 64-bit: 2^64-1");
    }

    @Test
    void explicitIvWins() {
        byte[] iv = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        assertArrayEquals(iv, HlsAes128.effectiveIv(iv, 7));
        assertArrayEquals(HlsAes128.ivForMediaSequence(7), HlsAes128.effectiveIv(null, 7));
        assertThrows(IllegalArgumentException.class, () -> HlsAes128.effectiveIv(new byte[8], 7));
    }

    @Test
    void ivAttributeFormatAndParse() {
        assertEquals("0x0000000000000000000000000000002A", HlsAes128.formatIv(HlsAes128.ivForMediaSequence(42)));
        byte[] iv = HEX.parseHex("9c7db8778570d05c3177c349fd9236aa");
        assertEquals("0x9C7DB8778570D05C3177C349FD9236AA", HlsAes128.formatIv(iv));
        assertArrayEquals(iv, HlsAes128.parseIv("0x9c7db8778570d05c3177c349fd9236aa"));
        assertArrayEquals(iv, HlsAes128.parseIv("0X9C7DB8778570D05C3177C349FD9236AA"));
        assertArrayEquals(iv, HlsAes128.parseIv(HlsAes128.formatIv(iv)));
        assertArrayEquals(HlsAes128.ivForMediaSequence(42), HlsAes128.parseIv("0x2a"), "short form, left-padded");
        for (String bad : new String[] {null, "", "0x", "2a", "x2a", "0x2g", "0x" + "0".repeat(33), "0x 2a", "0x-1"}) {
            assertThrows(IllegalArgumentException.class, () -> HlsAes128.parseIv(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> HlsAes128.formatIv(new byte[15]));
    }

    @Test
    void keyFileIsTheSixteenRawBytes() {
        ContentKey k = ContentKey.fromHex("000102030405060708090a0b0c0d0e0f");
        byte[] served = HlsAes128.keyFileBytes(k);
        assertEquals(16, served.length);
        assertArrayEquals(HEX.parseHex("000102030405060708090a0b0c0d0e0f"), served);
        served[0] = 9;
        assertEquals(0, HlsAes128.keyFileBytes(k)[0], "a fresh copy each time");
    }
}
