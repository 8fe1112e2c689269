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
 * @param remuxedRenditions the video renditions made from the source's own H.264 packets (no re-encode)
 * @param log the job log's lines ({@link PackagingListener#log}): remux decisions and fallbacks
 */
public record PackagingResult(String titleId, Path folder, double durationSeconds, List<String> renditions,
                              List<String> keyIds, String videoEncoder, double wallSeconds,
                              List<String> remuxedRenditions, List<String> log) {
    /** Copies the lists. */
    public PackagingResult {
        renditions = List.copyOf(renditions);
        keyIds = List.copyOf(keyIds);
        remuxedRenditions = List.copyOf(remuxedRenditions);
        log = List.copyOf(log);
    }

    /** A result without remuxed renditions or log lines. */
    public PackagingResult(String titleId, Path folder, double durationSeconds, List<String> renditions,
                           List<String> keyIds, String videoEncoder, double wallSeconds) {
        this(titleId, folder, durationSeconds, renditions, keyIds, videoEncoder, wallSeconds, List.of(), List.of());
    }
}
