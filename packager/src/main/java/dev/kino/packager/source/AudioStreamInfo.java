package dev.kino.packager.source;

/**
 * One audio stream of a source.
 *
 * @param index the stream index in the container
 * @param codec FFmpeg's codec name ({@code aac}, {@code opus}, {@code ac3}, ...)
 * @param language ISO 639-2 language from the stream's {@code language} tag, {@code und} when absent
 * @param channels channel count
 * @param sampleRate sample rate in Hz
 * @param title the stream's {@code title} tag, or null
 */
public record AudioStreamInfo(int index, String codec, String language, int channels, int sampleRate, String title) {
}
