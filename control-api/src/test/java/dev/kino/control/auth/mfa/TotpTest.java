package dev.kino.control.auth.mfa;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TotpTest {
    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 =
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 Appendix B: time (s), then the 8-digit TOTP of SHA-1, SHA-256 and SHA-512. */
    private static final String[][] APPENDIX_B = {
            {"59", "94287082", "46119246", "90693936"},
            {"1111111109", "07081804", "68084774", "25091201"},
            {"1111111111", "14050471", "67062674", "99943326"},
            {"1234567890", "89005924", "91819424", "93441116"},
            {"2000000000", "69279037", "90698825", "38618901"},
            {"20000000000", "65353130", "77737706", "47863826"}};

    @Test
    void rfc6238AppendixBVectors() {
        for (String[] row : APPENDIX_B) {
            long t = Totp.step(Instant.ofEpochSecond(Long.parseLong(row[0])));
            assertEquals(row[1], Totp.hotp("HmacSHA1", SEED_SHA1, t, 8), "SHA-1 at " + row[0]);
            assertEquals(row[2], Totp.hotp("HmacSHA256", SEED_SHA256, t, 8), "SHA-256 at " + row[0]);
            assertEquals(row[3], Totp.hotp("HmacSHA512", SEED_SHA512, t, 8), "SHA-512 at " + row[0]);
        }
    }

    @Test
    void rfc4226AppendixDHotpValues() {
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
                "399871", "520489"};
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], Totp.hotp("HmacSHA1", SEED_SHA1, c, 6), "counter " + c);
        }
    }

    @Test
    void acceptsOneStepOfSkewEitherSideAndNoMore() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        byte[] key = Totp.newSecret();
        assertEquals(step, Totp.matchingStep(key, Totp.code(key, step), now));
        assertEquals(step - 1, Totp.matchingStep(key, Totp.code(key, step - 1), now));
        assertEquals(step + 1, Totp.matchingStep(key, Totp.code(key, step + 1), now));
        String twoBehind = Totp.code(key, step - 2);
        if (!twoBehind.equals(Totp.code(key, step - 1)) && !twoBehind.equals(Totp.code(key, step))
                && !twoBehind.equals(Totp.code(key, step + 1))) {
            assertEquals(-1, Totp.matchingStep(key, twoBehind, now));
        }
        assertEquals(-1, Totp.matchingStep(key, "12345", now));
        assertEquals(-1, Totp.matchingStep(key, "abcdef", now));
        assertEquals(-1, Totp.matchingStep(key, null, now));
    }

    @Test
    void base32Rfc4648Vectors() {
        String[][] v = {{"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},
                {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
        for (String[] p : v) {
            assertEquals(p[1], Base32.encode(p[0].getBytes(StandardCharsets.US_ASCII)));
            assertEquals(p[0], new String(Base32.decode(p[1]), StandardCharsets.US_ASCII));
        }
        assertEquals("foobar", new String(Base32.decode("mzxw 6ytb-oi======"), StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> Base32.decode("MZ1W"));
    }

    @Test
    void sealedSecretsOpenOnlyForTheirAccountAndKey() {
        byte[] kek = new byte[32];
        kek[0] = 7;
        SecretBox box = SecretBox.derive(kek);
        UUID a = UUID.randomUUID();
        byte[] secret = Totp.newSecret();
        byte[] sealed = box.seal(a, secret);
        assertArrayEquals(secret, box.open(a, sealed));
        assertNotEquals(new String(secret, StandardCharsets.ISO_8859_1), new String(sealed, StandardCharsets.ISO_8859_1));
        assertThrows(IllegalStateException.class, () -> box.open(UUID.randomUUID(), sealed));
        byte[] otherKek = kek.clone();
        otherKek[1] = 1;
        assertThrows(IllegalStateException.class, () -> SecretBox.derive(otherKek).open(a, sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> box.open(a, sealed));
    }

    @Test
    void recoveryCodesAreDistinctAndHashIgnoresTyping() {
        var codes = RecoveryCodes.generate();
        assertEquals(10, codes.size());
        assertEquals(10, codes.stream().distinct().count());
        UUID a = UUID.randomUUID();
        String c = codes.get(0);
        assertTrue(c.matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}"), c);
        assertArrayEquals(RecoveryCodes.hash(a, c), RecoveryCodes.hash(a, " " + c.toUpperCase().replace("-", " ")));
        assertNotEquals(java.util.HexFormat.of().formatHex(RecoveryCodes.hash(a, c)),
                java.util.HexFormat.of().formatHex(RecoveryCodes.hash(UUID.randomUUID(), c)));
        assertTrue(RecoveryCodes.looksLikeOne(c));
        assertTrue(!RecoveryCodes.looksLikeOne("123456"));
    }

    @Test
    void qrCodeIsAnSvgDataUri() {
        String uri = QrCodes.svgDataUri("otpauth://totp/Kino:alice?secret=JBSWY3DPEHPK3PXP&issuer=Kino");
        assertTrue(uri.startsWith("data:image/svg+xml;base64,"));
        String svg = new String(java.util.Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)),
                StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<svg") && svg.contains("<path"), svg);
    }
}
