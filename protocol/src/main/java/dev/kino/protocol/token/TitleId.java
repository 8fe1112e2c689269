package dev.kino.protocol.token;

import java.util.Objects;

/**
 * A validated title id, safe to use as one URL path segment and as a file or key name:
 * {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}} (1 to 128 ASCII characters, all RFC 3986 §2.3 unreserved)
 * and never containing {@code ..}. Other modules should use this type instead of re-validating.
 *
 * @param value the title id text
 */
public record TitleId(String value) {

    /** Maximum length of a title id, in characters. */
    public static final int MAX_LENGTH = 128;

    /**
     * @param value the title id text
     * @throws IllegalArgumentException if {@code value} does not match the rules above
     * @throws NullPointerException if {@code value} is null
     */
    public TitleId {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid title id (want [A-Za-z0-9][A-Za-z0-9._-]{0,127} without \"..\")");
        }
    }

    /**
     * Validates and wraps a title id.
     *
     * @param value the title id text
     * @return the title id
     * @throws IllegalArgumentException if invalid
     * @throws NullPointerException if {@code value} is null
     */
    public static TitleId of(String value) {
        return new TitleId(value);
    }

    /**
     * Whether {@code value} is a valid title id.
     *
     * @param value candidate, may be null
     * @return {@code true} if valid
     */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        char first = value.charAt(0);
        if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || (first >= '0' && first <= '9'))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(TokenFormat.isBase64UrlChar(c) || c == '.')) {
                return false;
            }
            if (c == '.' && value.charAt(i - 1) == '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * The path ACL that grants this whole title (every rendition, segment, key and licence):
     * {@code "/" + value + "/"}. Same as {@link MediaPaths#titlePrefix(TitleId)}.
     *
     * @return the path prefix, e.g. {@code /title-123/}
     */
    public String pathPrefix() {
        return MediaPaths.titlePrefix(this);
    }

    /**
     * @return the title id text
     */
    @Override
    public String toString() {
        return value;
    }
}
