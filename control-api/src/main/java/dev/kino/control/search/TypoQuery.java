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
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.lucene.util.StringHelper;

import java.util.Arrays;
import java.util.Objects;

/**
 * Terms within {@code maxEdits} Damerau–Levenshtein edits of a word (optimal string alignment: an adjacent
 * transposition counts as one edit), the first {@code prefixLength} characters exact: Lucene's {@link FuzzyQuery}
 * with the same matches, the same similarity per term and the same choice of the {@link #MAX_EXPANSIONS} closest
 * terms, found without building a Levenshtein automaton.
 *
 * <p>Why: {@link FuzzyQuery} (and {@link FuzzyQuery#getFuzzyAutomaton}) builds a Levenshtein automaton per edit
 * distance for every query: every parametric state, then the dead ones removed, then the whole converted to UTF-8
 * over the full Unicode alphabet. For a two-edit word that took 1.4–1.8 ms, about 29 % of a search's CPU time in
 * the profile ({@code control-api/BENCHMARK.md}), and every misspelt word is new. Here the terms dictionary is walked
 * in order with one row of the edit-distance table per character of the term (the rows of a shared prefix are
 * kept from the previous term, as in a trie walk): once a prefix's row has no entry within {@code maxEdits}, no term
 * beginning with it can match (the row minimum never decreases), and the walk seeks past all of them
 * ({@code seekCeil} to the prefix's successor). The terms visited are the same live prefixes an automaton's
 * intersection visits; the automaton's construction is gone. {@code TypoQueryTest} compares the matches with
 * {@link FuzzyQuery}'s on random words of a small alphabet (many near misses), 1 and 2 edits, with and without the
 * exact prefix.
 *
 * <p>As in Lucene, the distance counts the part after the exact prefix, and a term's similarity (its boost for the
 * top-terms rewrite) is {@code 1 - edits / min(length of the word, length of the term)} in code points (1 when
 * equal).
 */
final class TypoQuery extends MultiTermQuery {
    /** Closest terms a query expands to (as {@link FuzzyQuery}'s default {@code maxExpansions}). */
    static final int MAX_EXPANSIONS = 50;

    private final Term term;
    private final int maxEdits;
    private final int prefixLength;

    /**
     * @param term the field and the (already folded) word
     * @param maxEdits 1 or 2
     * @param prefixLength leading characters (code points) that must match exactly
     */
    TypoQuery(Term term, int maxEdits, int prefixLength) {
        super(term.field(), FuzzyQuery.defaultRewriteMethod(MAX_EXPANSIONS));
        if (maxEdits < 1 || maxEdits > 2) {
            throw new IllegalArgumentException("maxEdits must be 1 or 2, not " + maxEdits);
        }
        if (prefixLength < 0) {
            throw new IllegalArgumentException("prefixLength must be 0 or more, not " + prefixLength);
        }
        this.term = term;
        this.maxEdits = maxEdits;
        this.prefixLength = prefixLength;
    }

    @Override
    protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws java.io.IOException {
        int[] word = term.text().codePoints().toArray();
        int p = Math.min(prefixLength, word.length);
        BytesRef prefix = p == 0 ? null : new BytesRef(new String(word, 0, p));
        return new Walk(terms.iterator(), word, p, prefix, maxEdits);
    }

    /**
     * The walk over the terms dictionary: accepts the terms within {@code maxEdits} of the word (after the exact
     * prefix), seeks past every prefix that cannot lead to one. One per query and segment; not thread-safe.
     */
    private static final class Walk extends FilteredTermsEnum {
        private final BoostAttribute boost = attributes().addAttribute(BoostAttribute.class);
        private final int wordLength;
        /** The word after the exact prefix, in code points. */
        private final int[] rest;
        private final int prefixPoints;
        private final BytesRef prefix;
        private final int maxEdits;
        /** rows[i][j]: edits between the term's first i characters after the prefix and the rest's first j. */
        private final int[][] rows;
        /** The current term's characters after the prefix, and the previous term's (whose rows are kept). */
        private int[] chars = new int[16];
        private int[] previous = new int[16];
        private int previousLength;
        /** Rows 0..valid of {@link #rows} belong to {@link #previous}'s first characters. */
        private int valid;
        /** UTF-8 end offset of each character of the current term (after the prefix), for the seek targets. */
        private int[] ends = new int[16];
        private final BytesRefBuilder seek = new BytesRefBuilder();

        Walk(TermsEnum terms, int[] word, int prefixPoints, BytesRef prefix, int maxEdits) {
            super(terms, prefix != null);
            this.wordLength = word.length;
            this.rest = Arrays.copyOfRange(word, prefixPoints, word.length);
            this.prefixPoints = prefixPoints;
            this.prefix = prefix;
            this.maxEdits = maxEdits;
            // a term more than maxEdits characters longer than the rest is out at row rest + maxEdits + 1
            this.rows = new int[rest.length + maxEdits + 2][rest.length + 1];
            for (int j = 0; j <= rest.length; j++) {
                rows[0][j] = j;
            }
            if (prefix != null) {
                setInitialSeekTerm(prefix);
            }
        }

        @Override
        protected AcceptStatus accept(BytesRef t) {
            if (prefix != null && !StringHelper.startsWith(t, prefix)) {
                return AcceptStatus.END; // in term order, every term with the prefix came before
            }
            int n = decode(t);
            int lcp = 0;
            int limit = Math.min(Math.min(n, previousLength), valid);
            while (lcp < limit && chars[lcp] == previous[lcp]) {
                lcp++;
            }
            int i = lcp;
            int deadAt = -1;
            while (i < n) {
                i++;
                if (i >= rows.length || row(i) > maxEdits) {
                    deadAt = i;
                    break;
                }
            }
            int[] swap = previous;
            previous = chars;
            chars = swap;
            previousLength = n;
            if (deadAt >= 0) {
                // no term beginning with these deadAt characters matches: on to the first term after all of them
                valid = Math.min(deadAt, rows.length - 1);
                seekPast(t, ends[deadAt - 1]);
                return AcceptStatus.NO_AND_SEEK;
            }
            valid = n;
            int edits = rows[n][rest.length];
            if (edits > maxEdits) {
                return AcceptStatus.NO;
            }
            int shorter = Math.max(1, Math.min(wordLength, prefixPoints + n));
            boost.setBoost(edits == 0 ? 1f : 1f - (float) edits / shorter);
            return AcceptStatus.YES;
        }

        /**
         * Computes row {@code i} from rows {@code i - 1} and {@code i - 2} (the term's character {@code i - 1}).
         *
         * @return the row's minimum
         */
        private int row(int i) {
            int c = character(i - 1);
            int[] up = rows[i - 1];
            int[] r = rows[i];
            r[0] = i;
            int min = i;
            for (int j = 1; j < r.length; j++) {
                int v = Math.min(Math.min(up[j] + 1, r[j - 1] + 1), up[j - 1] + (c == rest[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && c == rest[j - 2] && character(i - 2) == rest[j - 1]) {
                    v = Math.min(v, rows[i - 2][j - 2] + 1);
                }
                r[j] = v;
                if (v < min) {
                    min = v;
                }
            }
            return min;
        }

        /** @return the current term's character {@code k} (after the prefix) */
        private int character(int k) {
            return chars[k];
        }

        /**
         * Decodes the term's characters after the prefix into {@link #chars}, with their UTF-8 end offsets.
         *
         * @return how many
         */
        private int decode(BytesRef t) {
            byte[] b = t.bytes;
            int i = t.offset;
            int end = t.offset + t.length;
            for (int skipped = 0; skipped < prefixPoints && i < end; skipped++) {
                i += utf8Length(b[i] & 0xff);
            }
            int n = 0;
            while (i < end) {
                int lead = b[i] & 0xff;
                int len = utf8Length(lead);
                int cp = switch (len) {
                    case 1 -> lead;
                    case 2 -> (lead & 0x1f) << 6 | (b[i + 1] & 0x3f);
                    case 3 -> (lead & 0x0f) << 12 | (b[i + 1] & 0x3f) << 6 | (b[i + 2] & 0x3f);
                    default -> (lead & 0x07) << 18 | (b[i + 1] & 0x3f) << 12 | (b[i + 2] & 0x3f) << 6
                            | (b[i + 3] & 0x3f);
                };
                i += len;
                if (n == chars.length) {
                    chars = Arrays.copyOf(chars, n * 2);
                    ends = Arrays.copyOf(ends, n * 2);
                }
                chars[n] = cp;
                ends[n] = i - t.offset;
                n++;
            }
            return n;
        }

        /** @return the bytes of the UTF-8 sequence that begins with {@code lead} (terms are valid UTF-8) */
        private static int utf8Length(int lead) {
            return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        }

        /** Sets the seek target: the smallest byte string after every term beginning with {@code t}'s first bytes. */
        private void seekPast(BytesRef t, int length) {
            seek.copyBytes(t.bytes, t.offset, length);
            // the last byte of a UTF-8 character is below 0xC0 (or ASCII): one more never overflows
            seek.setByteAt(length - 1, (byte) (seek.byteAt(length - 1) + 1));
        }

        @Override
        protected BytesRef nextSeekTerm(BytesRef current) throws java.io.IOException {
            return current == null ? super.nextSeekTerm(null) : seek.get();
        }
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
