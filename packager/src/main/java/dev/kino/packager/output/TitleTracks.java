package dev.kino.packager.output;

import dev.kino.common.packaging.Protection;
import dev.kino.packager.crypto.ContentKeys;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.thumbs.Thumbnails;

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
 * @param subtitles the WebVTT subtitle renditions, possibly empty
 * @param thumbnails the thumbnail track and poster, or null when none were made
 */
public record TitleTracks(String titleId, double durationSeconds, int segmentSeconds, Protection protection,
                          String videoEncoder, List<VideoTrack> video, List<SegmentedTrack> audio,
                          ContentKeys.Generated hlsKey, ContentKeys.Generated cencKey,
                          List<SubtitleTrack> subtitles, Thumbnails thumbnails) {
    /** Copies the lists. */
    public TitleTracks {
        video = List.copyOf(video);
        audio = List.copyOf(audio);
        subtitles = List.copyOf(subtitles);
    }

    /** Tracks without subtitles or thumbnails. */
    public TitleTracks(String titleId, double durationSeconds, int segmentSeconds, Protection protection,
                       String videoEncoder, List<VideoTrack> video, List<SegmentedTrack> audio,
                       ContentKeys.Generated hlsKey, ContentKeys.Generated cencKey) {
        this(titleId, durationSeconds, segmentSeconds, protection, videoEncoder, video, audio, hlsKey, cencKey,
                List.of(), null);
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
