package dev.kino.control.catalog;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the recommendations feature needs to know of a title, read through {@link Catalog#titleFacts}.
 *
 * @param id title id
 * @param kind {@code movie} or {@code series}
 * @param originalTitle title in the original language
 * @param englishTitle the English title, or null
 * @param minAge minimum viewer age, 0 for all ages
 * @param genres lower-cased genres
 * @param tags lower-cased tags
 * @param studios studios
 * @param people cast and staff names
 * @param synopsis the English synopsis, else any one, or null
 * @param ratingCount votes
 * @param ratingSum sum of their scores (1 to 10 each)
 * @param publishedAccess the {@code access} values ({@code free}, {@code registered}, {@code subscription}) of the
 *                        title's published media items; empty: the title is not visible to viewers
 */
public record TitleFacts(UUID id, String kind, String originalTitle, String englishTitle, int minAge,
                         List<String> genres, List<String> tags, List<String> studios, List<String> people, String synopsis,
                         int ratingCount, long ratingSum, Set<String> publishedAccess) {

    /** @return whether viewers without {@code catalog.write} see the title (it has a published media item) */
    public boolean published() {
        return !publishedAccess.isEmpty();
    }
}
