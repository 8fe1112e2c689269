package dev.kino.media.file;

/**
 * What a {@code Range} header (RFC 9110 §14.2) asks of a representation of a known length, as a value.
 *
 * <p>Policy: only the {@code bytes} unit is understood; an unknown unit or a syntactically invalid
 * header is ignored (§14.2: a server MAY ignore Range), giving {@link Full}. A request for more than one
 * range is also answered with the whole representation ({@link Full}, 200) instead of
 * {@code multipart/byteranges}: players never ask for several ranges, and answering with the whole
 * entity is always allowed and cannot be abused to amplify small requests.
 */
public sealed interface RequestedRange permits RequestedRange.Full, RequestedRange.Partial, RequestedRange.Unsatisfiable {

    /** Serve the whole representation: 200. */
    record Full() implements RequestedRange {
    }

    /**
     * Serve one range: 206 with {@code Content-Range: bytes first-last/size}.
     *
     * @param first first byte offset, inclusive
     * @param last last byte offset, inclusive
     * @param size length of the whole representation
     */
    record Partial(long first, long last, long size) implements RequestedRange {
        /** @return number of bytes in the range */
        public long length() {
            return last - first + 1;
        }

        /** @return the Content-Range value, e.g. {@code bytes 0-99/1000} (RFC 9110 §14.4) */
        public String contentRange() {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /**
     * No requested range overlaps the representation: 416 with {@code Content-Range: bytes *}{@code /size}.
     *
     * @param size length of the whole representation
     */
    record Unsatisfiable(long size) implements RequestedRange {
        /** @return the Content-Range value, e.g. {@code bytes *}{@code /1000} */
        public String contentRange() {
            return "bytes */" + size;
        }
    }

    /** The shared "whole representation" answer. */
    RequestedRange FULL = new Full();

    /**
     * @param header the Range header value, or null
     * @param size length of the representation, bytes
     * @return what to serve
     */
    static RequestedRange parse(String header, long size) {
        if (header == null) {
            return FULL;
        }
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return FULL;
        }
        String spec = null;
        for (String part : h.substring(6).split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            }
            if (spec != null) {
                return FULL; // several ranges: whole entity (documented policy)
            }
            spec = p;
        }
        if (spec == null) {
            return FULL;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return FULL;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (a.isEmpty()) { // suffix: last N bytes
            long n = number(b);
            if (n < 0) {
                return FULL;
            }
            if (n == 0 || size == 0) {
                return new Unsatisfiable(size);
            }
            return new Partial(Math.max(0, size - n), size - 1, size);
        }
        long first = number(a);
        if (first < 0) {
            return FULL;
        }
        long last;
        if (b.isEmpty()) {
            last = Long.MAX_VALUE;
        } else {
            last = number(b);
            if (last < 0 || last < first) {
                return FULL; // invalid range-spec: ignored
            }
        }
        if (first >= size) {
            return new Unsatisfiable(size);
        }
        return new Partial(first, Math.min(last, size - 1), size);
    }

    /** Non-negative decimal, or -1 when not digits; huge values saturate (they mean "to the end"). */
    private static long number(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
        }
        return v;
    }
}
