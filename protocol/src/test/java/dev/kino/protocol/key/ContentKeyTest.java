package dev.kino.protocol.key;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentKeyTest {

    private static final String HEX = "16663 4c675823c235a4a9446fad52e4d".replace(" ", "");

    @Test
    void toStringNeverRevealsTheKey() {
        ContentKey k = ContentKey.fromHex(HEX);
        String s = k.toString();
        assertEquals("ContentKey[redacted]", s);
        assertFalse(s.contains(k.toHex()));
        assertFalse(s.contains(k.toBase64Url()));
        ClearKeyLicenceResponse r = new ClearKeyLicenceResponse(
                java.util.List.of(new ClearKeyLicenceResponse.Key(KeyId.of(new byte[16]), k)),
                ClearKeySessionType.TEMPORARY);
        assertFalse(r.toString().contains(k.toBase64Url()), r.toString());
        assertFalse(r.toString().toLowerCase().contains(HEX), r.toString());
    }

    @Test
    void formsAndEquality() {
        ContentKey k = ContentKey.fromHex(HEX.toUpperCase());
        assertEquals(HEX, k.toHex());
        assertEquals("FmY0xnWCPCNaSpRG-tUuTQ", k.toBase64Url());
        assertEquals(k, ContentKey.fromBase64Url("FmY0xnWCPCNaSpRG-tUuTQ"));
        assertEquals(k, ContentKey.of(k.bytes()));
        assertEquals(k.hashCode(), ContentKey.of(k.bytes()).hashCode());
        byte[] other = k.bytes();
        other[15] ^= 1;
        assertNotEquals(k, ContentKey.of(other));
        assertNotEquals(k, (Object) KeyId.of(k.bytes()), "a key is never equal to a key ID");
    }

    @Test
    void errorsDoNotEchoKeyMaterial() {
        String nearlyKey = HEX.substring(0, 31) + "z";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContentKey.fromHex(nearlyKey));
        assertFalse(e.getMessage().contains(HEX.substring(0, 8)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContentKey.of(new byte[32]));
        assertThrows(LicenceMessageException.class, () -> ContentKey.fromBase64Url("AAAA"));
    }

    @Test
    void generatedKeysAreDistinct() {
        SecureRandom r = new SecureRandom();
        Set<ContentKey> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            keys.add(ContentKey.generate(r));
        }
        assertEquals(100, keys.size());
        byte[] b = ContentKey.generate(r).bytes();
        b[0] = 1;
        assertTrue(b.length == 16);
    }
}
