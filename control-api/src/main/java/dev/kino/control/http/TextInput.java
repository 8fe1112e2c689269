package dev.kino.control.http;

/**
 * What the API accepts as text from a client, checked once at its edge (the request path, every query parameter,
 * every string and field name of a JSON body) so that no route, store or database ever sees the rest:
 *
 * <ul>
 *   <li>no NUL ({@code U+0000}): PostgreSQL's {@code text} cannot hold it and would fail the whole statement;</li>
 *   <li>no other C0 control character except tab, line feed and carriage return, and no {@code U+007F}: nothing a
 *       person types, and invisible in every place text is shown;</li>
 *   <li>no lone UTF-16 surrogate (JSON's {@code "\ud800"}): not a Unicode scalar value, so it cannot be stored as
 *       UTF-8 (RFC 8259 §8.2 leaves such strings' behaviour unpredictable);</li>
 *   <li>at most {@link #MAX_BODY_STRING} characters in one JSON string and {@link #MAX_QUERY_VALUE} in one query
 *       parameter: routes enforce their own, smaller limits per field; these bound what any route has to look
 *       at.</li>
 * </ul>
 */
public final class TextInput {
    /** Longest string, in UTF-16 chars, accepted anywhere in a JSON body (64 Ki). */
    public static final int MAX_BODY_STRING = 65_536;
    /** Longest query parameter value or name, in UTF-16 chars. */
    public static final int MAX_QUERY_VALUE = 2_048;

    private TextInput() {
    }

    /**
     * @param value text from a client
     * @param maxLength most UTF-16 chars allowed
     * @return what is wrong with it, phrased to follow a field name ("contains a NUL character"), or null when
     *         it is acceptable
     */
    public static String problem(String value, int maxLength) {
        if (value.length() > maxLength) {
            return "is longer than " + maxLength + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "contains a NUL character (U+0000)";
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return "contains the control character U+" + String.format("%04X", (int) c);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone UTF-16 surrogate (U+" + String.format("%04X", (int) c) + ")";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a lone UTF-16 surrogate (U+" + String.format("%04X", (int) c) + ")";
            }
        }
        return null;
    }
}
