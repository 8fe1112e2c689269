package dev.kino.control.search;

import dev.kino.control.catalog.SearchableTitle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TitleSuggester} answers what the index's names-only query answers, title for title and score for score,
 * on a generated catalogue big enough for its precomputed prefix lists (6,000 titles over 300 words), for one-word
 * and multi-word prefixes in Latin and Cyrillic, for viewers of every kind, and through changes: titles added,
 * renamed, re-ranked and deleted after the arrays were built (scored from the pending changes), then after a rebuild.
 */
class TitleSuggesterTest {
    private static final String[] SYLLABLES = {"ka", "ri", "to", "na", "mi", "sho", "ren", "da", "ko", "yu", "ha",
            "su", "ne", "ga", "ro", "chi", "ma", "ta"};
    private static final List<SearchIndex.Filters> VIEWERS = List.of(
            new SearchIndex.Filters(false, 0, null, null, null, null, null),
            new SearchIndex.Filters(false, 18, null, null, null, null, null),
            new SearchIndex.Filters(true, 18, null, null, null, null, null));

    private static SearchIndex index;
    private static final Random RND = new Random(7);
    private static String[] words;
    private static final List<SearchableTitle> titles = new ArrayList<>();

    @BeforeAll
    static void build() {
        words = new String[300];
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            for (int s = 0, n = 2 + RND.nextInt(3); s < n; s++) {
                w.append(SYLLABLES[RND.nextInt(SYLLABLES.length)]);
            }
            words[i] = w.toString();
        }
        index = new SearchIndex();
        for (int i = 0; i < 6_000; i++) {
            titles.add(title(UUID.randomUUID(), i));
        }
        index.upsert(titles, 6.5);
        index.compact();
        assertEquals(0, index.suggester().pending());
    }

    @AfterAll
    static void close() {
        index.close();
    }

    private static SearchableTitle title(UUID id, int i) {
        Map<String, String> names = new TreeMap<>();
        names.put("uk", cyrillic(phrase(1 + RND.nextInt(3))));
        return new SearchableTitle(id, "movie", phrase(2 + RND.nextInt(3)), "en", names, Map.of("en", phrase(8)),
                2000, i % 5 == 0 ? 18 : 0, List.of(), List.of(), List.of(), List.of(),
                (long) Math.pow(10, RND.nextDouble() * 6), RND.nextInt(50), RND.nextInt(400), i % 10 != 0,
                Set.of(), Set.of(), Set.of(), Set.of(), Instant.now());
    }

    private static String phrase(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int idx = (int) Math.min(words.length - 1, Math.abs(RND.nextGaussian()) * words.length / 3);
            sb.append(i == 0 ? "" : " ").append(words[idx]);
        }
        return sb.toString();
    }

    private static String cyrillic(String latin) {
        String s = latin;
        String[][] map = {{"sho", "шо"}, {"chi", "чі"}, {"yu", "ю"}, {"a", "а"}, {"d", "д"}, {"e", "е"},
                {"g", "г"}, {"h", "х"}, {"i", "і"}, {"k", "к"}, {"m", "м"}, {"n", "н"}, {"o", "о"},
                {"r", "р"}, {"s", "с"}, {"t", "т"}, {"u", "у"}};
        for (String[] m : map) {
            s = s.replace(m[0], m[1]);
        }
        return s;
    }

    /** Prefixes of names as users type them: 1 to 14 characters, a few with a trailing space, some Cyrillic. */
    private static List<String> queries(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SearchableTitle t = titles.get(RND.nextInt(titles.size()));
            String name = i % 4 == 3 ? t.names().get("uk") : t.originalTitle();
            String q = name.substring(0, Math.min(name.length(), 1 + RND.nextInt(14)));
            out.add(i % 13 == 0 ? q + " " : q);
        }
        return out;
    }

    /** @return how many queries the arrays answered (the rest went to the query path, as the index answers them) */
    private static int compareAll(List<String> queries) {
        int fast = 0;
        for (String q : queries) {
            ParsedQuery parsed = ParsedQuery.of(q, false);
            for (SearchIndex.Filters f : VIEWERS) {
                List<TitleSuggester.Scored> got = index.suggester().suggest(parsed, f.admin(), f.maxAge(), 8);
                if (got == null) {
                    continue;
                }
                fast++;
                SearchIndex.Answer want = index.search(parsed, f, true, 8, false, 10_000);
                String context = "'" + q + "' " + f + "\nwant " + want.found().stream()
                        .map(x -> x.id() + "=" + x.score()).toList() + "\ngot  " + got;
                assertEquals(want.found().size(), got.size(), context);
                for (int i = 0; i < got.size(); i++) {
                    assertEquals(want.found().get(i).score(), got.get(i).score(), 1e-3f, context);
                    boolean tied = (i > 0 && got.get(i - 1).score() == got.get(i).score())
                            || (i + 1 < got.size() && got.get(i + 1).score() == got.get(i).score())
                            // equal boosts: a title beyond the n-th may tie with the last
                            || (got.size() == 8 && got.get(7).score() == got.get(i).score());
                    if (!tied) {
                        assertEquals(want.found().get(i).id(), got.get(i).id(), context);
                    }
                }
            }
        }
        return fast;
    }

    @Test
    void answersWhatTheIndexAnswers() {
        List<String> queries = queries(400);
        queries.addAll(List.of("k", "ka", "kar", "ri", "sho", "та", "ka ", "karito"));
        int fast = compareAll(queries);
        assertTrue(fast > queries.size() * VIEWERS.size() * 3 / 4, "the arrays answered " + fast);
        assertTrue(index.suggester().suggest(ParsedQuery.of("k", false), false, 0, 8) != null,
                "a one-letter prefix is answered from its precomputed list");
    }

    @Test
    void changesAreSuggestedBeforeAndAfterTheRebuild() {
        // renamed, re-ranked, new and deleted titles after the arrays were built
        List<SearchableTitle> changed = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            SearchableTitle old = titles.get(RND.nextInt(titles.size()));
            SearchableTitle renamed = title(old.id(), i);
            changed.add(renamed);
            titles.set(titles.indexOf(old), renamed);
        }
        for (int i = 0; i < 50; i++) {
            SearchableTitle added = title(UUID.randomUUID(), i);
            changed.add(added);
            titles.add(added);
        }
        index.upsert(changed, 6.5);
        for (int i = 0; i < 30; i++) {
            SearchableTitle gone = titles.remove(RND.nextInt(titles.size()));
            index.delete(gone.id());
        }
        for (int i = 0; i < 100; i++) {
            index.updateBoost(titles.get(RND.nextInt(titles.size())).id(), 1 + RND.nextDouble() * 0.2);
        }
        index.refresh();
        assertTrue(index.suggester().pending() > 0);
        assertTrue(compareAll(queries(200)) > 0);
        index.suggester().rebuild();
        assertEquals(0, index.suggester().pending());
        assertTrue(compareAll(queries(200)) > 0);
        // a title renamed to a new word is suggested by it at once
        SearchableTitle t = titles.get(0);
        SearchableTitle renamed = new SearchableTitle(t.id(), t.kind(), "Quuxfrobnicated Tales", "en", Map.of(),
                t.synopses(), t.year(), 0, List.of(), List.of(), List.of(), List.of(), 10, 0, 0, true, Set.of(),
                Set.of(), Set.of(), Set.of(), Instant.now());
        index.upsert(List.of(renamed), 6.5);
        index.refresh();
        List<TitleSuggester.Scored> got = index.suggester().suggest(ParsedQuery.of("quuxfr", false), false, 0, 8);
        assertNotNull(got);
        assertEquals(List.of(t.id()), got.stream().map(TitleSuggester.Scored::id).toList());
    }
}
