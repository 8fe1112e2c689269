package dev.kino.control.search;

import dev.kino.control.catalog.SearchableTitle;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A repeated search takes its total and facets from what the first one counted over every match (and collects only
 * its top hits), and a change to the index makes them be counted afresh.
 */
class SearchCountsTest {
    private static SearchableTitle title(String name, String genre, int year, boolean published) {
        return new SearchableTitle(UUID.randomUUID(), "movie", name, "en", Map.of(), Map.of("en", "a story"), year,
                0, List.of(genre), List.of(), List.of(), List.of(), 10, 0, 0, published, Set.of(), Set.of(),
                Set.of(), Set.of(), Instant.now());
    }

    @Test
    void repeatedSearchesReuseTheCountsUntilTheIndexChanges() {
        try (SearchIndex index = new SearchIndex()) {
            List<SearchableTitle> titles = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                titles.add(title("Moonlight story " + i, i % 3 == 0 ? "drama" : "comedy", 2000 + i % 5, i % 10 != 0));
            }
            index.upsert(titles, 6.5);
            index.compact();
            ParsedQuery q = ParsedQuery.of("moonlight", true);
            SearchIndex.Filters guest = new SearchIndex.Filters(false, 0, null, null, null, null, null);
            SearchIndex.Answer first = index.search(q, guest, false, 20, true, 10_000);
            assertEquals(270, first.total());
            long drama = titles.stream().filter(t -> t.published() && t.genres().contains("drama")).count();
            assertEquals(drama, first.facets().get("genre").get("drama"));
            assertEquals(0, index.countedHits.sum());
            SearchIndex.Answer second = index.search(q, guest, false, 40, true, 10_000);
            assertEquals(1, index.countedHits.sum(), "the second search's counts come from the first");
            assertEquals(first.total(), second.total());
            assertEquals(first.facets(), second.facets());
            assertEquals(first.found().stream().map(SearchIndex.Found::id).toList(),
                    second.found().subList(0, 20).stream().map(SearchIndex.Found::id).toList());
            // an editor's search counts its own (unpublished titles included)
            SearchIndex.Answer editor = index.search(q, new SearchIndex.Filters(true, 18, null, null, null, null, null),
                    false, 20, true, 10_000);
            assertEquals(300, editor.total());
            // a new matching title: the index version changes, the counts are made again
            index.upsert(List.of(title("Moonlight again", "drama", 2003, true)), 6.5);
            index.refresh();
            SearchIndex.Answer third = index.search(q, guest, false, 20, true, 10_000);
            assertEquals(1, index.countedHits.sum());
            assertEquals(271, third.total());
            assertEquals(first.facets().get("genre").get("drama") + 1, third.facets().get("genre").get("drama"));
        }
    }
}
