package dev.kino.control.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must satisfy: at least {@value #MIN_LENGTH} characters (at most
 * {@value #MAX_LENGTH}, to bound hashing cost), not one of about 12,000 common passwords shipped in
 * {@code common-passwords.txt}, and not containing the username or the e-mail's local part.
 * No composition rules (NIST SP 800-63B).
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 256;
    private static final String LIST = "common-passwords.txt";

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = common;
    }

    /** @return the policy with the shipped common-password list */
    public static PasswordPolicy standard() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the classpath");
            }
            Set<String> set = new HashSet<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    set.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
            return new PasswordPolicy(Set.copyOf(set));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return how many common passwords are refused */
    public int commonCount() {
        return common.size();
    }

    /**
     * @param password the candidate
     * @param username the account's username (may be null)
     * @param email the account's e-mail (may be null)
     * @return every rule broken, empty when acceptable
     */
    public List<String> problems(String password, String username, String email) {
        List<String> out = new ArrayList<>();
        if (password == null || password.isEmpty()) {
            out.add("is required");
            return out;
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            out.add("must be at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            out.add("must be at most " + MAX_LENGTH + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower)) {
            out.add("is too common; choose one that is not on lists of leaked passwords");
        }
        if (username != null && username.length() >= 3 && lower.contains(username.toLowerCase(Locale.ROOT))) {
            out.add("must not contain the username");
        }
        if (email != null) {
            int at = email.indexOf('@');
            String local = (at < 0 ? email : email.substring(0, at)).toLowerCase(Locale.ROOT);
            if (local.length() >= 3 && lower.contains(local)) {
                out.add("must not contain the e-mail address");
            }
        }
        return out;
    }
}
