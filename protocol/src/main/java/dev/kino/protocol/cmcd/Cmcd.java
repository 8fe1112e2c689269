package dev.kino.protocol.cmcd;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The Common Media Client Data of one media request (CTA-5004, version 1): what the player says about itself and the
 * object it asks for. Every field is optional; an absent integer is {@code -1}, an absent string or token
 * {@code null}, an absent boolean {@code false} (the spec sends a true boolean as its bare key and omits a false one).
 *
 * <p>Where it comes from (CTA-5004 §2): either one query parameter, {@code CMCD=<percent-encoded list>}, or up to four
 * headers, each holding the keys of its kind: {@code CMCD-Object} (br, d, ot, tb), {@code CMCD-Request} (bl, dl, mtp,
 * nor, nrr, su), {@code CMCD-Session} (cid, pr, sf, sid, st, v) and {@code CMCD-Status} (bs, rtp). A list is
 * {@code key[=value]} pairs separated by commas; a value is an integer, a decimal, a token (unquoted) or a string
 * (double-quoted, {@code \"} and {@code \\} escaped). Keys are taken from whichever list they appear in.
 *
 * <p>Parsing is lenient and never throws: it comes from any client, and bad CMCD must never fail a media request. A
 * pair that does not parse (a non-numeric integer, an unknown token, a string over 64 characters for {@code cid} or
 * {@code sid}, an unterminated quote) is skipped and counted in {@link #malformed()}; keys the spec reserves for
 * others (custom keys with a hyphen such as {@code com.example-key}) and unknown keys are ignored.
 *
 * <pre>{@code
 * Cmcd c = Cmcd.parse(Cmcd.decodeQueryValue("br%3D3200%2Cbl%3D21300%2Cot%3Dv%2Csu"));
 * c.encodedBitrateKbps();   // 3200
 * c.bufferLengthMs();       // 21300
 * c.objectType();           // ObjectType.VIDEO
 * c.startup();              // true
 * }</pre>
 *
 * @param encodedBitrateKbps {@code br}: encoded bitrate of the requested object (its rendition), kbps
 * @param bufferLengthMs {@code bl}: buffer length when the request was made, milliseconds (rounded to 100 ms)
 * @param bufferStarvation {@code bs}: the buffer ran dry since the previous request (a stall)
 * @param contentId {@code cid}: the content's id (Kino's web player sends the media id), at most 64 characters
 * @param objectDurationMs {@code d}: playback duration of the requested object, milliseconds
 * @param deadlineMs {@code dl}: time until the buffer would run dry at the current rate, milliseconds
 * @param measuredThroughputKbps {@code mtp}: throughput the player measured, kbps (rounded to 100 kbps)
 * @param nextObjectRequest {@code nor}: relative URL of the next object the player will request
 * @param nextRangeRequest {@code nrr}: byte range of the next request ({@code "12323-48763"})
 * @param objectType {@code ot}: what the object is
 * @param playbackRate {@code pr}: playback rate (1 is real time), {@link Double#NaN} when absent
 * @param requestedMaxThroughputKbps {@code rtp}: the throughput the player asks the delivery to give it, kbps
 * @param streamingFormat {@code sf}: DASH, HLS, Smooth Streaming or other
 * @param sessionId {@code sid}: the playback session's id (Kino's web player sends its playback session), at most
 *                  64 characters
 * @param streamType {@code st}: VOD or live
 * @param startup {@code su}: the object is needed urgently, at start-up, after a seek or after a stall
 * @param topBitrateKbps {@code tb}: the highest bitrate rendition the player may play, kbps
 * @param version {@code v}: CMCD version; absent means 1
 * @param malformed how many pairs were refused
 */
public record Cmcd(int encodedBitrateKbps, int bufferLengthMs, boolean bufferStarvation, String contentId,
                   int objectDurationMs, int deadlineMs, int measuredThroughputKbps, String nextObjectRequest,
                   String nextRangeRequest, ObjectType objectType, double playbackRate,
                   int requestedMaxThroughputKbps, StreamingFormat streamingFormat, String sessionId,
                   StreamType streamType, boolean startup, int topBitrateKbps, int version, int malformed) {

    /** The query parameter name (case-sensitive, CTA-5004 §2.1). */
    public static final String QUERY_PARAMETER = "CMCD";
    /** The four header names (CTA-5004 §2.2). */
    public static final String OBJECT_HEADER = "CMCD-Object";
    public static final String REQUEST_HEADER = "CMCD-Request";
    public static final String SESSION_HEADER = "CMCD-Session";
    public static final String STATUS_HEADER = "CMCD-Status";
    /** Longest {@code cid} and {@code sid}, characters (CTA-5004 §3.3). */
    public static final int MAX_ID_LENGTH = 64;
    /** Longest list this parser reads, characters; a longer one is refused whole (a client's, not a player's). */
    public static final int MAX_LIST_LENGTH = 4096;

    /** {@code ot}: the media type of the requested object. */
    public enum ObjectType {
        MANIFEST("m"), AUDIO("a"), VIDEO("v"), MUXED("av"), INIT("i"), CAPTION("c"), TIMED_TEXT("tt"), KEY("k"),
        OTHER("o");

        private final String token;

        ObjectType(String token) {
            this.token = token;
        }

        /** @return the token on the wire ({@code v}, {@code av}, …) */
        public String token() {
            return token;
        }

        static ObjectType of(String t) {
            return byToken(values(), ObjectType::token, t);
        }
    }

    /** {@code sf}: the streaming format. */
    public enum StreamingFormat {
        DASH("d"), HLS("h"), SMOOTH("s"), OTHER("o");

        private final String token;

        StreamingFormat(String token) {
            this.token = token;
        }

        /** @return the token on the wire */
        public String token() {
            return token;
        }

        static StreamingFormat of(String t) {
            return byToken(values(), StreamingFormat::token, t);
        }
    }

    /** {@code st}: the stream type. */
    public enum StreamType {
        VOD("v"), LIVE("l");

        private final String token;

        StreamType(String token) {
            this.token = token;
        }

        /** @return the token on the wire */
        public String token() {
            return token;
        }

        static StreamType of(String t) {
            return byToken(values(), StreamType::token, t);
        }
    }

    /** @return the constant whose wire token is {@code t}, or null */
    private static <E> E byToken(E[] values, java.util.function.Function<E, String> token, String t) {
        for (E e : values) {
            if (token.apply(e).equals(t)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Finds the raw (still percent-encoded) value of the {@code CMCD} query parameter in a request target, without
     * allocating when there is none (the media server asks on every request).
     *
     * @param uri the request target ({@code /path?a=b&CMCD=...})
     * @return the raw value, empty when the parameter is present without a value, null when it is absent
     */
    public static String rawQueryValue(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        int i = q + 1;
        while (i < uri.length()) {
            int amp = uri.indexOf('&', i);
            int end = amp < 0 ? uri.length() : amp;
            if (uri.startsWith("CMCD=", i)) {
                return uri.substring(i + 5, end);
            }
            if (end - i == 4 && uri.startsWith(QUERY_PARAMETER, i)) {
                return "";
            }
            i = end + 1;
        }
        return null;
    }

    /**
     * @param raw the query parameter's raw value ({@link #rawQueryValue})
     * @return it percent-decoded (UTF-8), or null when it is not valid percent-encoding
     */
    public static String decodeQueryValue(String raw) {
        try {
            // NOTE: '+' is not a space in CMCD (percent-encoding, RFC 3986), unlike form encoding
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return CMCD with no keys */
    public static Cmcd empty() {
        return parse();
    }

    /**
     * Parses and merges key/value lists (the decoded query value, or the four headers' values; nulls are skipped).
     *
     * @param lists the lists, in any order; a key in a later list replaces the same key in an earlier one
     * @return the data; never throws
     */
    public static Cmcd parse(String... lists) {
        Builder b = new Builder();
        for (String list : lists) {
            if (list == null) {
                continue;
            }
            if (list.length() > MAX_LIST_LENGTH) {
                b.malformed++;
                continue;
            }
            parseList(list, b);
        }
        return b.build();
    }

    /** @return true when no key this parser knows was sent (malformed pairs aside) */
    public boolean isEmpty() {
        return equals(empty().withMalformed(malformed));
    }

    private Cmcd withMalformed(int m) {
        return new Cmcd(encodedBitrateKbps, bufferLengthMs, bufferStarvation, contentId, objectDurationMs, deadlineMs,
                measuredThroughputKbps, nextObjectRequest, nextRangeRequest, objectType, playbackRate,
                requestedMaxThroughputKbps, streamingFormat, sessionId, streamType, startup, topBitrateKbps, version,
                m);
    }

    private static void parseList(String s, Builder b) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            // skip separators and optional white space (RFC 8941 lists allow spaces after commas)
            while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ',') {
                i++;
            }
            String key = s.substring(keyStart, i).trim();
            String value = null;
            boolean quoted = false;
            if (i < n && s.charAt(i) == '=') {
                i++;
                if (i < n && s.charAt(i) == '"') {
                    StringBuilder v = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = s.charAt(i++);
                        if (c == '\\' && i < n) {
                            v.append(s.charAt(i++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            v.append(c);
                        }
                    }
                    if (!closed) {
                        b.malformed++;
                        return; // the rest of the list is inside the unterminated string
                    }
                    value = v.toString();
                    quoted = true;
                    while (i < n && s.charAt(i) != ',') { // anything between the closing quote and the comma
                        if (s.charAt(i) != ' ') {
                            b.malformed++;
                        }
                        i++;
                    }
                } else {
                    int valueStart = i;
                    while (i < n && s.charAt(i) != ',') {
                        i++;
                    }
                    value = s.substring(valueStart, i).trim();
                }
            }
            if (!b.accept(key, value, quoted)) {
                b.malformed++;
            }
        }
    }

    private static final class Builder {
        int br = -1;
        int bl = -1;
        boolean bs;
        String cid;
        int d = -1;
        int dl = -1;
        int mtp = -1;
        String nor;
        String nrr;
        ObjectType ot;
        double pr = Double.NaN;
        int rtp = -1;
        StreamingFormat sf;
        String sid;
        StreamType st;
        boolean su;
        int tb = -1;
        int v = -1;
        int malformed;

        /** @return false when the pair is refused */
        boolean accept(String key, String value, boolean quoted) {
            switch (key) {
                case "br" -> br = integer(value, quoted, br);
                case "bl" -> bl = integer(value, quoted, bl);
                case "d" -> d = integer(value, quoted, d);
                case "dl" -> dl = integer(value, quoted, dl);
                case "mtp" -> mtp = integer(value, quoted, mtp);
                case "rtp" -> rtp = integer(value, quoted, rtp);
                case "tb" -> tb = integer(value, quoted, tb);
                case "v" -> v = integer(value, quoted, v);
                case "bs" -> bs = bool(value, quoted, bs);
                case "su" -> su = bool(value, quoted, su);
                case "cid" -> cid = id(value, quoted, cid);
                case "sid" -> sid = id(value, quoted, sid);
                case "nor" -> nor = string(value, quoted, nor);
                case "nrr" -> nrr = string(value, quoted, nrr);
                case "ot" -> ot = token(value, quoted, ObjectType.of(value), ot);
                case "sf" -> sf = token(value, quoted, StreamingFormat.of(value), sf);
                case "st" -> st = token(value, quoted, StreamType.of(value), st);
                case "pr" -> pr = decimal(value, quoted, pr);
                default -> {
                    // custom keys (with a hyphen) and keys of later versions: not ours to judge; empty keys are bad
                    return !key.isEmpty();
                }
            }
            return !refused;
        }

        private boolean refused;

        private int integer(String value, boolean quoted, int previous) {
            refused = false;
            if (value == null || quoted || value.isEmpty() || value.length() > 10) {
                refused = true;
                return previous;
            }
            long n = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') {
                    refused = true;
                    return previous;
                }
                n = n * 10 + (c - '0');
            }
            if (n > Integer.MAX_VALUE) {
                refused = true;
                return previous;
            }
            return (int) n;
        }

        private boolean bool(String value, boolean quoted, boolean previous) {
            refused = false;
            if (value == null) {
                return true; // a bare key is true
            }
            if (!quoted && (value.equals("true") || value.equals("?1"))) {
                return true;
            }
            if (!quoted && (value.equals("false") || value.equals("?0"))) {
                return false;
            }
            refused = true;
            return previous;
        }

        private String id(String value, boolean quoted, String previous) {
            String s = string(value, quoted, previous);
            if (!refused && s.length() > MAX_ID_LENGTH) {
                refused = true;
                return previous;
            }
            return s;
        }

        private String string(String value, boolean quoted, String previous) {
            refused = value == null || !quoted;
            return refused ? previous : value;
        }

        private <T> T token(String value, boolean quoted, T parsed, T previous) {
            refused = value == null || quoted || parsed == null;
            return refused ? previous : parsed;
        }

        private double decimal(String value, boolean quoted, double previous) {
            refused = false;
            if (value == null || quoted || value.isEmpty() || value.length() > 16) {
                refused = true;
                return previous;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < '0' || c > '9') && c != '.' && !(i == 0 && c == '-')) {
                    refused = true;
                    return previous;
                }
            }
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                refused = true;
                return previous;
            }
        }

        Cmcd build() {
            return new Cmcd(br, bl, bs, cid, d, dl, mtp, nor, nrr, ot, pr, rtp, sf, sid, st, su, tb, v, malformed);
        }
    }
}
