package dev.kino.protocol.dash;

import java.util.Collection;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks that a value can be written into an MPD as ISO/IEC 23009-1 expects it: text that XML 1.0 can carry, and the
 * lexical forms of the MPD's attribute types (language tags, {@code W:H} ratios, MIME types, identifiers). The model's
 * compact constructors call these; each message names the field ({@code Representation.codecs}). Numeric ranges are
 * {@link dev.kino.protocol.internal.Require}'s, shared with HLS. Package-private.
 */
final class MpdValues {

    static final Pattern LANG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    static final Pattern RATIO = Pattern.compile("[1-9][0-9]{0,8}:[1-9][0-9]{0,8}");
    static final Pattern MIME = Pattern.compile("[a-z]+/[A-Za-z0-9.+\\-]+");
    static final Pattern NO_SPACE = Pattern.compile("\\S+");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._\\-]+");

    private MpdValues() {
    }

    static <T> T notNull(T value, String field) {
        return Objects.requireNonNull(value, () -> field + " must not be null");
    }

    static String nonBlank(String value, String field) {
        notNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return xmlText(value, field);
    }

    /** Rejects characters that XML 1.0 cannot carry (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/F). */
    static String xmlText(String value, String field) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
                i++;
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            }
            if (!ok) {
                throw new IllegalArgumentException(field + " has a character XML cannot carry at index " + i);
            }
        }
        return value;
    }

    static String matches(String value, Pattern p, String field, String expected) {
        if (value == null) {
            return null;
        }
        if (!p.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be " + expected + ", got \"" + value + "\"");
        }
        return value;
    }

    static void noNulls(Collection<?> c, String field) {
        int i = 0;
        for (Object o : c) {
            if (o == null) {
                throw new NullPointerException(field + "[" + i + "] must not be null");
            }
            i++;
        }
    }
}
