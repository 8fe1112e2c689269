package dev.kino.control.search;

import dev.kino.control.search.SearchTypes.Highlight;
import dev.kino.control.search.SearchTypes.HighlightRange;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds where a query's words are in a text, by the rules the index matched them with (folded and keyed words,
 * prefixes of the last word, typos within budget, romaji of Japanese), as UTF-16 offsets into the text as it is.
 */
final class Highlighter {
    private Highlighter() {
    }

    /** A text's matches and how well they match. */
    record Match(List<HighlightRange> ranges, int matchedWords, int quality) {
    }

    /**
     * A word of a text as the index matched it.
     *
     * @param start UTF-16 offset of its first char in the text
     * @param end offset after its last
     * @param key its key ({@link SearchText#key}; the romaji's for Japanese)
     */
    record Span(int start, int end, String key) {
    }

    /** @return {@link #match(List, ParsedQuery)} of the text's {@link #spans} */
    static Match match(String text, ParsedQuery q) {
        return match(spans(text), q);
    }

    /**
     * @param spans a text's word spans ({@link #spans}; names keep theirs from indexing, see {@code StoredCodec})
     * @return where the query's words are among them, and how well they match
     */
    static Match match(List<Span> spans, ParsedQuery q) {
        List<HighlightRange> ranges = new ArrayList<>();
        boolean[] wordMatched = new boolean[q.words().size()];
        int quality = 0;
        Scratch scratch = SCRATCH.get();
        for (Span s : spans) {
            int best = 0;
            for (int i = 0; i < q.words().size(); i++) {
                int m = quality(s.key(), q.words().get(i), scratch);
                if (m > 0) {
                    wordMatched[i] = true;
                    best = Math.max(best, m);
                }
            }
            if (best > 0) {
                quality += best;
                if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).end() >= s.start()) {
                    HighlightRange prev = ranges.remove(ranges.size() - 1);
                    ranges.add(new HighlightRange(prev.start(), Math.max(prev.end(), s.end())));
                } else {
                    ranges.add(new HighlightRange(s.start(), s.end()));
                }
            }
        }
        int matched = 0;
        for (boolean b : wordMatched) {
            matched += b ? 1 : 0;
        }
        return new Match(ranges, matched, quality);
    }

    /** @return 3 exact, 2 prefix of the last word, 1 within the typo budget, 0 no match */
    private static int quality(String key, ParsedQuery.Word w, Scratch scratch) {
        if (key.equals(w.key())) {
            return 3;
        }
        if (w.last() && key.startsWith(w.key())) {
            return 2;
        }
        if (w.typos() > 0) {
            if (distance(key, key.length(), w.key(), w.typos(), scratch) <= w.typos()) {
                return 1;
            }
            // the last word as a prefix with a typo: against the key's first (word's length + 1) characters
            if (w.last() && key.length() > w.key().length()
                    && distance(key, Math.min(key.length(), w.key().length() + 1), w.key(), w.typos(), scratch) <= w.typos()) {
                return 1;
            }
        }
        if (!w.stems().isEmpty()) {
            for (String stem : w.stems()) {
                if (stem.length() >= 4 && key.startsWith(SearchText.key(stem))) {
                    return 1;
                }
            }
        }
        return 0;
    }

    /**
     * Word spans of a text: letters and digits (apostrophes inside words kept), Japanese by Kuromoji's tokens. A pure
     * function of the text: titles' names are split once, when indexed, and kept with them.
     */
    static List<Span> spans(String text) {
        List<Span> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (SearchText.isJapanese(cp)) {
                int start = i;
                while (i < n && SearchText.isJapanese(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
                for (SearchText.Reading r : SearchText.readings(text.substring(start, i))) {
                    for (String w : SearchText.words(r.romaji())) {
                        out.add(new Span(start + r.start(), start + r.end(), SearchText.key(w)));
                    }
                }
                continue;
            }
            if (Character.isLetterOrDigit(cp)) {
                int start = i;
                while (i < n) {
                    int c = text.codePointAt(i);
                    int type = Character.getType(c);
                    boolean inWord = (Character.isLetterOrDigit(c) && !SearchText.isJapanese(c))
                            || type == Character.NON_SPACING_MARK
                            || (SearchText.isApostrophe(c) && i + 1 < n && Character.isLetter(text.codePointAt(i + 1)));
                    if (!inWord) {
                        break;
                    }
                    i += Character.charCount(c);
                }
                for (String w : SearchText.words(SearchText.fold(text.substring(start, i)))) {
                    out.add(new Span(start, i, SearchText.key(w)));
                }
                continue;
            }
            i += Character.charCount(cp);
        }
        return out;
    }

    /** @return an excerpt of about {@code width} chars around the first match, with its ranges, or null for none */
    static Highlight excerpt(String field, String text, ParsedQuery q, int width) {
        Match m = match(text, q);
        if (m.ranges().isEmpty()) {
            return null;
        }
        if (text.length() <= width) {
            return new Highlight(field, text, m.ranges());
        }
        int first = m.ranges().get(0).start();
        int from = Math.max(0, first - width / 3);
        while (from > 0 && !Character.isWhitespace(text.charAt(from - 1))) {
            from--;
            if (first - from > width / 2) {
                break;
            }
        }
        if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
            from--;
        }
        int to = Math.min(text.length(), from + width);
        if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
            to--;
        }
        String prefix = from > 0 ? "…" : "";
        String suffix = to < text.length() ? "…" : "";
        List<HighlightRange> ranges = new ArrayList<>();
        for (HighlightRange r : m.ranges()) {
            if (r.start() >= from && r.end() <= to) {
                ranges.add(new HighlightRange(r.start() - from + prefix.length(), r.end() - from + prefix.length()));
            }
        }
        return new Highlight(field, prefix + text.substring(from, to) + suffix, ranges);
    }

    /**
     * @return the Damerau (optimal string alignment) distance, or {@code max + 1} when it exceeds {@code max}
     *
     * <p>Called for every word of every name of every hit against each query word with a typo budget (a thousand
     * times per search), and nearly always to say "too far": so two lower bounds come first, the length difference
     * and the letters one has that the other lacks (each edit changes at most one letter of each side; a transposition
     * none), and the table is three rows, not a matrix per call.
     */
    static int distance(String a, String b, int max) {
        return distance(a, a.length(), b, max, SCRATCH.get());
    }

    /**
     * Work arrays of {@link #distance}, one set per thread (kept, not allocated per call: the distance runs for every
     * word of every name of every hit, and its arrays were a twentieth of a search's allocation).
     */
    private static final class Scratch {
        final int[] letters = new int[36];
        int[] before = new int[32];
        int[] prev = new int[32];
        int[] row = new int[32];

        void ensure(int length) {
            if (row.length < length) {
                before = new int[length];
                prev = new int[length];
                row = new int[length];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** {@link #distance(String, String, int)} of {@code a}'s first {@code n} characters and {@code b} */
    private static int distance(String a, int n, String b, int max, Scratch scratch) {
        int m = b.length();
        if (Math.abs(n - m) > max || letterDifference(a, n, b, scratch.letters) > max) {
            return max + 1;
        }
        scratch.ensure(m + 1);
        int[] before = scratch.before; // row i - 2
        int[] prev = scratch.prev;     // row i - 1
        int[] row = scratch.row;       // row i
        for (int j = 0; j <= m; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            row[0] = i;
            int rowMin = i;
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(prev[j] + 1, row[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, before[j - 2] + 1);
                }
                row[j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > max) {
                return max + 1;
            }
            int[] t = before;
            before = prev;
            prev = row;
            row = t;
        }
        return prev[m];
    }

    /**
     * @return a lower bound of the edit distance: the larger of how many letters of {@code a} are not matched by
     *         letters of {@code b} and the reverse (bag distance: a substitution changes one letter on each side, an
     *         insertion or deletion one on one side, a transposition none); 0 (no bound) when either holds anything
     *         but {@code a}–{@code z} and {@code 0}–{@code 9}, as keys of Latin and Cyrillic words do
     */
    private static int letterDifference(String a, int n, String b, int[] counts) {
        java.util.Arrays.fill(counts, 0);
        if (!count(a, n, counts, 1) || !count(b, b.length(), counts, -1)) {
            return 0;
        }
        int onlyA = 0;
        int onlyB = 0;
        for (int c : counts) {
            if (c > 0) {
                onlyA += c;
            } else {
                onlyB -= c;
            }
        }
        return Math.max(onlyA, onlyB);
    }

    private static boolean count(String s, int n, int[] counts, int step) {
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                counts[c - 'a'] += step;
            } else if (c >= '0' && c <= '9') {
                counts[26 + c - '0'] += step;
            } else {
                return false;
            }
        }
        return true;
    }
}
