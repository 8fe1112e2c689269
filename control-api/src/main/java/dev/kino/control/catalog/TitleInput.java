package dev.kino.control.catalog;

import java.util.List;
import java.util.Map;

/**
 * A title's metadata, as created or replaced by an admin (and by the importer).
 *
 * @param kind {@code movie} or {@code series}
 * @param originalTitle title in the original language, 1 to 500 characters
 * @param originalLanguage language code of the original (e.g. {@code ja}), optional
 * @param titles localised titles by language code ({@code en}, {@code uk}, {@code ja-Latn} for romaji)
 * @param synopses synopsis by language code, up to 20000 characters each
 * @param year year of first release, optional
 * @param ageRating {@code all} or a minimum age such as {@code 13+} (at most {@code 21+}); default {@code all}
 * @param genres genre names (stored lower-cased), up to 50
 * @param tags free tags (stored lower-cased), up to 50
 * @param studios studio names, up to 50
 * @param externalIds ids by source: {@code mal}, {@code anilist}, {@code kitsu}, {@code tmdb}
 */
public record TitleInput(String kind, String originalTitle, String originalLanguage, Map<String, String> titles,
                         Map<String, String> synopses, Integer year, String ageRating, List<String> genres,
                         List<String> tags, List<String> studios, Map<String, String> externalIds) {
}
