package dev.kino.control.catalog;

import java.util.Locale;

/**
 * Filters and order of {@code GET /titles}; null means no filter.
 *
 * @param genre lower-cased genre
 * @param tag lower-cased tag
 * @param year release year
 * @param kind {@code movie} or {@code series}
 * @param audio audio language code of some (visible) media item
 * @param subtitle subtitle language code of some (visible) media item
 * @param text case-insensitive substring of the original or any localised title
 * @param sort order
 */
public record TitleQuery(String genre, String tag, Integer year, String kind, String audio, String subtitle,
                         String text, Sort sort) {

    /** Sort orders of {@code GET /titles}; each ends with the id so the order is total. */
    public enum Sort {
        /** Newest first: {@code created_at desc, id desc}. */
        NEWEST("t.created_at desc, t.id desc", "(t.created_at, t.id) < (:c0, :c1)"),
        /** By English (else original) title, A to Z: {@code sort_title, id}. */
        TITLE("t.sort_title asc, t.id asc", "(t.sort_title, t.id) > (:c0, :c1)"),
        /** Most played first: {@code popularity desc, id desc}. */
        POPULARITY("t.popularity desc, t.id desc", "(t.popularity, t.id) < (:c0, :c1)"),
        /**
         * Best weighted (Bayesian) rating first: {@value TitleStore#WEIGHTED} desc, id desc, where {@code :rm} is
         * {@link TitleStore#RATING_PRIOR_VOTES} and {@code :rc} the mean score of every vote (so a title with two
         * votes of 10 sits near the mean, not at the top).
         */
        TOP_RATED(TitleStore.WEIGHTED + " desc, t.id desc", "(" + TitleStore.WEIGHTED + ", t.id) < (:c0, :c1)");

        final String order;
        final String after;

        Sort(String order, String after) {
            this.order = order;
            this.after = after;
        }

        /** @return the query parameter value, e.g. {@code newest}, {@code top-rated} */
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @return the order of a query parameter value; IllegalArgumentException for none */
        public static Sort ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
