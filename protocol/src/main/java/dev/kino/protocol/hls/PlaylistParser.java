package dev.kino.protocol.hls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads playlist text into the {@link Playlist} model (RFC 8216 §4, §6.3).
 *
 * <p>The kind is decided by the tags: {@code EXT-X-STREAM-INF}, {@code EXT-X-MEDIA},
 * {@code EXT-X-I-FRAME-STREAM-INF}, {@code EXT-X-SESSION-KEY} and {@code EXT-X-SESSION-DATA} make a
 * {@link MultivariantPlaylist}; {@code EXTINF}, {@code EXT-X-TARGETDURATION} and the other Media Segment and
 * Media Playlist tags (§4.3.2, §4.3.3) make a {@link MediaPlaylist}. A playlist with both kinds of tag, or
 * neither, is rejected (§4.1).
 *
 * <p>Lines may end with LF or CR LF. Unknown tags ({@code #EXT...}), comments (other lines starting with
 * {@code #}), unknown attributes of known tags and blank lines are ignored, as §6.3.1 requires. Everything else
 * must be well-formed; in particular the parser is strict where the RFC says a playlist is invalid:
 * <ul>
 *   <li>the first line must be {@code #EXTM3U} and there must be no byte order mark (§4.1);</li>
 *   <li>attribute lists must follow §4.2 (names {@code [A-Z0-9-]}, no duplicates, quoted-strings quoted and
 *       enumerated-strings not), and enumerated values must be known;</li>
 *   <li>required tags and attributes must be present ({@code EXT-X-TARGETDURATION}, {@code BANDWIDTH},
 *       {@code METHOD}, {@code URI}, ...); each {@code EXTINF} and {@code EXT-X-STREAM-INF} must be followed by
 *       a URI line, and each URI line preceded by one;</li>
 *   <li>no segment may be longer, rounded to the nearest second, than the target duration (§4.3.3.1);</li>
 *   <li>{@code EXT-X-VERSION} must be at least what the content needs (§7), and at most
 *       {@value Playlist#MAX_VERSION};</li>
 *   <li>all rules the model builders enforce (see {@link MediaPlaylistBuilder#build()} and
 *       {@link MultivariantPlaylistBuilder#build()}).</li>
 * </ul>
 * {@code EXTINF} durations are read exactly, rounded to the nanosecond if given with more digits.
 *
 * <p>Stateless and thread-safe; does no I/O.
 */
public final class PlaylistParser {

    private static final Set<String> MULTIVARIANT_TAGS = Set.of("EXT-X-STREAM-INF", "EXT-X-MEDIA",
            "EXT-X-I-FRAME-STREAM-INF", "EXT-X-SESSION-KEY", "EXT-X-SESSION-DATA", "EXT-X-CONTENT-STEERING");
    private static final Set<String> MEDIA_TAGS = Set.of("EXTINF", "EXT-X-TARGETDURATION", "EXT-X-MEDIA-SEQUENCE",
            "EXT-X-DISCONTINUITY-SEQUENCE", "EXT-X-ENDLIST", "EXT-X-PLAYLIST-TYPE", "EXT-X-I-FRAMES-ONLY",
            "EXT-X-KEY", "EXT-X-MAP", "EXT-X-BYTERANGE", "EXT-X-DISCONTINUITY", "EXT-X-PROGRAM-DATE-TIME",
            "EXT-X-DATERANGE", "EXT-X-GAP", "EXT-X-BITRATE", "EXT-X-PART", "EXT-X-PART-INF", "EXT-X-SKIP",
            "EXT-X-SERVER-CONTROL", "EXT-X-PRELOAD-HINT", "EXT-X-RENDITION-REPORT");
    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[0-9]{1,19}");
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");
    private static final Pattern BYTE_RANGE = Pattern.compile("([0-9]{1,19})(?:@([0-9]{1,19}))?");

    private PlaylistParser() {
    }

    /**
     * Parses a playlist of either kind.
     *
     * @param text the whole playlist
     * @return a {@link MediaPlaylist} or a {@link MultivariantPlaylist}
     * @throws PlaylistParseException if the text is not a valid playlist; see the class description
     */
    public static Playlist parse(String text) throws PlaylistParseException {
        Objects.requireNonNull(text, "text");
        List<String> lines = lines(text);
        return isMultivariant(lines) ? new MultivariantReader(lines).read() : new MediaReader(lines).read();
    }

    /**
     * Parses a media playlist.
     *
     * @param text the whole playlist
     * @return the playlist
     * @throws PlaylistParseException if the text is not a valid media playlist (a multivariant playlist
     *         included)
     */
    public static MediaPlaylist parseMedia(String text) throws PlaylistParseException {
        Playlist p = parse(text);
        if (p instanceof MediaPlaylist m) {
            return m;
        }
        throw new PlaylistParseException(1, "expected a media playlist but this is a multivariant playlist");
    }

    /**
     * Parses a multivariant playlist.
     *
     * @param text the whole playlist
     * @return the playlist
     * @throws PlaylistParseException if the text is not a valid multivariant playlist (a media playlist
     *         included)
     */
    public static MultivariantPlaylist parseMultivariant(String text) throws PlaylistParseException {
        Playlist p = parse(text);
        if (p instanceof MultivariantPlaylist m) {
            return m;
        }
        throw new PlaylistParseException(1, "expected a multivariant playlist but this is a media playlist");
    }

    private static List<String> lines(String text) throws PlaylistParseException {
        if (text.startsWith("\uFEFF")) {
            throw new PlaylistParseException(1, "playlist starts with a byte order mark, which is not allowed "
                    + "(RFC 8216 §4.1)");
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the text ends with a line terminator
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.endsWith("\r")) {
                lines.set(i, l = l.substring(0, l.length() - 1));
            }
            if (l.indexOf('\r') >= 0) {
                throw new PlaylistParseException(i + 1, "stray carriage return inside a line");
            }
        }
        if (!lines.get(0).equals("#EXTM3U")) {
            throw new PlaylistParseException(1, "first line must be #EXTM3U (RFC 8216 §4.3.1.1), got "
                    + PlaylistValues.printable(abbreviate(lines.get(0))));
        }
        return lines;
    }

    private static boolean isMultivariant(List<String> lines) throws PlaylistParseException {
        int firstMultivariant = -1;
        int firstMedia = -1;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("#EXT")) {
                continue;
            }
            String tag = tagName(l);
            if (firstMultivariant < 0 && MULTIVARIANT_TAGS.contains(tag)) {
                firstMultivariant = i;
            } else if (firstMedia < 0 && MEDIA_TAGS.contains(tag)) {
                firstMedia = i;
            }
        }
        if (firstMultivariant >= 0 && firstMedia >= 0) {
            int later = Math.max(firstMultivariant, firstMedia);
            int earlier = Math.min(firstMultivariant, firstMedia);
            String kind = later == firstMultivariant ? "multivariant playlist" : "media playlist";
            String otherKind = later == firstMultivariant ? "media playlist" : "multivariant playlist";
            throw new PlaylistParseException(later + 1, tagName(lines.get(later)) + " is a " + kind + " tag but "
                    + tagName(lines.get(earlier)) + " on line " + (earlier + 1) + " makes this a " + otherKind
                    + " (RFC 8216 §4.1)");
        }
        if (firstMultivariant < 0 && firstMedia < 0) {
            throw new PlaylistParseException(lines.size(), "no media playlist tag (EXT-X-TARGETDURATION, EXTINF, ...) "
                    + "nor multivariant playlist tag (EXT-X-STREAM-INF, ...) found");
        }
        return firstMultivariant >= 0;
    }

    private static String tagName(String line) {
        int colon = line.indexOf(':');
        return (colon < 0 ? line : line.substring(0, colon)).substring(1);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** State and helpers shared by both readers. */
    private abstract static class Reader {
        final List<String> lines;
        int line; // 1-based number of the current line
        String tag;
        String value; // text after the first ':', or null
        int version = 1;
        int versionLine = 0;
        boolean independentSegments;
        private final Set<String> seenOnce = new HashSet<>();

        Reader(List<String> lines) {
            this.lines = lines;
        }

        int lastLine() {
            return lines.size();
        }

        PlaylistParseException error(String reason) {
            return new PlaylistParseException(line, reason);
        }

        /** Reads each line: tags go to {@link #tag()}, URI lines to {@link #uri(String)}. */
        void readLines() throws PlaylistParseException {
            for (int i = 1; i < lines.size(); i++) {
                line = i + 1;
                String l = lines.get(i);
                if (l.isBlank()) {
                    continue;
                }
                if (l.startsWith("#EXT")) {
                    int colon = l.indexOf(':');
                    tag = colon < 0 ? l.substring(1) : l.substring(1, colon);
                    value = colon < 0 ? null : l.substring(colon + 1);
                    if (!commonTag()) {
                        tag();
                    }
                } else if (!l.startsWith("#")) {
                    uri(l.strip());
                }
            }
        }

        private boolean commonTag() throws PlaylistParseException {
            switch (tag) {
                case "EXTM3U" -> throw error("#EXTM3U may only be the first line");
                case "EXT-X-VERSION" -> {
                    once();
                    long v = integerValue();
                    if (v < 1 || v > Playlist.MAX_VERSION) {
                        throw error("unsupported EXT-X-VERSION " + v + " (this parser knows 1 to "
                                + Playlist.MAX_VERSION + ")");
                    }
                    version = (int) v;
                    versionLine = line;
                }
                case "EXT-X-INDEPENDENT-SEGMENTS" -> {
                    noValue();
                    independentSegments = true;
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        abstract void tag() throws PlaylistParseException;

        abstract void uri(String uri) throws PlaylistParseException;

        void once() throws PlaylistParseException {
            if (!seenOnce.add(tag)) {
                throw error(tag + " appears more than once");
            }
        }

        void noValue() throws PlaylistParseException {
            if (value != null) {
                throw error(tag + " takes no value, got '" + value + "'");
            }
        }

        String requireValue() throws PlaylistParseException {
            if (value == null || value.isEmpty()) {
                throw error(tag + " needs a value");
            }
            return value;
        }

        long integerValue() throws PlaylistParseException {
            String v = requireValue();
            if (!DECIMAL_INTEGER.matcher(v).matches()) {
                throw error(tag + " must be a decimal-integer, got '" + v + "'");
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw error(tag + " is too large: " + v);
            }
        }

        AttributeList attributes() throws PlaylistParseException {
            return AttributeList.parse(tag, requireValue(), line);
        }

        EncryptionKey key(AttributeList a) throws PlaylistParseException {
            KeyMethod method;
            try {
                method = KeyMethod.of(a.requireUnquoted("METHOD"));
            } catch (IllegalArgumentException e) {
                throw error(tag + " " + e.getMessage());
            }
            EncryptionKeyBuilder b = EncryptionKey.builder().method(method);
            try {
                String uri = a.quoted("URI");
                if (uri != null) {
                    b.uri(uri);
                }
                byte[] iv = a.hexadecimal("IV");
                if (iv != null) {
                    b.iv(iv);
                }
                String format = a.quoted("KEYFORMAT");
                if (format != null) {
                    b.keyFormat(format);
                }
                String versions = a.quoted("KEYFORMATVERSIONS");
                if (versions != null) {
                    List<Integer> list = new ArrayList<>();
                    for (String s : versions.split("/", -1)) {
                        if (!s.matches("[0-9]{1,9}")) {
                            throw error(tag + " KEYFORMATVERSIONS must be positive integers separated by '/', got \""
                                    + versions + '"');
                        }
                        list.add(Integer.parseInt(s));
                    }
                    b.keyFormatVersions(list);
                }
                return b.build();
            } catch (IllegalArgumentException e) {
                throw error(tag + ": " + e.getMessage());
            }
        }

        ByteRange byteRange(String text, boolean requireOffset) throws PlaylistParseException {
            Matcher m = BYTE_RANGE.matcher(text);
            if (!m.matches()) {
                throw error(tag + " byte range must be <length>[@<offset>], got '" + text + "'");
            }
            try {
                long length = Long.parseLong(m.group(1));
                if (m.group(2) == null) {
                    if (requireOffset) {
                        throw error(tag + " BYTERANGE needs an offset (length@offset), got '" + text + "'");
                    }
                    return ByteRange.ofLength(length);
                }
                return ByteRange.of(length, Long.parseLong(m.group(2)));
            } catch (NumberFormatException e) {
                throw error(tag + " byte range is too large: '" + text + "'");
            } catch (IllegalArgumentException e) {
                throw error(tag + ": " + e.getMessage());
            }
        }

        void checkVersion(VersionRequirement required) throws PlaylistParseException {
            if (required.version() > version) {
                throw new PlaylistParseException(versionLine == 0 ? 1 : versionLine, (versionLine == 0
                        ? "no EXT-X-VERSION (so version 1)" : "EXT-X-VERSION is " + version)
                        + " but the playlist needs version " + required.version() + ": " + required.reason());
            }
        }
    }

    private static final class MediaReader extends Reader {
        private final MediaPlaylistBuilder builder = MediaPlaylist.builder();
        private final List<MediaSegment> segments = new ArrayList<>();
        private final List<Integer> extinfLines = new ArrayList<>();
        private final Map<String, EncryptionKey> keys = new LinkedHashMap<>();
        private int targetDuration = -1;
        private boolean iFramesOnly;
        private MediaInitializationSection map;
        private Duration pendingDuration;
        private String pendingTitle;
        private int pendingExtinfLine;
        private ByteRange pendingRange;
        private int pendingRangeLine;
        private boolean pendingDiscontinuity;

        MediaReader(List<String> lines) {
            super(lines);
        }

        MediaPlaylist read() throws PlaylistParseException {
            readLines();
            if (pendingDuration != null) {
                throw new PlaylistParseException(pendingExtinfLine, "EXTINF is not followed by a URI line");
            }
            if (pendingRange != null) {
                throw new PlaylistParseException(pendingRangeLine, "EXT-X-BYTERANGE is not followed by a URI line");
            }
            if (targetDuration < 0) {
                throw new PlaylistParseException(lastLine(), "media playlist lacks the required "
                        + "EXT-X-TARGETDURATION tag (RFC 8216 §4.3.3.1)");
            }
            for (int i = 0; i < segments.size(); i++) {
                Duration d = segments.get(i).duration();
                long rounded = Formats.roundedSeconds(d);
                if (rounded > targetDuration) {
                    throw new PlaylistParseException(extinfLines.get(i), "segment duration " + Formats.seconds(d)
                            + " s rounds to " + rounded + " s, longer than EXT-X-TARGETDURATION " + targetDuration
                            + " s (RFC 8216 §4.3.3.1)");
                }
            }
            checkVersion(MediaPlaylist.requiredVersion(segments, iFramesOnly));
            try {
                return builder.targetDuration(targetDuration).iFramesOnly(iFramesOnly)
                        .independentSegments(independentSegments).minimumVersion(version).segments(segments).build();
            } catch (IllegalArgumentException e) {
                throw new PlaylistParseException(lastLine(), e.getMessage());
            }
        }

        @Override
        void tag() throws PlaylistParseException {
            switch (tag) {
                case "EXTINF" -> {
                    if (pendingDuration != null) {
                        throw new PlaylistParseException(pendingExtinfLine, "EXTINF is not followed by a URI line "
                                + "(another EXTINF follows on line " + line + ")");
                    }
                    String v = requireValue();
                    int comma = v.indexOf(',');
                    String seconds = comma < 0 ? v : v.substring(0, comma);
                    if (!DECIMAL_FLOAT.matcher(seconds).matches()) {
                        throw error("EXTINF duration must be a non-negative decimal number of seconds, got '"
                                + seconds + "'");
                    }
                    try {
                        pendingDuration = Formats.parseSeconds(seconds);
                    } catch (ArithmeticException e) {
                        throw error("EXTINF duration is too large: '" + seconds + "'");
                    }
                    if (pendingDuration.isZero()) {
                        throw error("EXTINF duration must be positive, got '" + seconds + "'");
                    }
                    pendingTitle = comma < 0 ? "" : v.substring(comma + 1);
                    pendingExtinfLine = line;
                }
                case "EXT-X-BYTERANGE" -> {
                    pendingRange = byteRange(requireValue(), false);
                    pendingRangeLine = line;
                }
                case "EXT-X-DISCONTINUITY" -> {
                    noValue();
                    pendingDiscontinuity = true;
                }
                case "EXT-X-KEY" -> {
                    EncryptionKey k = key(attributes());
                    if (k.method() == KeyMethod.NONE) {
                        keys.clear();
                    } else {
                        keys.put(k.effectiveKeyFormat(), k);
                    }
                }
                case "EXT-X-MAP" -> {
                    AttributeList a = attributes();
                    String uri = a.requireQuoted("URI");
                    String range = a.quoted("BYTERANGE");
                    try {
                        map = range == null ? MediaInitializationSection.of(uri)
                                : MediaInitializationSection.of(uri, byteRange(range, true));
                    } catch (IllegalArgumentException e) {
                        throw error("EXT-X-MAP: " + e.getMessage());
                    }
                    if (keys.values().stream().anyMatch(k -> k.method() == KeyMethod.AES_128 && k.iv().isEmpty())) {
                        throw error("EXT-X-MAP follows an EXT-X-KEY with METHOD=AES-128 and no IV; the IV is "
                                + "required then (RFC 8216 §4.3.2.5)");
                    }
                    // §4.3.2.4: an AES-128 key in effect applies to the section too.
                    map = map.withEncrypted(keys.values().stream().anyMatch(k -> k.method() == KeyMethod.AES_128));
                }
                case "EXT-X-TARGETDURATION" -> {
                    once();
                    long t = integerValue();
                    if (t < 1 || t > Integer.MAX_VALUE) {
                        throw error("EXT-X-TARGETDURATION must be between 1 and " + Integer.MAX_VALUE + ", got " + t);
                    }
                    targetDuration = (int) t;
                }
                case "EXT-X-MEDIA-SEQUENCE" -> {
                    once();
                    beforeFirstSegment();
                    builder.mediaSequence(integerValue());
                }
                case "EXT-X-DISCONTINUITY-SEQUENCE" -> {
                    once();
                    beforeFirstSegment();
                    builder.discontinuitySequence(integerValue());
                }
                case "EXT-X-PLAYLIST-TYPE" -> {
                    once();
                    try {
                        builder.playlistType(PlaylistType.of(requireValue()));
                    } catch (IllegalArgumentException e) {
                        throw error(e.getMessage());
                    }
                }
                case "EXT-X-I-FRAMES-ONLY" -> {
                    noValue();
                    iFramesOnly = true;
                }
                case "EXT-X-ENDLIST" -> {
                    noValue();
                    builder.endList(true);
                }
                default -> {
                    // Unknown or unsupported tag: ignored (RFC 8216 §6.3.1).
                }
            }
        }

        private void beforeFirstSegment() throws PlaylistParseException {
            if (!segments.isEmpty() || pendingDuration != null) {
                throw error(tag + " must appear before the first Media Segment");
            }
        }

        @Override
        void uri(String uri) throws PlaylistParseException {
            if (pendingDuration == null) {
                throw error("URI line " + PlaylistValues.printable(abbreviate(uri)) + " is not preceded by an EXTINF tag");
            }
            if (pendingRange != null && pendingRange.offset().isEmpty()) {
                MediaSegment previous = segments.isEmpty() ? null : segments.get(segments.size() - 1);
                if (previous == null || previous.byteRange().isEmpty() || !previous.uri().equals(uri)) {
                    throw new PlaylistParseException(pendingRangeLine, "EXT-X-BYTERANGE without offset needs the "
                            + "previous segment to be a sub-range of the same resource (RFC 8216 §4.3.2.2)");
                }
            }
            MediaSegmentBuilder b = MediaSegment.builder().uri(uri).duration(pendingDuration).title(pendingTitle)
                    .discontinuity(pendingDiscontinuity).keys(List.copyOf(keys.values()));
            if (pendingRange != null) {
                b.byteRange(pendingRange);
            }
            if (map != null) {
                b.map(map);
            }
            try {
                segments.add(b.build());
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            extinfLines.add(pendingExtinfLine);
            pendingDuration = null;
            pendingTitle = null;
            pendingRange = null;
            pendingDiscontinuity = false;
        }
    }

    private static final class MultivariantReader extends Reader {
        private final MultivariantPlaylistBuilder builder = MultivariantPlaylist.builder();
        private final List<Rendition> renditions = new ArrayList<>();
        private final Map<String, Set<String>> groupNames = new HashMap<>();
        private final Set<String> groupsWithDefault = new HashSet<>();
        private final List<Object> references = new ArrayList<>(); // VariantStream or IFrameVariantStream
        private final List<Integer> referenceLines = new ArrayList<>();
        private final Set<EncryptionKey> sessionKeys = new HashSet<>();
        private VariantStreamBuilder pendingVariant;
        private int pendingVariantLine;
        private int ccNoneLine;
        private int ccOtherLine;

        MultivariantReader(List<String> lines) {
            super(lines);
        }

        MultivariantPlaylist read() throws PlaylistParseException {
            readLines();
            if (pendingVariant != null) {
                throw new PlaylistParseException(pendingVariantLine, "EXT-X-STREAM-INF is not followed by a URI line");
            }
            for (int i = 0; i < references.size(); i++) {
                line = referenceLines.get(i);
                if (references.get(i) instanceof VariantStream v) {
                    checkGroup("AUDIO", RenditionType.AUDIO, v.audio().orElse(null));
                    checkGroup("VIDEO", RenditionType.VIDEO, v.video().orElse(null));
                    checkGroup("SUBTITLES", RenditionType.SUBTITLES, v.subtitles().orElse(null));
                    checkGroup("CLOSED-CAPTIONS", RenditionType.CLOSED_CAPTIONS, v.closedCaptions().orElse(null));
                } else if (references.get(i) instanceof IFrameVariantStream v) {
                    checkGroup("VIDEO", RenditionType.VIDEO, v.video().orElse(null));
                }
            }
            if (ccNoneLine > 0 && ccOtherLine > 0) {
                throw new PlaylistParseException(Math.max(ccNoneLine, ccOtherLine), "CLOSED-CAPTIONS=NONE on line "
                        + ccNoneLine + " requires every EXT-X-STREAM-INF to say NONE, but line " + ccOtherLine
                        + " does not (RFC 8216 §4.3.4.2)");
            }
            if (references.stream().noneMatch(VariantStream.class::isInstance)) {
                throw new PlaylistParseException(lastLine(), "multivariant playlist has no EXT-X-STREAM-INF");
            }
            checkVersion(MultivariantPlaylist.requiredVersion(renditions));
            try {
                return builder.independentSegments(independentSegments).minimumVersion(version).build();
            } catch (IllegalArgumentException e) {
                throw new PlaylistParseException(lastLine(), e.getMessage());
            }
        }

        private void checkGroup(String attribute, RenditionType type, String groupId) throws PlaylistParseException {
            if (groupId != null && !groupNames.containsKey(type.attributeValue() + '\u0000' + groupId)) {
                String t = references.get(referenceLines.indexOf(line)) instanceof VariantStream
                        ? "EXT-X-STREAM-INF" : "EXT-X-I-FRAME-STREAM-INF";
                throw error(t + " references " + attribute + " group \"" + groupId + "\" but no EXT-X-MEDIA with TYPE="
                        + type.attributeValue() + " has that GROUP-ID (RFC 8216 §4.3.4.2)");
            }
        }

        @Override
        void tag() throws PlaylistParseException {
            switch (tag) {
                case "EXT-X-STREAM-INF" -> {
                    if (pendingVariant != null) {
                        throw new PlaylistParseException(pendingVariantLine, "EXT-X-STREAM-INF is not followed by a "
                                + "URI line (another EXT-X-STREAM-INF follows on line " + line + ")");
                    }
                    AttributeList a = attributes();
                    VariantStreamBuilder b = VariantStream.builder();
                    try {
                        b.bandwidth(a.requireDecimalInteger("BANDWIDTH"));
                        long avg = a.decimalInteger("AVERAGE-BANDWIDTH");
                        if (avg >= 0) {
                            b.averageBandwidth(avg);
                        }
                        String codecs = a.quoted("CODECS");
                        if (codecs != null) {
                            b.codecs(splitList(codecs));
                        }
                        Resolution r = a.resolution("RESOLUTION");
                        if (r != null) {
                            b.resolution(r);
                        }
                        double fps = a.decimalFloat("FRAME-RATE");
                        if (!Double.isNaN(fps)) {
                            b.frameRate(fps);
                        }
                        String g;
                        if ((g = a.quoted("AUDIO")) != null) {
                            b.audio(g);
                        }
                        if ((g = a.quoted("VIDEO")) != null) {
                            b.video(g);
                        }
                        if ((g = a.quoted("SUBTITLES")) != null) {
                            b.subtitles(g);
                        }
                        if (a.has("CLOSED-CAPTIONS")) {
                            String cc;
                            try {
                                cc = a.quoted("CLOSED-CAPTIONS");
                            } catch (PlaylistParseException notQuoted) {
                                if (!"NONE".equals(a.unquoted("CLOSED-CAPTIONS"))) {
                                    throw a.error("attribute CLOSED-CAPTIONS must be a quoted-string or NONE, got "
                                            + a.unquoted("CLOSED-CAPTIONS"));
                                }
                                cc = null;
                            }
                            if (cc == null) {
                                b.noClosedCaptions();
                                ccNoneLine = ccNoneLine == 0 ? line : ccNoneLine;
                            } else {
                                b.closedCaptions(cc);
                                ccOtherLine = ccOtherLine == 0 ? line : ccOtherLine;
                            }
                        } else {
                            ccOtherLine = ccOtherLine == 0 ? line : ccOtherLine;
                        }
                    } catch (IllegalArgumentException e) {
                        throw error("EXT-X-STREAM-INF: " + e.getMessage());
                    }
                    pendingVariant = b;
                    pendingVariantLine = line;
                }
                case "EXT-X-I-FRAME-STREAM-INF" -> {
                    AttributeList a = attributes();
                    IFrameVariantStreamBuilder b = IFrameVariantStream.builder();
                    try {
                        b.bandwidth(a.requireDecimalInteger("BANDWIDTH"));
                        long avg = a.decimalInteger("AVERAGE-BANDWIDTH");
                        if (avg >= 0) {
                            b.averageBandwidth(avg);
                        }
                        String codecs = a.quoted("CODECS");
                        if (codecs != null) {
                            b.codecs(splitList(codecs));
                        }
                        Resolution r = a.resolution("RESOLUTION");
                        if (r != null) {
                            b.resolution(r);
                        }
                        String g = a.quoted("VIDEO");
                        if (g != null) {
                            b.video(g);
                        }
                        IFrameVariantStream v = b.uri(a.requireQuoted("URI")).build();
                        builder.addIFrameVariant(v);
                        references.add(v);
                        referenceLines.add(line);
                    } catch (IllegalArgumentException e) {
                        throw error("EXT-X-I-FRAME-STREAM-INF: " + e.getMessage());
                    }
                }
                case "EXT-X-MEDIA" -> media(attributes());
                case "EXT-X-SESSION-KEY" -> {
                    EncryptionKey k = key(attributes());
                    if (k.method() == KeyMethod.NONE) {
                        throw error("EXT-X-SESSION-KEY cannot have METHOD=NONE (RFC 8216 §4.3.4.5)");
                    }
                    if (!sessionKeys.add(k)) {
                        throw error("duplicate EXT-X-SESSION-KEY (RFC 8216 §4.3.4.5)");
                    }
                    builder.addSessionKey(k);
                }
                default -> {
                    // Unknown or unsupported tag (e.g. EXT-X-SESSION-DATA): ignored (RFC 8216 §6.3.1).
                }
            }
        }

        private void media(AttributeList a) throws PlaylistParseException {
            RenditionType type;
            try {
                type = RenditionType.of(a.requireUnquoted("TYPE"));
            } catch (IllegalArgumentException e) {
                throw error("EXT-X-MEDIA " + e.getMessage());
            }
            RenditionBuilder b = Rendition.builder().type(type)
                    .groupId(a.requireQuoted("GROUP-ID")).name(a.requireQuoted("NAME"));
            String s;
            if ((s = a.quoted("LANGUAGE")) != null) {
                b.language(s);
            }
            if ((s = a.quoted("ASSOC-LANGUAGE")) != null) {
                b.assocLanguage(s);
            }
            if ((s = a.quoted("URI")) != null) {
                b.uri(s);
            }
            b.isDefault(a.yesNo("DEFAULT", false)).autoselect(a.yesNo("AUTOSELECT", false))
                    .forced(a.yesNo("FORCED", false));
            if ((s = a.quoted("INSTREAM-ID")) != null) {
                b.instreamId(s);
            }
            if ((s = a.quoted("CHARACTERISTICS")) != null) {
                b.characteristics(splitList(s));
            }
            if ((s = a.quoted("CHANNELS")) != null) {
                b.channels(s);
            }
            Rendition r;
            try {
                r = b.build();
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            String group = r.type().attributeValue() + '\u0000' + r.groupId();
            if (!groupNames.computeIfAbsent(group, k -> new HashSet<>()).add(r.name())) {
                throw error("another EXT-X-MEDIA in " + r.type().attributeValue() + " group \"" + r.groupId()
                        + "\" is already named \"" + r.name() + "\" (RFC 8216 §4.3.4.1.1)");
            }
            if (r.isDefault() && !groupsWithDefault.add(group)) {
                throw error(r.type().attributeValue() + " group \"" + r.groupId()
                        + "\" already has a DEFAULT=YES member (RFC 8216 §4.3.4.1.1)");
            }
            renditions.add(r);
            builder.addRendition(r);
        }

        @Override
        void uri(String uri) throws PlaylistParseException {
            if (pendingVariant == null) {
                throw error("URI line " + PlaylistValues.printable(abbreviate(uri)) + " is not preceded by EXT-X-STREAM-INF");
            }
            try {
                VariantStream v = pendingVariant.uri(uri).build();
                builder.addVariant(v);
                references.add(v);
                referenceLines.add(pendingVariantLine);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            pendingVariant = null;
        }

        private static List<String> splitList(String s) {
            List<String> out = new ArrayList<>();
            for (String part : s.split(",", -1)) {
                out.add(part.strip());
            }
            return out;
        }
    }
}
