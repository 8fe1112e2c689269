package dev.kino.control.search;

import org.apache.lucene.index.FilteredTermsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BoostAttribute;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.CompiledAutomaton;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Terms within {@code maxEdits} Damerau–Levenshtein edits of a word (transpositions count as one edit), the first
 * {@code prefixLength} characters exact: Lucene's {@link FuzzyQuery} with the same matches and the same choice of
 * the {@link #MAX_EXPANSIONS} closest terms, but with its Levenshtein automata built once per word and kept.
 *
 * <p>Why: {@link FuzzyQuery} builds and compiles one automaton per edit distance (0 to {@code maxEdits}) on every
 * query, for every field; for two-edit words that was a third of a search's CPU time in the profile (see
 * {@code control-api/BENCHMARK.md}). This builds only the {@code maxEdits} one, counts the edits of the few terms it
 * accepts directly, and keeps the automaton: it depends only on the word, the distance and the exact prefix, not on
 * the field or the index, so one serves {@code nprefix} and {@code tword} (both with a one-character exact prefix)
 * and every later query with the word. The cache is bounded by the automata's memory ({@link #CACHE_BYTES}); past it,
 * it starts afresh.
 *
 * <p>One automaton per word, not one per prefix length: a two-edit automaton costs a millisecond and more to build
 * (most of a misspelt query's CPU time), and the exact one-character prefix is the word's own automaton (no exact
 * prefix) restricted to terms that begin with the word's first character (with equal first characters the distance
 * is that of the rests; {@code TypoQueryTest} checks it against Lucene's prefix automaton). The intersection with
 * the terms dictionary starts at that character and stops at the first accepted term past it.
 */
final class TypoQuery extends MultiTermQuery {
    /** Closest terms a query expands to (as {@link FuzzyQuery}'s default {@code maxExpansions}). */
    static final int MAX_EXPANSIONS = 50;
    /** Memory the cached automata may take, in bytes (by {@link CompiledAutomaton#ramBytesUsed()}). */
    static final long CACHE_BYTES = 32L << 20;

    private static final Map<String, CompiledAutomaton> CACHE = new ConcurrentHashMap<>();
    private static final AtomicLong CACHED_BYTES = new AtomicLong();

    private final Term term;
    private final int maxEdits;
    private final int prefixLength;

    /**
     * @param term the field and the (already folded) word
     * @param maxEdits 1 or 2
     * @param prefixLength leading characters that must match exactly
     */
    TypoQuery(Term term, int maxEdits, int prefixLength) {
        super(term.field(), FuzzyQuery.defaultRewriteMethod(MAX_EXPANSIONS));
        if (maxEdits < 1 || maxEdits > 2) {
            throw new IllegalArgumentException("maxEdits must be 1 or 2, not " + maxEdits);
        }
        this.term = term;
        this.maxEdits = maxEdits;
        this.prefixLength = prefixLength;
    }

    /** @return the automaton of {@code maxEdits} with no exact prefix, from the cache when there */
    private CompiledAutomaton automaton() {
        return automaton(0);
    }

    private CompiledAutomaton automaton(int prefix) {
        String key = maxEdits + "/" + prefix + "/" + term.text();
        CompiledAutomaton a = CACHE.get(key);
        if (a != null) {
            return a;
        }
        a = FuzzyQuery.getFuzzyAutomaton(term.text(), maxEdits, prefix, true);
        long bytes = a.ramBytesUsed();
        if (CACHED_BYTES.addAndGet(bytes) > CACHE_BYTES) {
            // simpler than LRU and enough: the working set of words typed with typos is far below the bound
            CACHE.clear();
            CACHED_BYTES.set(bytes);
        }
        CACHE.put(key, a);
        return a;
    }

    @Override
    protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws java.io.IOException {
        int[] word = term.text().codePoints().toArray();
        TermsEnum candidates;
        int first = -1; // the exact first character, or -1 for none
        if (prefixLength == 0) {
            candidates = automaton().getTermsEnum(terms);
        } else if (prefixLength == 1 && word.length - 1 > maxEdits) {
            CompiledAutomaton a = automaton();
            first = word[0];
            // terms after the one-character term itself (too short to be accepted: the rest is over maxEdits long)
            candidates = a.type == CompiledAutomaton.AUTOMATON_TYPE.NORMAL
                    ? terms.intersect(a, new BytesRef(new String(word, 0, 1))) : a.getTermsEnum(terms);
        } else {
            candidates = automaton(prefixLength).getTermsEnum(terms);
        }
        int exactFirst = first;
        boolean sorted = first >= 0 && automaton().type == CompiledAutomaton.AUTOMATON_TYPE.NORMAL;
        return new FilteredTermsEnum(candidates, false) {
            private final BoostAttribute boost = attributes().addAttribute(BoostAttribute.class);

            @Override
            protected AcceptStatus accept(BytesRef candidate) {
                int[] other = candidate.utf8ToString().codePoints().toArray();
                if (exactFirst >= 0 && (other.length == 0 || other[0] != exactFirst)) {
                    // in term order every term beginning with that character comes before any after it
                    return sorted ? AcceptStatus.END : AcceptStatus.NO;
                }
                // the similarity FuzzyTermsEnum gives the top-terms rewrite: 1 - edits / shorter length; the edits
                // counted directly (a handful of short terms) rather than by one more automaton per distance
                int edits = Math.min(maxEdits, distance(word, other));
                int shorter = Math.max(1, Math.min(word.length, other.length));
                boost.setBoost(edits == 0 ? 1f : 1f - (float) edits / shorter);
                return AcceptStatus.YES;
            }
        };
    }

    /** @return the optimal string alignment distance (Levenshtein plus adjacent transpositions), as Lucene counts */
    static int distance(int[] a, int[] b) {
        int[][] d = new int[a.length + 1][b.length + 1];
        for (int i = 0; i <= a.length; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length][b.length];
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) {
            visitor.visitLeaf(this);
        }
    }

    @Override
    public String toString(String f) {
        return (Objects.equals(f, field) ? "" : field + ":") + term.text() + "~" + maxEdits + "^prefix" + prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypoQuery t && super.equals(o) && term.equals(t.term) && maxEdits == t.maxEdits
                && prefixLength == t.prefixLength;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[]{super.hashCode(), term, maxEdits, prefixLength});
    }
}
