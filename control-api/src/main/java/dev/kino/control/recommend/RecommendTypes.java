package dev.kino.control.recommend;

import dev.kino.control.InvalidInputException;
import dev.kino.control.Validation;
import dev.kino.control.catalog.TitleSummary;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** JSON shapes of the recommendations feature. */
public final class RecommendTypes {
    /** Most genres one taste holds. */
    public static final int MAX_TASTE_GENRES = 10;
    /** Most titles one taste holds. */
    public static final int MAX_TASTE_TITLES = 20;

    private RecommendTypes() {
    }

    /** Kinds of shelf, as {@link Shelf#kind()} names them. */
    public enum ShelfKind {
        /** The blend of everything known about the viewer. */
        RECOMMENDED_FOR_YOU,
        /** Titles like one the viewer watched ({@link Shelf#anchor()}). */
        BECAUSE_YOU_WATCHED,
        /** Views of the last days with time decay. */
        TRENDING,
        /** Best weighted rating in the viewer's favourite genre ({@link Shelf#genre()}). */
        TOP_RATED_IN_GENRE;

        /** @return the wire name, e.g. {@code because-you-watched} */
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @return the kind of a wire name @throws IllegalArgumentException for none */
        public static ShelfKind ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * One row of titles on the home page.
     *
     * @param kind {@code recommended-for-you}, {@code because-you-watched}, {@code trending} or
     *             {@code top-rated-in-genre}
     * @param heading the row's English heading, e.g. "Because you watched Akira" (clients may localise from kind,
     *                anchor and genre)
     * @param anchor with {@code because-you-watched}: the title the row is about; else absent
     * @param genre with {@code top-rated-in-genre}: the genre; else absent
     * @param items the titles, best first (only titles the caller may see and play: published, within its maturity
     *              setting and plan)
     */
    public record Shelf(String kind, String heading, TitleSummary anchor, String genre, List<TitleSummary> items) {
    }

    /**
     * The caller's shelves.
     *
     * @param basis what they are built from: {@code history} (what the caller watched, rated, liked, listed,
     *              followed), {@code taste} (the picks of {@code PUT /me/taste} only) or {@code trending} (nothing
     *              known yet)
     * @param computedAt when the background job last computed the caller's own shelves, absent if never
     * @param shelves the rows, in display order
     */
    public record Shelves(String basis, Instant computedAt, List<Shelf> shelves) {
    }

    /**
     * A list of titles.
     *
     * @param items the titles, best first
     */
    public record TitleList(List<TitleSummary> items) {
    }

    /**
     * Titles like one title.
     *
     * @param titleId the title
     * @param items similar titles the caller may see and play, most similar first
     */
    public record SimilarTitles(UUID titleId, List<TitleSummary> items) {
    }

    /**
     * A new account's taste picks ({@code PUT /api/v1/me/taste}).
     *
     * @param genres genre names (case-insensitive), up to {@value #MAX_TASTE_GENRES}, each 1 to 50 characters
     * @param titleIds titles the account likes, up to {@value #MAX_TASTE_TITLES}, each a visible title
     */
    public record TasteInput(List<String> genres, List<UUID> titleIds) {
        /**
         * @return the picks lower-cased and without duplicates
         * @throws InvalidInputException naming every bad field
         */
        public TasteInput normalised() {
            Validation v = new Validation();
            List<String> g = genres == null ? List.of() : genres;
            List<UUID> t = titleIds == null ? List.of() : titleIds;
            v.check("genres", g.size() <= MAX_TASTE_GENRES, "must hold at most " + MAX_TASTE_GENRES + " genres");
            v.check("titleIds", t.size() <= MAX_TASTE_TITLES, "must hold at most " + MAX_TASTE_TITLES + " titles");
            for (int i = 0; i < g.size(); i++) {
                String s = g.get(i);
                v.check("genres[" + i + "]", s != null && !s.isBlank() && s.length() <= 50
                        && s.codePoints().noneMatch(Character::isISOControl), "must be 1 to 50 characters, no control characters");
            }
            for (int i = 0; i < t.size(); i++) {
                v.check("titleIds[" + i + "]", t.get(i) != null, "must be a title id");
            }
            v.throwIfInvalid();
            return new TasteInput(g.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).distinct().toList(),
                    t.stream().distinct().toList());
        }
    }

    /**
     * The caller's taste picks.
     *
     * @param genres picked genres, lower-cased
     * @param titleIds picked titles
     * @param updatedAt when they were last set, absent if never
     * @param availableGenres genres the catalogue has top-rated titles in, to pick from
     */
    public record Taste(List<String> genres, List<UUID> titleIds, Instant updatedAt, List<String> availableGenres) {
    }
}
