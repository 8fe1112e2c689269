package dev.kino.control.auth.mfa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Recovery codes: {@value #COUNT} single-use codes shown once at enrolment, for signing in without the phone.
 * Each is 80 random bits as 16 lower-case base32 characters in groups of four ({@code abcd-efgh-ijkl-mnop}); with that
 * much entropy a plain SHA-256 (salted with the account id, so equal codes of two accounts differ) keeps a stolen
 * table useless, as for {@link dev.kino.control.auth.OpaqueTokens}.
 */
public final class RecoveryCodes {
    /** Codes made at once. */
    public static final int COUNT = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    /** @return {@value #COUNT} new codes, for the user's eyes only */
    public static List<String> generate() {
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            byte[] b = new byte[10];
            RANDOM.nextBytes(b);
            String s = Base32.encode(b).toLowerCase(Locale.ROOT);
            codes.add(s.substring(0, 4) + "-" + s.substring(4, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12));
        }
        return codes;
    }

    /** @return true when {@code text} has the shape of a recovery code (rather than a 6-digit TOTP code) */
    public static boolean looksLikeOne(String text) {
        return text != null && normalize(text).length() == 16;
    }

    /** @return the stored hash of a code as typed (case, spaces and hyphens ignored) */
    public static byte[] hash(UUID accountId, String code) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(accountId.toString().getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) ':');
            return sha.digest(normalize(code).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String normalize(String code) {
        StringBuilder sb = new StringBuilder();
        for (char c : code.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')) {
                sb.append(c);
            } else if (c != '-' && c != ' ') {
                return "";
            }
        }
        return sb.toString();
    }
}
