package dev.kino.control.search;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON shapes of the search routes (their simple names are the OpenAPI schema names). */
public final class SearchTypes {
    private SearchTypes() {
    }

    /**
     * A matched stretch of a {@link Highlight}'s text.
     *
     * @param start offset of its first UTF-16 code unit in the text (as JavaScript indexes strings)
     * @param end offset after its last (exclusive)
     */
    public record HighlightRange(int start, int end) {
    }

    /**
     * Where a hit matched, as plain text and offsets: clients mark the ranges themselves (the text is user data,
     * never HTML).
     *
     * @param field {@code name} (a title's name), {@code synopsis} (an excerpt of it), {@code genre}, {@code tag},
     *              {@code studio}, {@code person} (a cast or staff name), or {@code body} (a forum post or comment, an excerpt)
     * @param text the text, unescaped
     * @param ranges matched stretches, in order, not overlapping; empty when only a transliteration, a reading or a
     *               stem matched something the text does not show as such
     */
    public record Highlight(String field, String text, List<HighlightRange> ranges) {
    }

    /**
     * A title found.
     *
     * @param id title id
     * @param name the name that matched best (else the English, else the original title)
     * @param language language code of that name ({@code original} for the original title)
     * @param type {@code movie} or {@code series}
     * @param year year of first release, or absent
     * @param ageRating {@code all} or {@code N+}
     * @param originalTitle the original title
     * @param genres lower-cased genres
     * @param highlight where it matched
     * @param score relevance (tiers: exact name &gt; name prefix &gt; words of names &gt; synopsis, tags, genres &gt;
     *              typos, times 1 to 1.2 by weighted rating and popularity); only its order means anything
     */
    public record SearchHit(UUID id, String name, String language, String type, Integer year, String ageRating,
                            String originalTitle, List<String> genres, Highlight highlight, double score) {
    }

    /**
     * A facet value and how many matching titles have it.
     *
     * @param value genre, year, type or language code
     * @param count matching titles with it
     */
    public record FacetCount(String value, long count) {
    }

    /**
     * Counts over every title matching the query and its filters (not only the page), most frequent first,
     * at most 50 values each (years: newest first).
     */
    public record SearchFacets(List<FacetCount> genre, List<FacetCount> year, List<FacetCount> type,
                               List<FacetCount> audio, List<FacetCount> subtitle) {
    }

    /**
     * One page of {@code GET /search}.
     *
     * @param hits titles, best first
     * @param facets counts over all matching titles
     * @param total how many titles match
     * @param partial true when the query hit its time budget and the answer is incomplete
     * @param next cursor of the next page, or null (pages stop after {@value TitleSearch#MAX_RESULTS} hits)
     */
    public record SearchResults(List<SearchHit> hits, SearchFacets facets, long total, boolean partial, String next) {
    }

    /**
     * An as-you-type suggestion.
     *
     * @param id title id
     * @param name the name that matched best
     * @param type {@code movie} or {@code series}
     * @param year year of first release, or absent
     * @param highlight where the name matched
     */
    public record Suggestion(UUID id, String name, String type, Integer year, Highlight highlight) {
    }

    /** @param suggestions at most {@value TitleSearch#SUGGESTIONS} titles, best first */
    public record Suggestions(List<Suggestion> suggestions) {
    }

    /**
     * A forum post or a comment found.
     *
     * @param kind {@code post} or {@code comment}
     * @param id the post's or comment's id
     * @param threadId a post's thread (absent for a comment)
     * @param titleId the title a comment is on, or a thread is about (absent for other threads)
     * @param subject a post's thread subject (absent for a comment)
     * @param highlight an excerpt of the body with the matched words
     * @param createdAt when it was written
     */
    public record ForumHit(String kind, UUID id, UUID threadId, UUID titleId, String subject, Highlight highlight,
                           Instant createdAt) {
    }

    /**
     * One page of {@code GET /forum/search}.
     *
     * @param hits best first
     * @param next cursor of the next page, or null
     */
    public record ForumResults(List<ForumHit> hits, String next) {
    }
}
