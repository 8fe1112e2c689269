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

    /**
     * @param rawQuery the query string as sent (percent-encoded), or null/empty
     * @return what is wrong with it ("query parameter 'q' is not valid UTF-8"), or null when every percent-encoded
     *         byte sequence of it decodes as UTF-8 (a decoder would otherwise silently turn it into U+FFFD)
     */
    public static String utf8Problem(String rawQuery) {
        if (rawQuery == null || rawQuery.indexOf('%') < 0) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!validUtf8(name)) {
                return "a query parameter name is not valid UTF-8";
            }
            if (eq >= 0 && !validUtf8(pair.substring(eq + 1))) {
                String shown = name.length() <= 64 && name.chars().allMatch(c -> c >= 0x21 && c < 0x7f && c != '%')
                        ? "'" + name + "'" : "a query parameter";
                return "query parameter " + shown + " is not valid UTF-8";
            }
        }
        return null;
    }

    private static boolean validUtf8(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return true;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length() && Character.digit(encoded.charAt(i + 1), 16) >= 0
                    && Character.digit(encoded.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(encoded.charAt(i + 1), 16) * 16 + Character.digit(encoded.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
