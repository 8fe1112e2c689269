package dev.kino.packager.job;

import dev.kino.common.packaging.Protection;
import dev.kino.packager.media.TrackKind;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A published title.
 *
 * @param titleId the title id
 * @param folder the published folder, {@link PackagingRequest#titleFolder()}
 * @param durationSeconds the video duration, seconds
 * @param protection how its media is protected; {@link Protection#dash()} tells whether a DASH MPD was written
 * @param tracks its tracks: video renditions highest first, then audio in source order, then subtitles
 * @param keyIds key ids (32 hex digits) of the title's content keys, empty when clear
 * @param videoEncoder the H.264 encoder used ({@code libx264} or {@code libopenh264})
 * @param wallSeconds how long the job took, seconds
 * @param remuxedRenditions the video renditions made from the source's own H.264 packets (no re-encode)
 * @param log the job log's lines ({@link PackagingListener#log}): remux decisions and fallbacks
 */
public record PackagingResult(String titleId, Path folder, double durationSeconds, Protection protection,
                              List<PackagedTrack> tracks, List<String> keyIds, String videoEncoder, double wallSeconds,
                              List<String> remuxedRenditions, List<String> log) {
    /** Copies the lists. */
    public PackagingResult {
        Objects.requireNonNull(protection, "protection");
        tracks = List.copyOf(tracks);
        keyIds = List.copyOf(keyIds);
        remuxedRenditions = List.copyOf(remuxedRenditions);
        log = List.copyOf(log);
    }

    /** @return every track's rendition name, in {@link #tracks} order, e.g. {@code video-720p audio-jpn subs-eng} */
    public List<String> renditions() {
        return tracks.stream().map(PackagedTrack::name).toList();
    }

    /** @return the tracks of one kind, in {@link #tracks} order */
    public List<PackagedTrack> tracks(TrackKind kind) {
        return tracks.stream().filter(t -> t.kind() == kind).toList();
    }

    /** @return the distinct BCP 47 languages of the tracks of one kind, first appearance first */
    public List<String> languages(TrackKind kind) {
        return tracks(kind).stream().map(PackagedTrack::language).distinct().toList();
    }
}
