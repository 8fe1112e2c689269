package dev.kino.control.search;

import dev.kino.control.catalog.SearchableTitle;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search's total and facet counts are exact: on a generated catalogue, for broad one-word queries (hundreds of
 * matches), prefixes, typos and several words, for a guest and an editor, they equal what counting every hit of the
 * same search one by one gives (the hits' own genres, years and types), the first time and when kept.
 */
class SearchFacetsExactTest {
    private static final String[] WORDS = {"kari", "tona", "mishoren", "dako", "yuha", "sune", "garochi", "mata",
            "kinoze", "bula", "vodera", "anel", "oris", "tonmar", "lingra", "velsta", "pridom", "korka"};
    private static final List<String> GENRES = List.of("drama", "comedy", "anime", "horror", "documentary");

    @Test
    void totalsAndFacetsEqualTheExhaustiveCount() {
        Random rnd = new Random(19);
        List<SearchableTitle> titles = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int w = 0, n = 1 + rnd.nextInt(4); w < n; w++) {
                name.append(w == 0 ? "" : " ").append(WORDS[(int) Math.min(WORDS.length - 1, Math.abs(rnd.nextGaussian()) * 6)]);
            }
            titles.add(new SearchableTitle(UUID.randomUUID(), rnd.nextBoolean() ? "movie" : "series", name.toString(),
                    "en", Map.of("uk", name.toString()), Map.of("en", "a story of " + WORDS[rnd.nextInt(WORDS.length)]),
                    1990 + rnd.nextInt(30), rnd.nextInt(5) == 0 ? 18 : 0,
                    List.of(GENRES.get(rnd.nextInt(GENRES.size())), GENRES.get(rnd.nextInt(GENRES.size()))), List.of(),
                    List.of(), List.of(), rnd.nextInt(100_000), rnd.nextInt(50), rnd.nextInt(500), rnd.nextInt(10) != 0,
                    Set.of(), Set.of(), Set.of(), Set.of(), Instant.now()));
        }
        try (SearchIndex index = new SearchIndex()) {
            index.upsert(titles, 6.5);
            index.compact();
            List<SearchIndex.Filters> viewers = List.of(new SearchIndex.Filters(false, 16, null, null, null, null, null),
                    new SearchIndex.Filters(true, 18, null, null, null, null, null));
            for (String text : List.of("kari", "tona", "ka", "mi", "mishren", "kari tona", "story", "dako yuha", "an")) {
                for (SearchIndex.Filters f : viewers) {
                    ParsedQuery q = ParsedQuery.of(text, true);
                    SearchIndex.Answer first = index.search(q, f, false, 20, true, 60_000);
                    SearchIndex.Answer all = index.search(q, f, false, 5_000, true, 60_000);
                    assertTrue(all.found().size() < 5_000 && !all.partial());
                    assertEquals(all.found().size(), first.total(), text);
                    Map<String, Map<String, Long>> counted = new HashMap<>();
                    for (SearchIndex.Found hit : all.found()) {
                        for (String g : Set.copyOf(hit.stored().genres())) {
                            counted.computeIfAbsent("genre", k -> new HashMap<>()).merge(g, 1L, Long::sum);
                        }
                        counted.computeIfAbsent("year", k -> new HashMap<>()).merge(hit.stored().year().toString(), 1L, Long::sum);
                        counted.computeIfAbsent("type", k -> new HashMap<>()).merge(hit.stored().kind(), 1L, Long::sum);
                    }
                    for (String facet : List.of("genre", "year", "type")) {
                        assertEquals(counted.getOrDefault(facet, Map.of()), first.facets().get(facet), text + " " + facet);
                        assertEquals(first.facets().get(facet), all.facets().get(facet), "kept counts of " + text);
                    }
                }
            }
            assertTrue(index.countedHits.sum() > 0, "the second search of each took the kept counts");
        }
    }
}
