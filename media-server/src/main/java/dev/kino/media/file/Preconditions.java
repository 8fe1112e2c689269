package dev.kino.media.file;

import io.netty.handler.codec.DateFormatter;

import java.util.Date;

/**
 * Conditional requests (RFC 9110 §13) for GET and HEAD of published files: {@code If-None-Match}
 * (weak comparison, §13.1.2) or, only when it is absent, {@code If-Modified-Since} (§13.1.3) give 304;
 * {@code If-Range} (§13.1.5, strong comparison or an exact date) decides whether a Range applies.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /**
     * @param ifNoneMatch If-None-Match value or null
     * @param ifModifiedSince If-Modified-Since value or null
     * @param etag the current entity tag (with quotes)
     * @param meta the file (for its modification time)
     * @return true when the answer is 304 Not Modified
     */
    public static boolean notModified(String ifNoneMatch, String ifModifiedSince, String etag, FileMeta meta) {
        if (ifNoneMatch != null) {
            return matchesWeak(ifNoneMatch, etag);
        }
        if (ifModifiedSince != null) {
            Date since = DateFormatter.parseHttpDate(ifModifiedSince);
            return since != null && meta.lastModified().toEpochMilli() <= since.getTime();
        }
        return false;
    }

    /**
     * @param ifRange If-Range value or null
     * @param etag the current strong entity tag
     * @param meta the file
     * @return true when a Range header may be honoured (no If-Range, or it matches)
     */
    public static boolean rangeAllowed(String ifRange, String etag, FileMeta meta) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag); // strong comparison: a weak tag never matches
        }
        Date d = DateFormatter.parseHttpDate(v);
        return d != null && d.getTime() == meta.lastModified().toEpochMilli();
    }

    private static boolean matchesWeak(String header, String etag) {
        String tag = opaque(etag);
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || opaque(c).equals(tag)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
