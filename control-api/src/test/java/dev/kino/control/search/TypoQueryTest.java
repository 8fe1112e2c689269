package dev.kino.control.search;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link TypoQuery} finds what Lucene's {@link FuzzyQuery} finds, for one and two edits, with and without a prefix. */
class TypoQueryTest {
    private static final List<String> WORDS = List.of("titan", "titans", "tiatn", "titanium", "taitan", "kitan", "titian",
            "attack", "atack", "attakc", "atakc", "shingeki", "shingkei", "singeki", "shingekino", "титан", "титани",
            "тітан", "kyojin", "kyoujin", "kiojin", "naruto", "nauto", "naurto");

    @Test
    void matchesWhatFuzzyQueryMatches() throws Exception {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
            for (String word : WORDS) {
                Document d = new Document();
                d.add(new StringField("w", word, Field.Store.YES));
                w.addDocument(d);
            }
            w.commit();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
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
    }

    private static Set<String> words(IndexSearcher s, Query q) throws Exception {
        Set<String> out = new TreeSet<>();
        for (ScoreDoc sd : s.search(q, 100).scoreDocs) {
            out.add(s.storedFields().document(sd.doc).get("w"));
        }
        return out;
    }
}
