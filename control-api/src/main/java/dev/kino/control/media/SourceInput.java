package dev.kino.control.media;

import java.util.UUID;

/**
 * The source video of a media item: exactly one of a completed upload of the caller's, or a file
 * already on the server under {@code <data.dir>/incoming}.
 *
 * @param uploadId a completed upload
 * @param path a path relative to {@code <data.dir>/incoming} (or absolute inside it); no traversal, no
 *             symbolic link out of it
 */
public record SourceInput(UUID uploadId, String path) {
}
