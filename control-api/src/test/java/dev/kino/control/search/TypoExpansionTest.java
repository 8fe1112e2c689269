package dev.kino.control.search;

import dev.kino.control.catalog.SearchableTitle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which words of a query get typo clauses: first only the words no title has as typed, then (when that finds
 * nothing) every word, except when the query is some title's full name as typed.
 */
class TypoExpansionTest {
    private static final SearchIndex.Filters GUEST = new SearchIndex.Filters(false, 0, null, null, null, null, null);

    private SearchIndex index;
    private final SearchableTitle sorcerers = title("Brilliant Sorcerers Academy", true);
    private final SearchableTitle misspeltTwin = title("Brilliance Sorcerers Academy", true);
    private final SearchableTitle master = title("Master Harbour Story", true);
    private final SearchableTitle faster = title("Faster Weather", true);
    private final SearchableTitle hidden = title("Forbidden Lighthouse Chronicle", false);

    private static SearchableTitle title(String name, boolean published) {
        return new SearchableTitle(UUID.randomUUID(), "movie", name, "en", Map.of(), Map.of("en", "a quiet story"),
                2020, 0, List.of("drama"), List.of(), List.of(), List.of(), 10, 0, 0, published, Set.of(), Set.of(),
                Set.of(), Set.of(), Instant.now());
    }

    @BeforeEach
    void index() {
        index = new SearchIndex();
        index.upsert(List.of(sorcerers, misspeltTwin, master, faster, hidden), 6.5);
        index.compact();
    }

    @AfterEach
    void close() {
        index.close();
    }

    private List<UUID> search(String text) {
        return index.search(ParsedQuery.of(text, true), GUEST, false, 10, true, 10_000).found().stream()
                .map(SearchIndex.Found::id).toList();
    }

    @Test
    void onlyTheWordNoTitleHasAsTypedGetsLookAlikesWhenThatFindsSomething() {
        // "sorcerors" is in no title: its look-alikes find the title; "brilliant", found as typed, is not widened
        // to "brilliance" (two edits away, within a nine-letter word's budget), so the twin is not an answer
        assertEquals(List.of(sorcerers.id()), search("brilliant sorcerors academy"));
        assertEquals(1, index.withTypoClauses.sum());
    }

    @Test
    void aTypoThatIsAnotherTitlesWordIsCorrectedWhenTheWordsAsTypedFindNothing() {
        // "faster" is a word of "Faster Weather", one edit from "master": no title has all three words as typed,
        // so every word gets its look-alikes
        assertEquals(List.of(master.id()), search("faster harbour story"));
        assertEquals(1, index.withTypoClauses.sum());
    }

    @Test
    void aHiddenTitlesExactNameIsNotAnsweredWithLookAlikesOfEveryWord() {
        List<UUID> found = search("forbidden lighthouse chronicle");
        assertTrue(found.isEmpty(), "a guest may not see the unpublished title: " + found);
        assertEquals(0, index.withTypoClauses.sum(), "every word is found as typed and the name is a title's");
        // misspelt, it is no title's name: the look-alikes are tried (and still find nothing the guest may see)
        assertTrue(search("forbiddem lighthouse chronicle").isEmpty());
        assertEquals(1, index.withTypoClauses.sum());
    }
}
