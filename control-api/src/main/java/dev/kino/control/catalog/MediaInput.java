package dev.kino.control.catalog;

import java.util.List;

/**
 * A playable item as created or replaced by an admin. Packaging fills in renditions, languages and
 * duration; an admin may also register media already packaged under {@code media.root}.
 *
 * @param seasonNumber season of an episode (created when missing); absent for a movie's feature
 * @param episodeNumber episode number within the season, optional
 * @param name episode or feature name, optional, up to 500 characters
 * @param packagedTitleId folder name under {@code media.root} (a protocol title id:
 *                        {@code [A-Za-z0-9_-]}, up to 128); default {@code m-<media id>}
 * @param renditions e.g. {@code 1080p}, {@code 720p}
 * @param audioLanguages audio language codes
 * @param subtitleLanguages subtitle language codes
 * @param durationSeconds duration in seconds
 * @param hasDash a DASH MPD is served too
 * @param protection {@code none}, {@code aes-128}, {@code cenc} or {@code aes-128+cenc}; default {@code aes-128}
 * @param access {@code free}, {@code registered} or {@code subscription} (default)
 * @param packaged true when the media is already packaged under {@code media.root}: it starts
 *                 {@code ready} instead of {@code uploaded} (create only)
 */
public record MediaInput(Integer seasonNumber, Integer episodeNumber, String name, String packagedTitleId,
                         List<String> renditions, List<String> audioLanguages, List<String> subtitleLanguages,
                         Integer durationSeconds, Boolean hasDash, String protection, String access,
                         Boolean packaged) {
}
