package dev.kino.control.catalog;

import dev.kino.control.InvalidInputException;
import dev.kino.control.Validation;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * @param people cast and staff names in credit order (voice actors, actors, director, writer, composer...), up
 *               to 50, 1 to 200 characters each; optional
 */
public record TitleInput(String kind, String originalTitle, String originalLanguage, Map<String, String> titles,
                         Map<String, String> synopses, Integer year, String ageRating, List<String> genres,
                         List<String> tags, List<String> studios, Map<String, String> externalIds,
                         List<String> people) {

    /** A title without cast or staff (the importers' sources and most tests give none). */
    public TitleInput(String kind, String originalTitle, String originalLanguage, Map<String, String> titles,
                      Map<String, String> synopses, Integer year, String ageRating, List<String> genres,
                      List<String> tags, List<String> studios, Map<String, String> externalIds) {
        this(kind, originalTitle, originalLanguage, titles, synopses, year, ageRating, genres, tags, studios,
                externalIds, List.of());
    }

    /**
     * A checked, normalised {@link TitleInput}: what {@link TitleStore} writes.
     *
     * @param minAge minimum viewer age, 0 for all ages
     * @param genres lower-cased, without duplicates
     * @param tags lower-cased, without duplicates
     * @param people trimmed, without duplicates, in the given order
     */
    public record Normalised(String kind, String originalTitle, String originalLanguage, Map<String, String> titles,
                             Map<String, String> synopses, Integer year, int minAge, List<String> genres,
                             List<String> tags, List<String> studios, Map<String, String> externalIds,
                             List<String> people) {
    }

    /**
     * @return the input checked and normalised (trimmed, lower-cased genres and tags, sorted maps)
     * @throws InvalidInputException listing every invalid field
     */
    public Normalised normalised() {
        Validation v = new Validation();
        v.check("kind", kind != null && CatalogFields.KINDS.contains(kind), "must be movie or series");
        if (v.required("originalTitle", originalTitle)) {
            v.check("originalTitle", originalTitle.length() <= 500, "must be at most 500 characters");
        }
        if (originalLanguage != null) {
            v.check("originalLanguage", CatalogFields.LANGUAGE.matcher(originalLanguage).matches(),
                    "must be a language code such as ja");
        }
        CatalogFields.localised(v, "titles", titles, 500);
        CatalogFields.localised(v, "synopses", synopses, 20_000);
        if (year != null) {
            v.check("year", year >= 1870 && year <= 2200, "must be from 1870 to 2200");
        }
        int minAge = CatalogFields.minAge(ageRating);
        v.check("ageRating", minAge >= 0, "must be 'all' or a minimum age such as '13+' (at most 21+)");
        List<String> cleanGenres = CatalogFields.words(v, "genres", genres);
        List<String> cleanTags = CatalogFields.words(v, "tags", tags);
        List<String> cleanStudios = CatalogFields.names(v, "studios", studios);
        List<String> cleanPeople = CatalogFields.names(v, "people", people);
        CatalogFields.externalIds(v, externalIds);
        v.throwIfInvalid();
        return new Normalised(kind, originalTitle.trim(), originalLanguage, trimmed(titles), trimmed(synopses), year,
                minAge, cleanGenres, cleanTags, cleanStudios,
                externalIds == null ? Map.of() : new TreeMap<>(externalIds), cleanPeople);
    }

    /** @return the same input with other external ids (the importer merges them) */
    public TitleInput withExternalIds(Map<String, String> ids) {
        return new TitleInput(kind, originalTitle, originalLanguage, titles, synopses, year, ageRating, genres, tags,
                studios, ids, people);
    }

    private static Map<String, String> trimmed(Map<String, String> byLanguage) {
        Map<String, String> out = new TreeMap<>();
        if (byLanguage != null) {
            byLanguage.forEach((lang, text) -> out.put(lang, text.trim()));
        }
        return out;
    }
}
