package dev.kino.packager.job;

import java.nio.file.Path;
import java.util.List;

/**
 * A published title.
 *
 * @param titleId the title id
 * @param folder the published folder {@code <outRoot>/<titleId>}
 * @param durationSeconds the video duration, seconds
 * @param renditions rendition names, e.g. {@code video-720p}, {@code audio-eng}
 * @param keyIds key ids (32 hex digits) of the title's content keys, empty when clear
 * @param videoEncoder the H.264 encoder used ({@code libx264} or {@code libopenh264})
 * @param wallSeconds how long the job took, seconds
 */
public record PackagingResult(String titleId, Path folder, double durationSeconds, List<String> renditions,
                              List<String> keyIds, String videoEncoder, double wallSeconds) {
    /** Copies the lists. */
    public PackagingResult {
        renditions = List.copyOf(renditions);
        keyIds = List.copyOf(keyIds);
    }
}
