package dev.kino.control.search;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.kino.control.search.WordIndex.index;
import static dev.kino.control.search.WordIndex.random;
import static dev.kino.control.search.WordIndex.words;

/** {@link TypoQuery} finds what Lucene's {@link FuzzyQuery} finds, for one and two edits, with and without a prefix. */
class TypoQueryTest {
    private static final List<String> WORDS = List.of("titan", "titans", "tiatn", "titanium", "taitan", "kitan", "titian",
            "attack", "atack", "attakc", "atakc", "shingeki", "shingkei", "singeki", "shingekino", "титан", "титани",
            "тітан", "kyojin", "kyoujin", "kiojin", "naruto", "nauto", "naurto");

    @Test
    void matchesWhatFuzzyQueryMatches() throws Exception {
        try (ByteBuffersDirectory dir = index(WORDS); DirectoryReader reader = DirectoryReader.open(dir)) {
            IndexSearcher s = new IndexSearcher(reader);
            for (String q : List.of("titan", "attack", "shingeki", "kyojin", "титан", "naruto", "xyzzy")) {
                for (int edits = 1; edits <= 2; edits++) {
                    for (int prefix = 0; prefix <= 1; prefix++) {
                        Set<String> fuzzy = words(s, new FuzzyQuery(new Term("w", q), edits, prefix, 50, true));
                        Set<String> typo = words(s, new TypoQuery(new Term("w", q), edits, prefix));
                        assertEquals(fuzzy, typo, q + " ~" + edits + " prefix " + prefix);
                        // twice: the second from the cached automata
                        assertEquals(fuzzy, words(s, new TypoQuery(new Term("w", q), edits, prefix)));
                    }
                }
            }
            assertEquals(Set.of("titan", "titans", "tiatn", "kitan", "titian", "taitan"),
                    words(s, new TypoQuery(new Term("w", "titan"), 1, 0)));
            assertEquals(Set.of("titan", "titans", "tiatn", "titian", "taitan"),
                    words(s, new TypoQuery(new Term("w", "titan"), 1, 1)));
        }
    }

    /**
     * The one-character prefix taken from the word's own automaton (terms from its first character on) matches what
     * Lucene's prefix automaton matches, over random words of a small alphabet (where near-misses abound) and terms
     * that begin before, at and after the word's first character.
     */
    @Test
    void exactFirstCharacterMatchesLucenesPrefixAutomaton() throws Exception {
        java.util.Random rnd = new java.util.Random(11);
        String alphabet = "abcdé";
        Set<String> terms = new TreeSet<>();
        while (terms.size() < 3_000) {
            terms.add(random(rnd, alphabet, 1, 10));
        }
        try (ByteBuffersDirectory dir = index(terms); DirectoryReader reader = DirectoryReader.open(dir)) {
            IndexSearcher s = new IndexSearcher(reader);
            for (int i = 0; i < 150; i++) {
                String q = random(rnd, alphabet, 4, 10);
                for (int edits = 1; edits <= 2; edits++) {
                    // the automaton without prefix is built (and kept) first: the prefixed query then uses it
                    assertEquals(words(s, new FuzzyQuery(new Term("w", q), edits, 0, 50, true)),
                            words(s, new TypoQuery(new Term("w", q), edits, 0)), q + " ~" + edits);
                    assertEquals(words(s, new FuzzyQuery(new Term("w", q), edits, 1, 50, true)),
                            words(s, new TypoQuery(new Term("w", q), edits, 1)), q + " ~" + edits + " prefix 1");
                }
            }
        }
    }
}
