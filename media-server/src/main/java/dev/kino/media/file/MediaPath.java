package dev.kino.media.file;

import dev.kino.media.MediaException;
import dev.kino.protocol.token.TitleId;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

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
            if (!SEGMENT.matcher(s).matches()) {
                throw MediaException.notFound("no such file");
            }
        }
        return new MediaPath(TitleId.of(title), rest);
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
