package dev.kino.control.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code titles}, as {@link TitleStore} reads it.
 *
 * @param id title id
 * @param kind {@code movie} or {@code series}
 * @param originalTitle title in the original language
 * @param originalLanguage language code of the original, or null
 * @param sortTitle lower-cased English (else original) title
 * @param year year of first release, or null
 * @param minAge minimum viewer age, 0 for all ages
 * @param genres lower-cased genres
 * @param tags lower-cased tags
 * @param studios studios
 * @param people cast and staff names
 * @param popularity playback authorisations so far
 * @param createdAt when it entered the catalogue
 * @param updatedAt last metadata change
 * @param ratingCount votes from the ratings feature
 * @param ratingSum sum of those votes' scores
 */
public record TitleRow(UUID id, String kind, String originalTitle, String originalLanguage, String sortTitle,
                       Integer year, int minAge, List<String> genres, List<String> tags, List<String> studios,
                       List<String> people, long popularity, Instant createdAt, Instant updatedAt, int ratingCount, long ratingSum) {

    static TitleRow of(ResultSet rs) throws SQLException {
        int year = rs.getInt("year");
        Integer y = rs.wasNull() ? null : year;
        return new TitleRow(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getString("original_title"),
                rs.getString("original_language"), rs.getString("sort_title"), y, rs.getInt("min_age"),
                Sql.strings(rs.getArray("genres")), Sql.strings(rs.getArray("tags")), Sql.strings(rs.getArray("studios")),
                Sql.strings(rs.getArray("people")), rs.getLong("popularity"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getInt("rating_count"), rs.getLong("rating_sum"));
    }

    /** @return the list shape with these localised names */
    public TitleSummary summary(Map<String, String> names) {
        return new TitleSummary(id, kind, originalTitle, names, year, CatalogFields.rating(minAge), genres, tags, studios,
                popularity, createdAt);
    }
}
