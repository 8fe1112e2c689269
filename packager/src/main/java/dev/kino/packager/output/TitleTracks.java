package dev.kino.packager.output;

import dev.kino.packager.crypto.ContentKeys;
import dev.kino.packager.job.Protection;
import dev.kino.packager.ladder.Rung;

import java.util.List;

/**
 * Everything {@link TitleWriter} needs about a transcoded title.
 *
 * @param titleId the title id
 * @param durationSeconds the video duration, seconds
 * @param segmentSeconds target segment duration, seconds
 * @param protection the protection
 * @param videoEncoder the H.264 encoder name
 * @param video the video renditions with their rungs, highest first
 * @param audio the audio renditions, in source order
 * @param hlsKey the AES-128 key ({@link Protection#hlsAes()}), or null
 * @param cencKey the {@code cenc} key ({@link Protection#cenc()}), or null
 */
public record TitleTracks(String titleId, double durationSeconds, int segmentSeconds, Protection protection,
                          String videoEncoder, List<VideoTrack> video, List<SegmentedTrack> audio,
                          ContentKeys.Generated hlsKey, ContentKeys.Generated cencKey) {
    /** Copies the lists. */
    public TitleTracks {
        video = List.copyOf(video);
        audio = List.copyOf(audio);
    }

    /**
     * @param rung the planned rung
     * @param track its segments
     */
    public record VideoTrack(Rung rung, SegmentedTrack track) {
    }

    /** @return the copy index the HLS playlists list (always 0) */
    public int hlsCopy() {
        return 0;
    }

    /** @return the copy index the DASH MPD lists (the {@code cenc} copy when there are two) */
    public int dashCopy() {
        return video.get(0).track().copies().size() - 1;
    }
}
