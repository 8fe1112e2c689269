package dev.kino.http;

import io.netty.handler.codec.DateFormatter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Conditional requests (RFC 9110 §13) for GET and HEAD: entity-tag comparison (§8.8.3.2), {@code If-None-Match}
 * (§13.1.2, weak comparison, {@code *} and lists), {@code If-Modified-Since} (§13.1.3, only when If-None-Match is
 * absent, to a second's precision) and {@code If-Range} (§13.1.5, strong comparison or an exact date).
 * Entity tags are passed with their quotes, e.g. {@code "abc"} or {@code W/"abc"}.
 */
public final class Conditional {
    private Conditional() {
    }

    /**
     * Strong comparison (§8.8.3.2): both tags are strong and their opaque parts are equal.
     *
     * @param a an entity tag
     * @param b another
     * @return true when they match strongly
     */
    public static boolean strongMatch(String a, String b) {
        return !a.startsWith("W/") && !b.startsWith("W/") && a.equals(b);
    }

    /**
     * Weak comparison (§8.8.3.2): the opaque parts are equal, either tag may be weak.
     *
     * @param a an entity tag
     * @param b another
     * @return true when they match weakly
     */
    public static boolean weakMatch(String a, String b) {
        return opaque(a).equals(opaque(b));
    }

    /**
     * @param ifNoneMatch an {@code If-None-Match} value ({@code *} or a list of entity tags), or null
     * @param etag the current entity tag of the representation
     * @return true when the header is present and matches (for GET/HEAD: answer 304)
     */
    public static boolean noneMatchFails(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        if (ifNoneMatch.trim().equals("*")) {
            return true;
        }
        for (String tag : entityTags(ifNoneMatch)) {
            if (weakMatch(tag, etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The 304 decision of a GET or HEAD (§13.2.2 steps 3 and 4).
     *
     * @param ifNoneMatch If-None-Match value or null
     * @param ifModifiedSince If-Modified-Since value or null (ignored when If-None-Match is present)
     * @param etag the current entity tag, with quotes
     * @param lastModified the representation's modification time, or null when unknown
     * @return true when the answer is 304 Not Modified
     */
    public static boolean notModified(String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
        if (ifNoneMatch != null) {
            return noneMatchFails(ifNoneMatch, etag);
        }
        if (ifModifiedSince != null && lastModified != null) {
            Date since = DateFormatter.parseHttpDate(ifModifiedSince);
            // HTTP dates have whole seconds: compare at that precision.
            return since != null && lastModified.getEpochSecond() <= since.getTime() / 1000;
        }
        return false;
    }

    /**
     * @param ifRange If-Range value (an entity tag or an HTTP date), or null
     * @param etag the current strong entity tag
     * @param lastModified the representation's modification time, or null
     * @return true when a Range header may be honoured (no If-Range, or it matches); false means send the
     *     whole representation
     */
    public static boolean rangeAllowed(String ifRange, String etag, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return strongMatch(v, etag); // a weak tag never matches (§13.1.5)
        }
        Date d = DateFormatter.parseHttpDate(v);
        return d != null && lastModified != null && d.getTime() / 1000 == lastModified.getEpochSecond();
    }

    /**
     * Splits a list of entity tags; commas inside the quotes of a tag do not split it.
     *
     * @param header a comma-separated list such as {@code "a", W/"b,c"}
     * @return the tags, trimmed, with their quotes
     */
    static List<String> entityTags(String header) {
        List<String> tags = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                add(tags, cur);
            } else {
                cur.append(c);
            }
        }
        add(tags, cur);
        return tags;
    }

    private static void add(List<String> tags, StringBuilder cur) {
        String t = cur.toString().trim();
        if (!t.isEmpty()) {
            tags.add(t);
        }
        cur.setLength(0);
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
