package dev.kino.media.file;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The allow-list of servable file types, by extension, with their Content-Type. Anything else in a title
 * folder (the internal {@code manifest.json}, {@code keys.wrapped.json}, temporary files) is never served.
 *
 * <p>NOTE: {@code .m4s} media segments are served as {@code video/iso.segment} (the IANA registration for
 * ISO BMFF segments, which hls.js, dash.js, Shaka and AVPlayer all accept); initialization sections
 * ({@code .mp4}) as {@code video/mp4}.
 *
 * @param contentType the Content-Type header value
 * @param kind what the file is for
 */
public record FileType(String contentType, FileKind kind) {
    /** Content-Type of DASH MPDs. */
    public static final String MPD_CONTENT_TYPE = "application/dash+xml";
    private static final Map<String, FileType> BY_EXTENSION = Map.ofEntries(
            Map.entry("m3u8", new FileType("application/vnd.apple.mpegurl", FileKind.PLAYLIST)),
            Map.entry("mpd", new FileType(MPD_CONTENT_TYPE, FileKind.PLAYLIST)),
            Map.entry("mp4", new FileType("video/mp4", FileKind.SEGMENT)),
            Map.entry("m4v", new FileType("video/mp4", FileKind.SEGMENT)),
            Map.entry("m4s", new FileType("video/iso.segment", FileKind.SEGMENT)),
            Map.entry("m4a", new FileType("audio/mp4", FileKind.SEGMENT)),
            Map.entry("vtt", new FileType("text/vtt; charset=utf-8", FileKind.TEXT_TRACK)),
            Map.entry("jpg", new FileType("image/jpeg", FileKind.IMAGE)),
            Map.entry("jpeg", new FileType("image/jpeg", FileKind.IMAGE)),
            Map.entry("png", new FileType("image/png", FileKind.IMAGE)),
            Map.entry("webp", new FileType("image/webp", FileKind.IMAGE)));

    /**
     * @param fileName a file name
     * @return its type, or empty when the extension is not on the allow-list
     */
    public static Optional<FileType> of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
