package dev.kino.packager.source;

/**
 * One subtitle stream of a source.
 *
 * @param index the stream index in the container
 * @param codec FFmpeg's codec name ({@code subrip}, {@code ass}, {@code mov_text}, {@code webvtt},
 *              {@code hdmv_pgs_subtitle}, ...)
 * @param language ISO 639-2 language from the {@code language} tag, {@code und} when absent
 * @param text true for a text codec (convertible to WebVTT), false for bitmap subtitles
 */
public record SubtitleStreamInfo(int index, String codec, String language, boolean text) {
}
