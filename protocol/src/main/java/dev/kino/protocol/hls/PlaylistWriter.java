package dev.kino.protocol.hls;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Writes playlists as text (RFC 8216 §4): starts with {@code #EXTM3U}, always writes {@code EXT-X-VERSION}
 * ({@link Playlist#version()}), ends every line with {@code \n}, and formats attribute values as §4.2 says:
 * <ul>
 *   <li>quoted-string ({@code URI}, {@code CODECS}, {@code GROUP-ID}, {@code NAME}, {@code LANGUAGE},
 *       {@code KEYFORMAT}, {@code BYTERANGE} of {@code EXT-X-MAP}...) in double quotes; a value containing
 *       {@code "}, CR or LF is rejected;</li>
 *   <li>enumerated-string ({@code METHOD}, {@code TYPE}, {@code DEFAULT}, {@code CLOSED-CAPTIONS=NONE}...) bare;</li>
 *   <li>decimal-integer ({@code BANDWIDTH}...) bare; decimal-resolution as {@code <w>x<h>};</li>
 *   <li>hexadecimal-sequence ({@code IV}) as {@code 0x} and 32 lower-case digits;</li>
 *   <li>decimal-floating-point: {@code FRAME-RATE} with exactly three decimals; {@code EXTINF} durations in
 *       seconds, exact to the nanosecond, no exponent and no trailing zeros (whole seconds as integers).</li>
 * </ul>
 * Tags are written in a fixed order, so equal playlists give identical text. {@code EXT-X-KEY} and
 * {@code EXT-X-MAP} are written before the first segment and again only where they change; a change that drops
 * a key format is written as {@code METHOD=NONE} followed by the keys now in effect. A clear initialization
 * section is declared before the keys (so no AES-128 key applies to it, §4.3.2.4), an encrypted one after them
 * (see {@link MediaInitializationSection#encrypted()}).
 *
 * <p>Stateless and thread-safe; does no I/O.
 */
public final class PlaylistWriter {

    private PlaylistWriter() {
    }

    /**
     * Writes a playlist of either kind.
     *
     * @param playlist the playlist
     * @return the playlist text, UTF-8 safe, every line ending with {@code \n}
     * @throws IllegalArgumentException if a value cannot be written (e.g. a quoted-string containing {@code "},
     *         CR or LF); the builders already reject those, so this only guards the output
     */
    public static String write(Playlist playlist) {
        Objects.requireNonNull(playlist, "playlist");
        if (playlist instanceof MediaPlaylist m) {
            return write(m);
        }
        return write((MultivariantPlaylist) playlist);
    }

    /**
     * Writes a multivariant playlist: {@code #EXTM3U}, {@code EXT-X-VERSION}, {@code EXT-X-INDEPENDENT-SEGMENTS},
     * {@code EXT-X-SESSION-KEY}s, {@code EXT-X-MEDIA}s, each {@code EXT-X-STREAM-INF} with its URI line, then
     * {@code EXT-X-I-FRAME-STREAM-INF}s.
     *
     * @param playlist the playlist
     * @return the playlist text
     * @throws IllegalArgumentException if a quoted-string value contains {@code "}, CR or LF
     */
    public static String write(MultivariantPlaylist playlist) {
        StringBuilder out = new StringBuilder(1024);
        line(out, "#EXTM3U");
        line(out, "#EXT-X-VERSION:" + playlist.version());
        if (playlist.independentSegments()) {
            line(out, "#EXT-X-INDEPENDENT-SEGMENTS");
        }
        for (EncryptionKey k : playlist.sessionKeys()) {
            line(out, "#EXT-X-SESSION-KEY:" + keyAttributes(k));
        }
        for (Rendition r : playlist.renditions()) {
            line(out, "#EXT-X-MEDIA:" + renditionAttributes(r));
        }
        for (VariantStream v : playlist.variants()) {
            Attributes a = new Attributes()
                    .integer("BANDWIDTH", v.bandwidth());
            v.averageBandwidth().ifPresent(b -> a.integer("AVERAGE-BANDWIDTH", b));
            if (!v.codecs().isEmpty()) {
                a.quoted("CODECS", String.join(",", v.codecs()));
            }
            v.resolution().ifPresent(res -> a.enumerated("RESOLUTION", res.toString()));
            v.frameRate().ifPresent(f -> a.enumerated("FRAME-RATE", Formats.frameRate(f)));
            v.audio().ifPresent(g -> a.quoted("AUDIO", g));
            v.video().ifPresent(g -> a.quoted("VIDEO", g));
            v.subtitles().ifPresent(g -> a.quoted("SUBTITLES", g));
            v.closedCaptions().ifPresent(g -> a.quoted("CLOSED-CAPTIONS", g));
            if (v.closedCaptionsNone()) {
                a.enumerated("CLOSED-CAPTIONS", "NONE");
            }
            line(out, "#EXT-X-STREAM-INF:" + a);
            line(out, PlaylistValues.uriLine("EXT-X-STREAM-INF URI", v.uri()));
        }
        for (IFrameVariantStream v : playlist.iFrameVariants()) {
            Attributes a = new Attributes().integer("BANDWIDTH", v.bandwidth());
            v.averageBandwidth().ifPresent(b -> a.integer("AVERAGE-BANDWIDTH", b));
            if (!v.codecs().isEmpty()) {
                a.quoted("CODECS", String.join(",", v.codecs()));
            }
            v.resolution().ifPresent(res -> a.enumerated("RESOLUTION", res.toString()));
            v.video().ifPresent(g -> a.quoted("VIDEO", g));
            a.quoted("URI", v.uri());
            line(out, "#EXT-X-I-FRAME-STREAM-INF:" + a);
        }
        return out.toString();
    }

    /**
     * Writes a media playlist: {@code #EXTM3U}, {@code EXT-X-VERSION}, {@code EXT-X-TARGETDURATION},
     * {@code EXT-X-MEDIA-SEQUENCE}, {@code EXT-X-DISCONTINUITY-SEQUENCE} (if not 0), {@code EXT-X-PLAYLIST-TYPE},
     * {@code EXT-X-I-FRAMES-ONLY}, {@code EXT-X-INDEPENDENT-SEGMENTS}; then per segment
     * {@code EXT-X-DISCONTINUITY}, {@code EXT-X-KEY}s and {@code EXT-X-MAP} (where they change), {@code EXTINF},
     * {@code EXT-X-BYTERANGE} and the URI line; finally {@code EXT-X-ENDLIST}.
     *
     * @param playlist the playlist
     * @return the playlist text
     * @throws IllegalArgumentException if a quoted-string value contains {@code "}, CR or LF
     */
    public static String write(MediaPlaylist playlist) {
        StringBuilder out = new StringBuilder(256 + 64 * playlist.segments().size());
        line(out, "#EXTM3U");
        line(out, "#EXT-X-VERSION:" + playlist.version());
        line(out, "#EXT-X-TARGETDURATION:" + playlist.targetDuration());
        line(out, "#EXT-X-MEDIA-SEQUENCE:" + playlist.mediaSequence());
        if (playlist.discontinuitySequence() != 0) {
            line(out, "#EXT-X-DISCONTINUITY-SEQUENCE:" + playlist.discontinuitySequence());
        }
        playlist.playlistType().ifPresent(t -> line(out, "#EXT-X-PLAYLIST-TYPE:" + t.name()));
        if (playlist.iFramesOnly()) {
            line(out, "#EXT-X-I-FRAMES-ONLY");
        }
        if (playlist.independentSegments()) {
            line(out, "#EXT-X-INDEPENDENT-SEGMENTS");
        }
        List<EncryptionKey> keys = List.of();
        MediaInitializationSection map = null;
        for (MediaSegment s : playlist.segments()) {
            if (s.discontinuity()) {
                line(out, "#EXT-X-DISCONTINUITY");
            }
            boolean mapChanges = s.map().isPresent() && !s.map().get().equals(map);
            if (mapChanges && !s.map().get().encrypted()) {
                // A clear section must not follow an AES-128 key in effect (§4.3.2.4): reset, declare, re-key.
                if (keys.stream().anyMatch(k -> k.method() == KeyMethod.AES_128)) {
                    line(out, "#EXT-X-KEY:METHOD=NONE");
                    keys = List.of();
                }
                map = writeMap(out, s.map().get());
            }
            if (!s.keys().equals(keys)) {
                boolean dropsAFormat = keys.stream().map(EncryptionKey::effectiveKeyFormat)
                        .anyMatch(f -> s.keys().stream().noneMatch(k -> k.effectiveKeyFormat().equals(f)));
                if (dropsAFormat) {
                    line(out, "#EXT-X-KEY:METHOD=NONE");
                }
                for (EncryptionKey k : s.keys()) {
                    line(out, "#EXT-X-KEY:" + keyAttributes(k));
                }
                keys = s.keys();
            }
            if (mapChanges && s.map().get().encrypted()) {
                map = writeMap(out, s.map().get());
            }
            line(out, "#EXTINF:" + Formats.seconds(s.duration()) + "," + PlaylistValues.noLineBreak("EXTINF title", s.title()));
            s.byteRange().ifPresent(r -> line(out, "#EXT-X-BYTERANGE:" + r));
            line(out, PlaylistValues.uriLine("segment URI", s.uri()));
        }
        if (playlist.endList()) {
            line(out, "#EXT-X-ENDLIST");
        }
        return out.toString();
    }

    private static MediaInitializationSection writeMap(StringBuilder out, MediaInitializationSection map) {
        Attributes a = new Attributes().quoted("URI", map.uri());
        map.byteRange().ifPresent(r -> a.quoted("BYTERANGE", r.toString()));
        line(out, "#EXT-X-MAP:" + a);
        return map;
    }

    private static String keyAttributes(EncryptionKey k) {
        Attributes a = new Attributes().enumerated("METHOD", k.method().attributeValue());
        k.uri().ifPresent(u -> a.quoted("URI", u));
        k.iv().ifPresent(iv -> a.enumerated("IV", Formats.hex(iv)));
        k.keyFormat().ifPresent(f -> a.quoted("KEYFORMAT", f));
        if (!k.keyFormatVersions().isEmpty()) {
            a.quoted("KEYFORMATVERSIONS",
                    k.keyFormatVersions().stream().map(String::valueOf).collect(Collectors.joining("/")));
        }
        return a.toString();
    }

    private static String renditionAttributes(Rendition r) {
        Attributes a = new Attributes()
                .enumerated("TYPE", r.type().attributeValue())
                .quoted("GROUP-ID", r.groupId());
        r.language().ifPresent(l -> a.quoted("LANGUAGE", l));
        r.assocLanguage().ifPresent(l -> a.quoted("ASSOC-LANGUAGE", l));
        a.quoted("NAME", r.name())
                .enumerated("DEFAULT", yesNo(r.isDefault()))
                .enumerated("AUTOSELECT", yesNo(r.autoselect()));
        if (r.type() == RenditionType.SUBTITLES) {
            a.enumerated("FORCED", yesNo(r.forced()));
        }
        r.instreamId().ifPresent(id -> a.quoted("INSTREAM-ID", id));
        if (!r.characteristics().isEmpty()) {
            a.quoted("CHARACTERISTICS", String.join(",", r.characteristics()));
        }
        r.channels().ifPresent(c -> a.quoted("CHANNELS", c));
        r.uri().ifPresent(u -> a.quoted("URI", u));
        return a.toString();
    }

    private static String yesNo(boolean b) {
        return b ? "YES" : "NO";
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append('\n');
    }

    /** An attribute-list being written (RFC 8216 §4.2). */
    private static final class Attributes {
        private final StringBuilder sb = new StringBuilder();

        Attributes quoted(String name, String value) {
            PlaylistValues.quotedString(name, value);
            return add(name, '"' + value + '"');
        }

        Attributes enumerated(String name, String value) {
            return add(name, value);
        }

        Attributes integer(String name, long value) {
            return add(name, Long.toString(value));
        }

        private Attributes add(String name, String value) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(name).append('=').append(value);
            return this;
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
