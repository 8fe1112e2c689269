package dev.kino.control.search;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

import java.io.IOException;
import java.util.Collection;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * An in-memory index of one document per word (the word in field {@code w}), for comparing a query of ours with
 * Lucene's own on the same terms ({@link TypoQueryTest}, {@link TermPrefixQueryTest}).
 */
final class WordIndex {
    private WordIndex() {
    }

    /** @return an index of one document per word, the word indexed and stored in field {@code w} */
    static ByteBuffersDirectory index(Collection<String> words) throws IOException {
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
            for (String word : words) {
                Document d = new Document();
                d.add(new StringField("w", word, Field.Store.YES));
                w.addDocument(d);
            }
        }
        return dir;
    }

    /** @return the words of the documents {@code q} matches (at most 10,000), sorted */
    static Set<String> words(IndexSearcher s, Query q) throws IOException {
        Set<String> out = new TreeSet<>();
        for (ScoreDoc sd : s.search(q, 10_000).scoreDocs) {
            out.add(s.storedFields().document(sd.doc).get("w"));
        }
        return out;
    }

    /** @return a word of {@code min} to {@code max} characters drawn from {@code alphabet} */
    static String random(Random rnd, String alphabet, int min, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = min + rnd.nextInt(max - min + 1); i < n; i++) {
            b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
