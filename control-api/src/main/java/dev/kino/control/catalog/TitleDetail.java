package dev.kino.control.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A title with everything: synopses, external ids, seasons with their episodes, and (for a movie)
 * its media. Viewers without {@code catalog.write} only see published media.
 *
 * @param id title id
 * @param kind {@code movie} or {@code series}
 * @param originalTitle title in the original language
 * @param originalLanguage language code of the original, or absent
 * @param titles localised titles by language code
 * @param synopses synopsis by language code
 * @param year year of first release, or absent
 * @param ageRating {@code all} or {@code N+}
 * @param genres lower-cased genres
 * @param tags lower-cased tags
 * @param studios studios
 * @param people cast and staff names in credit order
 * @param externalIds ids by source ({@code mal}, {@code anilist}, {@code kitsu}, {@code tmdb})
 * @param popularity playback authorisations so far
 * @param seasons seasons in number order, each with its episodes in episode order
 * @param media items outside any season (a movie's feature)
 * @param createdAt when it entered the catalogue
 * @param updatedAt last metadata change
 */
public record TitleDetail(UUID id, String kind, String originalTitle, String originalLanguage,
                          Map<String, String> titles, Map<String, String> synopses, Integer year, String ageRating,
                          List<String> genres, List<String> tags, List<String> studios,
                          List<String> people, Map<String, String> externalIds, long popularity, List<SeasonView> seasons,
                          List<MediaView> media, Instant createdAt, Instant updatedAt) {

    /**
     * @param id season id
     * @param number season number (0 for specials)
     * @param name season name, or absent
     * @param episodes episodes in episode order
     */
    public record SeasonView(UUID id, int number, String name, List<MediaView> episodes) {
    }
}
