package dev.kino.protocol.token;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Garbage never throws and never verifies. Seeded, so failures reproduce. */
class TokenFuzzTest {

    private static final SigningKeys KEYS = SigningKeys.single("k1", TestKeys.secret(1));
    private static final TokenSigner SIGNER = new TokenSigner(KEYS);
    private static final TokenVerifier VERIFIER = new TokenVerifier(KEYS, Duration.ofSeconds(30));
    private static final Instant NOW = Instant.ofEpochSecond(1_767_225_660L);
    private static final InetAddress CLIENT = IpRange.parseAddress("203.0.113.7");
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static FailureReason check(String token, Set<FailureReason> allowed) {
        VerificationResult r;
        try {
            r = VERIFIER.verify(token, "/title-123/x", CLIENT, NOW);
        } catch (RuntimeException e) {
            fail("threw on " + token, e);
            return null;
        }
        assertFalse(r.isValid(), token);
        FailureReason reason = ((VerificationResult.Rejected) r).reason();
        assertTrue(allowed.contains(reason), reason + " for " + token);
        return reason;
    }

    @Test
    void randomStringsAreMalformed() {
        Random rnd = new Random(42);
        Set<FailureReason> allowed = EnumSet.of(FailureReason.MALFORMED);
        for (int i = 0; i < 10_000; i++) {
            int len = rnd.nextInt(i % 10 == 0 ? 2000 : 200);
            StringBuilder sb = new StringBuilder(len);
            for (int j = 0; j < len; j++) {
                sb.append((char) rnd.nextInt(i % 2 == 0 ? 128 : 0x10000));
            }
            check(sb.toString(), allowed);
        }
    }

    @Test
    void randomBytesAreMalformed() {
        Random rnd = new Random(7);
        Set<FailureReason> allowed = EnumSet.of(FailureReason.MALFORMED);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            check(new String(b, StandardCharsets.ISO_8859_1), allowed);
            check(new String(b, StandardCharsets.UTF_8), allowed);
        }
    }

    @Test
    void randomTokenShapedStringsNeverVerify() {
        // Right alphabet and shape, random content: the MAC stops them (or the kid is unknown).
        Random rnd = new Random(1234);
        Set<FailureReason> allowed = EnumSet.of(FailureReason.MALFORMED, FailureReason.BAD_SIGNATURE, FailureReason.UNKNOWN_KEY);
        int badSignature = 0;
        for (int i = 0; i < 10_000; i++) {
            String kid = rnd.nextInt(4) == 0 ? random(rnd, B64, 1 + rnd.nextInt(40)) : "k1";
            String claims = random(rnd, rnd.nextInt(8) == 0 ? B64 + ".~" : B64, rnd.nextInt(120));
            String mac = random(rnd, B64, rnd.nextInt(10) == 0 ? rnd.nextInt(50) : 43);
            String version = rnd.nextInt(8) == 0 ? random(rnd, B64, 1 + rnd.nextInt(2)) : "1";
            if (check(version + "." + kid + "." + claims + "." + mac, allowed) == FailureReason.BAD_SIGNATURE) {
                badSignature++;
            }
        }
        assertTrue(badSignature > 2_500, "the MAC check was exercised " + badSignature + " times");
    }

    @Test
    void randomClaimsBehindAValidMacNeverThrow() {
        // Exercises the claims decoder with arbitrary bytes: MALFORMED or (rarely) a valid decode.
        Random rnd = new Random(99);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[rnd.nextInt(80)];
            rnd.nextBytes(b);
            if (b.length > 0 && rnd.nextBoolean()) {
                b[0] &= 0x1F; // known flags only, to get deeper into the decoder
            }
            if (b.length > 17 && rnd.nextBoolean()) {
                for (int j = 1; j < 17; j++) {
                    b[j] = 0; // small times
                }
                b[16] = 1;
            }
            String token = SIGNER.signClaimsBytes(b);
            try {
                VERIFIER.verify(token, "/title-123/x", CLIENT, NOW);
            } catch (RuntimeException e) {
                fail("threw on claims of " + b.length + " bytes", e);
            }
        }
    }

    @Test
    void randomPathsAndAddressesNeverThrow() {
        Random rnd = new Random(5);
        String token = SIGNER.sign(PlaybackClaims.builder().notBefore(NOW.getEpochSecond()).expiresAt(NOW.getEpochSecond() + 60)
                .pathPrefix("/title-123/").clientRange(IpRange.parse("203.0.113.0/24")).build());
        for (int i = 0; i < 10_000; i++) {
            String path = "/title-123/" + random(rnd, "ab./%~_-\\?#\u00e9\u0000", rnd.nextInt(20));
            byte[] addr = new byte[rnd.nextBoolean() ? 4 : 16];
            rnd.nextBytes(addr);
            try {
                VERIFIER.verify(token, path, InetAddress.getByAddress(addr), NOW);
            } catch (RuntimeException e) {
                fail("threw on " + path, e);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String random(Random rnd, String alphabet, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
