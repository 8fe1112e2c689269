package dev.kino.control.search;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static dev.kino.control.search.WordIndex.index;
import static dev.kino.control.search.WordIndex.random;
import static dev.kino.control.search.WordIndex.words;

/** {@link TermPrefixQuery} matches what Lucene's {@link PrefixQuery} matches. */
class TermPrefixQueryTest {
    @Test
    void matchesWhatPrefixQueryMatches() throws Exception {
        Random rnd = new Random(5);
        // Latin, Cyrillic and kana (multi-byte UTF-8: a prefix ends inside no character), few letters: many shared
        // prefixes, terms equal to a prefix, prefixes past the last term and before the first
        String alphabet = "abcéжї日ー";
        Set<String> terms = new TreeSet<>();
        while (terms.size() < 2_000) {
            terms.add(random(rnd, alphabet, 1, 7));
        }
        try (ByteBuffersDirectory dir = index(terms); DirectoryReader reader = DirectoryReader.open(dir)) {
            IndexSearcher s = new IndexSearcher(reader);
            List<String> prefixes = new java.util.ArrayList<>(List.of("", "a", "ї", "ー", "ーーーーーーーー", "zzz", "0"));
            for (int i = 0; i < 300; i++) {
                prefixes.add(random(rnd, alphabet, 1, 5));
            }
            for (String p : prefixes) {
                assertEquals(words(s, new PrefixQuery(new Term("w", p))), words(s, new TermPrefixQuery(new Term("w", p))),
                        "prefix '" + p + "'");
            }
            assertEquals(Set.of("a"), words(s, new TermPrefixQuery(new Term("w", "a"))).stream()
                    .filter(w -> w.length() == 1).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void equalWhenFieldAndPrefixAre() {
        assertEquals(new TermPrefixQuery(new Term("w", "ab")), new TermPrefixQuery(new Term("w", "ab")));
        assertEquals(new TermPrefixQuery(new Term("w", "ab")).hashCode(), new TermPrefixQuery(new Term("w", "ab")).hashCode());
        assertNotEquals(new TermPrefixQuery(new Term("w", "ab")), new TermPrefixQuery(new Term("w", "abc")));
        assertNotEquals(new TermPrefixQuery(new Term("w", "ab")), new TermPrefixQuery(new Term("v", "ab")));
        assertNotEquals(new TermPrefixQuery(new Term("w", "ab")), new PrefixQuery(new Term("w", "ab")));
    }
}
