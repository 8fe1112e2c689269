package dev.kino.control.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A title as the search feature indexes it: everything searchable and filterable about it, read in one go through
 * {@link Catalog#searchableTitles}.
 *
 * @param id title id
 * @param kind {@code movie} or {@code series}
 * @param originalTitle title in the original language
 * @param originalLanguage its language code, or null
 * @param names localised and alternative names by language code ({@code en}, {@code uk}, {@code ja-Latn}, ...)
 * @param synopses synopses by language code
 * @param year year of first release, or null
 * @param minAge minimum viewer age, 0 for all ages
 * @param genres lower-cased genres
 * @param tags lower-cased tags
 * @param studios studios
 * @param people cast and staff names
 * @param popularity playback authorisations so far
 * @param ratingCount votes
 * @param ratingSum sum of the votes' scores (1 to 10 each)
 * @param published whether at least one media item is published (what makes it visible to viewers)
 * @param audio audio languages of its published media
 * @param subtitles subtitle languages of its published media
 * @param audioAll audio languages of all its media (what editors see)
 * @param subtitlesAll subtitle languages of all its media
 * @param version the latest change of the title or of one of its media items (a change stamp, not shown)
 */
public record SearchableTitle(UUID id, String kind, String originalTitle, String originalLanguage,
                              Map<String, String> names, Map<String, String> synopses, Integer year, int minAge,
                              List<String> genres, List<String> tags, List<String> studios, List<String> people,
                              long popularity,
                              int ratingCount, long ratingSum, boolean published, Set<String> audio,
                              Set<String> subtitles, Set<String> audioAll, Set<String> subtitlesAll,
                              Instant version) {
}
