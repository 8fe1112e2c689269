package dev.kino.control.media;

/**
 * An upload to start.
 *
 * @param filename the file's name, 1 to 255 characters, no path separators
 * @param size exact size in bytes, 1 to {@code control.maxUploadBytes}
 * @param sha256 SHA-256 of the whole file, 64 lower- or upper-case hex digits
 */
public record UploadInput(String filename, Long size, String sha256) {
}
