package dev.kino.control.catalog;

import dev.kino.control.InvalidInputException;
import dev.kino.control.Validation;

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

    /** @throws InvalidInputException listing every invalid field */
    public MediaInput validate() {
        Validation v = new Validation();
        if (seasonNumber != null) {
            v.check("seasonNumber", seasonNumber >= 0 && seasonNumber <= 10_000, "must be 0 to 10000");
        }
        if (episodeNumber != null) {
            v.check("episodeNumber", episodeNumber >= 0 && episodeNumber <= 100_000, "must be 0 to 100000");
        }
        if (name != null) {
            v.check("name", !name.isBlank() && name.length() <= 500, "must be 1 to 500 characters");
        }
        CatalogFields.titleId(v, "packagedTitleId", packagedTitleId);
        CatalogFields.renditions(v, renditions);
        CatalogFields.languages(v, "audioLanguages", audioLanguages);
        CatalogFields.languages(v, "subtitleLanguages", subtitleLanguages);
        if (durationSeconds != null) {
            v.check("durationSeconds", durationSeconds >= 0 && durationSeconds <= 7 * 24 * 3600,
                    "must be 0 to 604800 seconds");
        }
        if (protection != null) {
            v.check("protection", CatalogFields.PROTECTIONS.contains(protection), "must be one of " + CatalogFields.PROTECTIONS);
        }
        if (access != null) {
            v.check("access", CatalogFields.ACCESS.contains(access), "must be free, registered or subscription");
        }
        v.throwIfInvalid();
        return this;
    }
}
