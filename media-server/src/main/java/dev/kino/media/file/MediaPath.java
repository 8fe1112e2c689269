package dev.kino.media.file;

import dev.kino.media.MediaException;
import dev.kino.protocol.token.TitleId;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path below the token segment, decoded exactly once and validated segment by segment, so a
 * {@code MediaPath} can only name a file inside a title folder:
 *
 * <ul>
 *   <li>Decoding (RFC 3986 §2.1) is strict: a {@code %} not followed by two hex digits, an encoded
 *       {@code /} ({@code %2F}), {@code \} ({@code %5C}) or NUL ({@code %00}), a raw backslash, NUL, control
 *       or non-ASCII character, bytes that are not UTF-8, an empty segment ({@code //}) and the dot segments
 *       {@code .} and {@code ..} (raw or encoded) are all rejected with 400.</li>
 *   <li>Decoding happens once: {@code %252e} becomes the literal text {@code %2e}, which then fails the
 *       grammar below.</li>
 *   <li>Grammar: the first segment is a {@link TitleId}; each further segment matches
 *       {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}; at most {@value #MAX_DEPTH} segments after the title.
 *       A path failing the grammar names nothing that can exist: 404.</li>
 * </ul>
 *
 * @param title the title id
 * @param segments the segments after the title (at least one), e.g. {@code [video-720p, seg-00001.m4s]}
 */
public record MediaPath(TitleId title, List<String> segments) {
    /** Largest number of segments below the title folder. */
    public static final int MAX_DEPTH = 3;


    /** @param segments copied */
    public MediaPath {
        segments = List.copyOf(segments);
    }

    /**
     * @param raw the path after the token segment as received (no query), starting with {@code /},
     *     e.g. {@code /title-1/video-720p/seg-00001.m4s}
     * @return the validated path
     * @throws MediaException 400 for malformed or unsafe input, 404 for paths outside the grammar
     */
    public static MediaPath parse(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw MediaException.badPath("the path must start with '/'");
        }
        MediaPath plain = parsePlain(raw);
        if (plain != null) {
            return plain;
        }
        List<String> decoded = new ArrayList<>();
        ByteBuffer seg = ByteBuffer.allocate(raw.length());
        for (int i = 1; i <= raw.length(); i++) {
            char c = i < raw.length() ? raw.charAt(i) : '/';
            if (c == '/') {
                decoded.add(finishSegment(seg, i == raw.length()));
                seg.clear();
            } else if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw MediaException.badPath("truncated percent-escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw MediaException.badPath("malformed percent-escape");
                }
                int b = hi << 4 | lo;
                if (b == '/' || b == '\\' || b == 0) {
                    throw MediaException.badPath("encoded '/', '\\' or NUL in the path");
                }
                seg.put((byte) b);
                i += 2;
            } else if (c == '\\' || c < 0x20 || c >= 0x7f) {
                throw MediaException.badPath("backslash, control or non-ASCII character in the path");
            } else {
                seg.put((byte) c);
            }
        }
        // A trailing '/' (a "directory") leaves an empty last segment: nothing is listed, 404.
        if (decoded.get(decoded.size() - 1) == null) {
            throw MediaException.notFound("directories are not listed");
        }
        String title = decoded.get(0);
        if (!TitleId.isValid(title) || decoded.size() < 2 || decoded.size() > MAX_DEPTH + 1) {
            throw MediaException.notFound("no such title or file");
        }
        List<String> rest = decoded.subList(1, decoded.size());
        for (String s : rest) {
            if (!isFileSegment(s)) {
                throw MediaException.notFound("no such file");
            }
        }
        return new MediaPath(TitleId.of(title), rest);
    }

    /**
     * The common case, parsed without decoding: a path of unreserved characters only ({@code A-Za-z0-9._-} and
     * {@code /}: no escapes, nothing to decode), in one pass with no intermediate buffers. Null when the path has
     * anything else or breaks a rule; then the general parse decides (and names the problem), with the same result
     * for every path this one accepts.
     */
    private static MediaPath parsePlain(String raw) {
        int n = raw.length();
        for (int i = 1; i < n; i++) {
            char c = raw.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '_' || c == '-' || c == '/')) {
                return null;
            }
        }
        int slash = raw.indexOf('/', 1);
        if (slash < 0) {
            return null;
        }
        String title = raw.substring(1, slash);
        if (!TitleId.isValid(title)) {
            return null;
        }
        String[] rest = new String[MAX_DEPTH];
        int count = 0;
        int from = slash + 1;
        while (from <= n) {
            int end = raw.indexOf('/', from);
            if (end < 0) {
                end = n;
            }
            if (count == MAX_DEPTH) {
                return null;
            }
            String s = raw.substring(from, end);
            if (!isFileSegment(s)) {
                return null; // empty, a dot segment, or a name the server never serves
            }
            rest[count++] = s;
            from = end + 1;
        }
        return new MediaPath(TitleId.of(title), java.util.Arrays.asList(rest).subList(0, count));
    }

    /** A file or folder name below the title: an ASCII letter or digit, then up to 127 of those or {@code ._-}. */
    private static boolean isFileSegment(String s) {
        if (s.isEmpty() || s.length() > 128 || !isAlnum(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** Returns null for the empty segment after a trailing slash; rejects other empty and dot segments. */
    private static String finishSegment(ByteBuffer seg, boolean last) {
        seg.flip();
        if (!seg.hasRemaining()) {
            if (last) {
                return null;
            }
            throw MediaException.badPath("empty path segment");
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(seg).toString();
        } catch (CharacterCodingException e) {
            throw MediaException.badPath("path segment is not UTF-8");
        }
        if (s.equals(".") || s.equals("..")) {
            throw MediaException.badPath("dot segments are not allowed");
        }
        return s;
    }

    /** @return the last segment, the file name */
    public String fileName() {
        return segments.get(segments.size() - 1);
    }

    /**
     * @return the canonical path, {@code /title/seg/…}: only unreserved characters (for logs and keys; the
     *     token ACL is matched against the path as received)
     */
    public String canonical() {
        return "/" + title.value() + "/" + String.join("/", segments);
    }

    /** @return the path relative to the media root, {@code title/seg/…} */
    public String relative() {
        return title.value() + "/" + String.join("/", segments);
    }
}
