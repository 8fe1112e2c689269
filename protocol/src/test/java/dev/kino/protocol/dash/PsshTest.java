package dev.kino.protocol.dash;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PsshTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final UUID K1 = UUID.fromString("10000000-1000-1000-8000-000000000001");
    private static final UUID K2 = UUID.fromString("20000000-2000-2000-8000-000000000002");

    @Test
    void widevineSystemIdBytes() {
        assertEquals("edef8ba979d64acea3c827dcd51d21ed", HEX.formatHex(Pssh.uuidBytes(Pssh.WIDEVINE_SYSTEM_ID)));
        assertEquals("1077efecc0b24d02ace33c1e52e2fb4b", HEX.formatHex(Pssh.uuidBytes(Pssh.W3C_COMMON_SYSTEM_ID)));
    }

    @Test
    void version0BoxLaidOutByHand() {
        byte[] data = {1, 2, 3};
        String expected = "00000023" // size 35 = 8 + 4 + 16 + 4 + 3
                + "70737368"         // 'pssh'
                + "00000000"         // version 0, flags 0
                + "edef8ba979d64acea3c827dcd51d21ed"
                + "00000003" + "010203";
        assertEquals(expected, HEX.formatHex(Pssh.box(Pssh.WIDEVINE_SYSTEM_ID, List.of(), data)));
        assertEquals("0000002070737368000000001077efecc0b24d02ace33c1e52e2fb4b00000000",
                HEX.formatHex(Pssh.box(Pssh.W3C_COMMON_SYSTEM_ID, List.of(), null)), "no data: DataSize 0");
    }

    @Test
    void version1BoxWithKidsLaidOutByHand() {
        String expected = "00000044"  // 68 = 8 + 4 + 16 + 4 + 2*16 + 4
                + "70737368" + "01000000"
                + "1077efecc0b24d02ace33c1e52e2fb4b"
                + "00000002"
                + "10000000100010008000000000000001"
                + "20000000200020008000000000000002"
                + "00000000";
        assertEquals(expected, HEX.formatHex(Pssh.w3cCommonBox(List.of(K1, K2))));
        assertEquals(expected, HEX.formatHex(Pssh.box(Pssh.W3C_COMMON_SYSTEM_ID, List.of(K1, K2), new byte[0])));
    }

    @Test
    void w3cCommonBoxMatchesTheEmeSpecExample() {
        // W3C "ISO Common Encryption ('cenc') Protection Scheme for ISO Base Media File Format Stream Format",
        // example pssh for two KIDs; KIDs 0x0123456789abcdef0123456789abcdef and 0xfedcba9876543210fedcba9876543210.
        UUID a = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");
        UUID b = UUID.fromString("fedcba98-7654-3210-fedc-ba9876543210");
        String b64 = Base64.getEncoder().encodeToString(Pssh.w3cCommonBox(List.of(a, b)));
        assertEquals("AAAARHBzc2gBAAAAEHfv7MCyTQKs4zweUuL7SwAAAAIBI0VniavN7wEjRWeJq83v/ty6mHZUMhD+3LqYdlQyEAAAAAA=",
                b64);
    }

    @Test
    void widevineDataProtobuf() {
        assertEquals("1210" + "10000000100010008000000000000001" + "1210" + "20000000200020008000000000000002",
                HEX.formatHex(Pssh.widevineData(List.of(K1, K2), null)));
        assertEquals("1210" + "10000000100010008000000000000001" + "2203" + "616263",
                HEX.formatHex(Pssh.widevineData(List.of(K1), "abc".getBytes())));
        byte[] longId = new byte[300]; // varint 300 = 0xac 0x02
        byte[] d = Pssh.widevineData(List.of(K1), longId);
        assertEquals("22ac02", HEX.formatHex(d, 18, 21));
        assertEquals(18 + 3 + 300, d.length);
        assertEquals("2200", HEX.formatHex(Pssh.widevineData(List.of(K1), new byte[0]), 18, 20));
    }

    @Test
    void widevineBoxIsVersion0WithProtobufData() {
        byte[] box = Pssh.widevineBox(List.of(K1), null);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(HEX.parseHex("00000032" + "70737368" + "00000000" + "edef8ba979d64acea3c827dcd51d21ed"
                + "00000012" + "1210" + "10000000100010008000000000000001"));
        assertArrayEquals(expected.toByteArray(), box);
        assertEquals(Pssh.WIDEVINE_SYSTEM_ID, Pssh.systemIdOf(box));
    }

    @Test
    void systemIdOfRejectsMalformedBoxes() {
        byte[] good = Pssh.w3cCommonBox(List.of(K1));
        assertEquals(Pssh.W3C_COMMON_SYSTEM_ID, Pssh.systemIdOf(good));
        byte[] shortBox = new byte[20];
        assertThrows(IllegalArgumentException.class, () -> Pssh.systemIdOf(shortBox));
        byte[] wrongSize = good.clone();
        wrongSize[3]++;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pssh.systemIdOf(wrongSize))
                .getMessage().contains("size"));
        byte[] wrongType = good.clone();
        wrongType[4] = 'x';
        assertThrows(IllegalArgumentException.class, () -> Pssh.systemIdOf(wrongType));
        byte[] v2 = good.clone();
        v2[8] = 2;
        assertThrows(IllegalArgumentException.class, () -> Pssh.systemIdOf(v2));
    }

    @Test
    void argumentChecks() {
        assertThrows(IllegalArgumentException.class, () -> Pssh.widevineData(List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> Pssh.w3cCommonBox(List.of()));
        assertThrows(NullPointerException.class, () -> Pssh.box(null, List.of(), null));
        java.util.ArrayList<UUID> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> Pssh.box(Pssh.WIDEVINE_SYSTEM_ID, withNull, null));
    }

    @Test
    void contentProtectionRejectsPsshOfAnotherSystem() {
        byte[] common = Pssh.w3cCommonBox(List.of(K1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContentProtection.widevine(K1, common));
        assertTrue(e.getMessage().contains("ContentProtection.pssh"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContentProtection.widevine(K1, new byte[] {1, 2, 3}));
    }

    @Test
    void contentProtectionCopiesPsshAndComparesByContent() {
        byte[] box = Pssh.widevineBox(List.of(K1), null);
        ContentProtection a = ContentProtection.widevine(K1, box);
        box[40] ^= 1;
        ContentProtection b = ContentProtection.widevine(K1, Pssh.widevineBox(List.of(K1), null));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        byte[] got = a.pssh();
        got[0] = 9;
        assertEquals(0, a.pssh()[0], "accessor returns a copy");
    }
}
