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
    private static final Pattern ADAPTATION_SET = Pattern.compile("<AdaptationSet\\b[^>]*?(/?)>");
    private static final Pattern MAX_WIDTH = Pattern.compile("\\smaxWidth=\"(\\d{1,5})\"");
    private static final Pattern MAX_HEIGHT = Pattern.compile("\\smaxHeight=\"(\\d{1,5})\"");

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
     * Each {@code AdaptationSet} is filtered on its own: its video {@code Representation}s above the cap go; a video
     * set left with none goes as a whole (ISO/IEC 23009-1 §5.3.3.1 wants at least one Representation per set); a set
     * that lost some gets {@code maxWidth} and {@code maxHeight} (§5.3.3.2, "the maximum @width/@height value in all
     * Representations in this Adaptation Set") of those it keeps, so the MPD does not promise a resolution it no
     * longer lists. Sets without video (audio, text) are copied as they are.
     *
     * @param mpd an MPD (UTF-8, as the packager wrote it: {@code Representation} and {@code AdaptationSet} elements
     *            do not nest in themselves)
     * @param maxHeight the cap, in pixels
     * @return the MPD without the video Representations above the cap
     * @throws MediaException 403 when no video Representation is left while the MPD had some
     */
    public static byte[] mpd(byte[] mpd, int maxHeight) {
        String text = new String(mpd, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length());
        Matcher set = ADAPTATION_SET.matcher(text);
        int at = 0;
        int video = 0;
        int kept = 0;
        while (set.find(at)) {
            if (!set.group(1).isEmpty()) { // <AdaptationSet .../>: nothing inside to cap
                out.append(text, at, set.end());
                at = set.end();
                continue;
            }
            int close = closingTag(text, set.end(), "AdaptationSet");
            Filtered f = representations(text, set.end(), close, maxHeight);
            video += f.video;
            kept += f.kept;
            int end = close + "</AdaptationSet>".length();
            if (f.video > 0 && f.kept == 0) {
                out.append(text, at, lineStart(text, set.start(), at));
            } else {
                out.append(text, at, set.start());
                String open = set.group();
                if (f.kept < f.video) {
                    open = replaceNumber(replaceNumber(open, MAX_WIDTH, f.maxWidth), MAX_HEIGHT, f.maxHeight);
                }
                out.append(open).append(f.body).append("</AdaptationSet>");
            }
            at = end;
        }
        out.append(text, at, text.length());
        if (video > 0 && kept == 0) {
            throw nothingFits(maxHeight);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What is left of the content {@code text[from, to)} of one AdaptationSet.
     *
     * @param body the content without the video Representations above the cap
     * @param video how many video Representations it had
     * @param kept how many of them it keeps
     * @param maxWidth the largest width among those kept, pixels (0 if none)
     * @param maxHeight the largest height among those kept, pixels (0 if none)
     */
    private record Filtered(String body, int video, int kept, int maxWidth, int maxHeight) {
    }

    private static Filtered representations(String text, int from, int to, int maxHeight) {
        StringBuilder out = new StringBuilder(to - from);
        Matcher m = REPRESENTATION.matcher(text).region(from, to);
        int at = from;
        int video = 0;
        int kept = 0;
        int keptWidth = 0;
        int keptHeight = 0;
        while (m.find()) {
            String tag = m.group();
            int end = m.group(1).isEmpty()
                    ? closingTag(text, m.end(), "Representation") + "</Representation>".length() : m.end();
            if (end > to) {
                throw new IllegalStateException("an MPD Representation runs past its AdaptationSet");
            }
            Matcher w = WIDTH.matcher(tag);
            Matcher h = HEIGHT.matcher(tag);
            boolean drop = false;
            if (w.find() & h.find()) {
                int width = Integer.parseInt(w.group(1));
                int height = Integer.parseInt(h.group(1));
                video++;
                drop = Math.min(width, height) > maxHeight;
                if (!drop) {
                    kept++;
                    keptWidth = Math.max(keptWidth, width);
                    keptHeight = Math.max(keptHeight, height);
                }
            }
            // a dropped element goes with the indentation and line break in front of it
            out.append(text, at, drop ? lineStart(text, m.start(), at) : end);
            at = end;
            m.region(end, to);
        }
        out.append(text, at, to);
        return new Filtered(out.toString(), video, kept, keptWidth, keptHeight);
    }

    /** @return where the closing tag of the element whose content starts at {@code from} begins */
    private static int closingTag(String text, int from, String element) {
        int close = text.indexOf("</" + element + ">", from);
        if (close < 0) {
            throw new IllegalStateException("an MPD " + element + " is not closed");
        }
        return close;
    }

    /** @return the start of the blanks and the one line break in front of {@code start}, not before {@code floor} */
    private static int lineStart(String text, int start, int floor) {
        int i = start;
        while (i > floor && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
            i--;
        }
        if (i > floor && text.charAt(i - 1) == '\n') {
            i--;
        }
        return i;
    }

    private static String replaceNumber(String tag, Pattern attribute, int value) {
        Matcher a = attribute.matcher(tag);
        return a.find() ? tag.substring(0, a.start(1)) + value + tag.substring(a.end(1)) : tag;
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
