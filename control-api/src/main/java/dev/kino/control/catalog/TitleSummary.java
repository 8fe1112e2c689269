package dev.kino.control.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A title in a list.
 *
 * @param id title id
 * @param kind {@code movie} or {@code series}
 * @param originalTitle title in the original language
 * @param titles localised titles by language code
 * @param year year of first release, or absent
 * @param ageRating {@code all} or {@code N+}
 * @param genres lower-cased genres
 * @param tags lower-cased tags
 * @param studios studios
 * @param popularity playback authorisations so far
 * @param createdAt when it entered the catalogue
 */
public record TitleSummary(UUID id, String kind, String originalTitle, Map<String, String> titles, Integer year,
                           String ageRating, List<String> genres, List<String> tags, List<String> studios,
                           long popularity, Instant createdAt) {
}
