package dev.kino.media.file;

import dev.kino.media.MediaException;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A grant's rendition cap ({@code PlaybackClaims.maxHeight}, the plan's maximum resolution) applied to a published
 * title: requests for a video rendition above it are refused, and the multivariant playlist and the MPD a capped
 * viewer gets list only the renditions within it, so players never try the others.
 *
 * <p>A rendition's height is its picture's short side, as the packager names renditions ({@code video-720p} for
 * 1280x720 and for 720x1280): in paths that name ({@code video-720p.m3u8}, {@code video-720p-iframes.m3u8},
 * {@code video-720p/seg-00001.m4s}, {@code cenc/video-720p/init.mp4}); in an HLS multivariant playlist the
 * {@code RESOLUTION} attribute of each {@code EXT-X-STREAM-INF} and {@code EXT-X-I-FRAME-STREAM-INF} (RFC 8216
 * §4.3.4.2); in an MPD the {@code width} and {@code height} of each video {@code Representation} (ISO/IEC 23009-1
 * §5.3.5). Audio and subtitle renditions have no height and are never capped.
 */
public final class RenditionCap {
    private static final Pattern VIDEO_PATH = Pattern.compile("(?:^|/)video-(\\d{1,5})p(?:-iframes)?(?:\\.m3u8)?(?:/|$)");
    private static final Pattern RESOLUTION = Pattern.compile("(?:^|[:,])RESOLUTION=(\\d{1,5})x(\\d{1,5})(?:,|$)");
    private static final Pattern REPRESENTATION = Pattern.compile("<Representation\\b[^>]*?(/?)>");
    private static final Pattern WIDTH = Pattern.compile("\\swidth=\"(\\d{1,5})\"");
    private static final Pattern HEIGHT = Pattern.compile("\\sheight=\"(\\d{1,5})\"");

    private RenditionCap() {
    }

    /**
     * @param relativePath a path inside a title ({@code video-720p/seg-00001.m4s})
     * @return the height of the video rendition it belongs to, or empty for anything else
     */
    public static OptionalInt heightOfPath(String relativePath) {
        Matcher m = VIDEO_PATH.matcher(relativePath);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /**
     * @throws MediaException 403 {@code rendition-not-allowed} when the path is a video rendition above the cap
     */
    public static void check(String relativePath, int maxHeight) {
        OptionalInt h = heightOfPath(relativePath);
        if (h.isPresent() && h.getAsInt() > maxHeight) {
            throw new MediaException(403, "rendition-not-allowed", "Rendition not allowed",
                    "this playback grant allows video up to " + maxHeight + "p; " + h.getAsInt() + "p is above it");
        }
    }

    /**
     * @param playlist a multivariant playlist (UTF-8, as the packager wrote it)
     * @param maxHeight the cap, in pixels
     * @return the playlist without the variant streams (and I-frame streams) above the cap: each dropped
     *         {@code EXT-X-STREAM-INF} goes with the URI line that follows it
     * @throws MediaException 403 when no variant stream is left (the grant allows nothing this title has)
     */
    public static byte[] multivariant(byte[] playlist, int maxHeight) {
        String[] lines = new String(playlist, StandardCharsets.UTF_8).split("\n", -1);
        StringBuilder out = new StringBuilder(playlist.length);
        int variants = 0;
        boolean skipUri = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String bare = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (skipUri && !bare.isEmpty() && !bare.startsWith("#")) {
                skipUri = false;
                continue;
            }
            if (bare.startsWith("#EXT-X-STREAM-INF:") || bare.startsWith("#EXT-X-I-FRAME-STREAM-INF:")) {
                OptionalInt h = shortSide(bare);
                if (h.isPresent() && h.getAsInt() > maxHeight) {
                    skipUri = bare.startsWith("#EXT-X-STREAM-INF:");
                    continue;
                }
                if (bare.startsWith("#EXT-X-STREAM-INF:")) {
                    variants++;
                }
            }
            out.append(line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        if (variants == 0) {
            throw nothingFits(maxHeight);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param mpd an MPD (UTF-8, as the packager wrote it: {@code Representation} elements do not nest)
     * @param maxHeight the cap, in pixels
     * @return the MPD without the video Representations above the cap
     * @throws MediaException 403 when no video Representation is left while the MPD had some
     */
    public static byte[] mpd(byte[] mpd, int maxHeight) {
        String text = new String(mpd, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = REPRESENTATION.matcher(text);
        int at = 0;
        int video = 0;
        int kept = 0;
        while (m.find(at)) {
            String tag = m.group();
            Matcher w = WIDTH.matcher(tag);
            Matcher h = HEIGHT.matcher(tag);
            int end;
            if (m.group(1).isEmpty()) {
                int close = text.indexOf("</Representation>", m.end());
                if (close < 0) {
                    throw new IllegalStateException("an MPD Representation is not closed");
                }
                end = close + "</Representation>".length();
            } else {
                end = m.end();
            }
            boolean isVideo = w.find() & h.find();
            boolean drop = false;
            if (isVideo) {
                video++;
                drop = Math.min(Integer.parseInt(w.group(1)), Integer.parseInt(h.group(1))) > maxHeight;
                kept += drop ? 0 : 1;
            }
            if (drop) {
                // the element and the indentation and line break in front of it
                int start = m.start();
                int lineStart = start;
                while (lineStart > at && (text.charAt(lineStart - 1) == ' ' || text.charAt(lineStart - 1) == '\t')) {
                    lineStart--;
                }
                if (lineStart > at && text.charAt(lineStart - 1) == '\n') {
                    lineStart--;
                }
                out.append(text, at, lineStart);
            } else {
                out.append(text, at, end);
            }
            at = end;
        }
        out.append(text, at, text.length());
        if (video > 0 && kept == 0) {
            throw nothingFits(maxHeight);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static OptionalInt shortSide(String tagLine) {
        Matcher r = RESOLUTION.matcher(tagLine.substring(tagLine.indexOf(':')));
        if (!r.find()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Math.min(Integer.parseInt(r.group(1)), Integer.parseInt(r.group(2))));
    }

    private static MediaException nothingFits(int maxHeight) {
        return new MediaException(403, "rendition-not-allowed", "Rendition not allowed",
                "this title has no video rendition within the " + maxHeight + "p this playback grant allows");
    }
}
