package dev.kino.control.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A playable item (a movie's feature or an episode).
 *
 * @param id media id
 * @param titleId its title
 * @param seasonNumber season number for an episode, else absent
 * @param episodeNumber episode number, or absent
 * @param name episode or feature name, or absent
 * @param packagedTitleId folder under {@code media.root} the media server serves it from
 * @param renditions packaged renditions, e.g. {@code 1080p}
 * @param audioLanguages audio (dub) language codes
 * @param subtitleLanguages subtitle language codes
 * @param durationSeconds duration in seconds, or absent before packaging
 * @param hasDash a DASH MPD is served besides HLS
 * @param protection {@code none}, {@code aes-128}, {@code cenc} or {@code aes-128+cenc}
 * @param access who may play it: {@code free} (guests too), {@code registered}, {@code subscription}
 * @param state {@code uploaded}, {@code queued}, {@code packaging}, {@code ready}, {@code failed},
 *              {@code published} or {@code taken_down}
 * @param hasSource a source video is registered (only shown to {@code catalog.write})
 * @param publishedAt when it was last published, or absent
 */
public record MediaView(UUID id, UUID titleId, Integer seasonNumber, Integer episodeNumber, String name,
                        String packagedTitleId, List<String> renditions, List<String> audioLanguages,
                        List<String> subtitleLanguages, Integer durationSeconds, boolean hasDash, String protection,
                        String access, String state, Boolean hasSource, Instant publishedAt) {
}
