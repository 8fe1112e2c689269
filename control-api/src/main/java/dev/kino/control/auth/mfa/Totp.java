package dev.kino.control.auth.mfa;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * Time-based one-time passwords: TOTP (RFC 6238) over HOTP (RFC 4226), with the parameters every authenticator app
 * uses by default: HMAC-SHA1, 6 digits, 30-second steps from the Unix epoch ({@code T0 = 0}).
 *
 * <p>HOTP (RFC 4226 §5.3): {@code HS = HMAC(K, C)} over the 8-byte big-endian counter, dynamic truncation takes the
 * 31 bits at offset {@code HS[19] & 0xf}, and the code is that number modulo {@code 10^digits}, left-padded with
 * zeros. TOTP (RFC 6238 §4.2) uses {@code C = floor((unixTime - T0) / X)}, the time-step.
 *
 * <p>Thread-safe and stateless: which steps were already used is the caller's to remember (RFC 6238 §5.2: "the
 * verifier MUST NOT accept the second attempt of the same OTP after the successful validation").
 */
public final class Totp {
    /** RFC 6238 §4.1 X: the time-step. */
    public static final Duration STEP = Duration.ofSeconds(30);
    /** Digits of a code. */
    public static final int DIGITS = 6;
    /**
     * Steps accepted either side of the current one (RFC 6238 §5.2 recommends at most one), for phones whose clock is
     * off and for codes typed in the last seconds of their step.
     */
    public static final int SKEW_STEPS = 1;
    /** Secret length: 160 bits, the length of an HMAC-SHA1 output (RFC 4226 §4 R6). */
    public static final int SECRET_BYTES = 20;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    /** @return a new random shared secret of {@value #SECRET_BYTES} bytes */
    public static byte[] newSecret() {
        byte[] s = new byte[SECRET_BYTES];
        RANDOM.nextBytes(s);
        return s;
    }

    /** @return the RFC 6238 time-step {@code T} of an instant (30-second steps since the epoch) */
    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), STEP.toSeconds());
    }

    /**
     * HOTP of RFC 4226 §5.3.
     *
     * @param algorithm {@code HmacSHA1} (RFC 4226), or {@code HmacSHA256} / {@code HmacSHA512} (RFC 6238 §1.2)
     * @param key the shared secret
     * @param counter the moving factor (for TOTP, the time-step)
     * @param digits 1 to 8
     * @return the code, zero-padded to {@code digits}
     */
    public static String hotp(String algorithm, byte[] key, long counter, int digits) {
        if (digits < 1 || digits > 8) {
            throw new IllegalArgumentException("digits must be 1 to 8, not " + digits);
        }
        byte[] hs;
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, "RAW"));
            hs = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is unavailable", e);
        }
        int offset = hs[hs.length - 1] & 0xf; // dynamic truncation (RFC 4226 §5.4), on the last byte for any hash
        int binary = ((hs[offset] & 0x7f) << 24) | ((hs[offset + 1] & 0xff) << 16)
                | ((hs[offset + 2] & 0xff) << 8) | (hs[offset + 3] & 0xff);
        String code = Integer.toString(binary % POWERS[digits]);
        return "0".repeat(digits - code.length()) + code;
    }

    /** @return the 6-digit HMAC-SHA1 TOTP code of {@code key} at time-step {@code step} */
    public static String code(byte[] key, long step) {
        return hotp("HmacSHA1", key, step, DIGITS);
    }

    /**
     * Finds which of the steps around {@code now} a code belongs to, comparing every candidate in constant time.
     *
     * @param key the shared secret
     * @param code what the user typed (spaces are ignored)
     * @param now the verifier's time
     * @return the matching time-step, or -1 when the code matches none within ±{@value #SKEW_STEPS}
     */
    public static long matchingStep(byte[] key, String code, Instant now) {
        String typed = code == null ? "" : code.replace(" ", "");
        if (typed.length() != DIGITS || !typed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long current = step(now);
        long found = -1;
        for (long s = current - SKEW_STEPS; s <= current + SKEW_STEPS; s++) {
            // no early exit: the time taken does not tell which step matched
            if (java.security.MessageDigest.isEqual(code(key, s).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    typed.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                found = Math.max(found, s);
            }
        }
        return found;
    }
}
