package dev.kino.control.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A query's text as search uses it: folded words with their keys and typo budgets.
 *
 * <p>Bounded: at most {@link #MAX_WORDS} distinct words are used (the rest are ignored), a word longer than
 * {@link #MAX_FUZZY_LENGTH} characters gets no typo tolerance, and repeated words count once; so 50 one-letter
 * words cost what one does.
 *
 * @param folded the whole query folded ({@link SearchText#fold})
 * @param keys the whole query's keys joined by spaces
 * @param romaji the Japanese in it read as romaji (folded), or null when it has none
 * @param words the words used, in order
 */
record ParsedQuery(String folded, String keys, String romaji, List<Word> words) {
    static final int MAX_WORDS = 10;
    static final int MAX_FUZZY_LENGTH = 24;

    /**
     * @param folded the folded word
     * @param key its key
     * @param typos edits allowed (Meilisearch's rule on the folded length: 1–4 none, 5–8 one, 9 and more two)
     * @param last whether it is the query's last word (matched as a prefix too: the user may still be typing)
     * @param stems its English, Ukrainian and Russian stems
     */
    record Word(String folded, String key, int typos, boolean last, Set<String> stems) {
    }

    static ParsedQuery of(String text, boolean withStems) {
        String folded = SearchText.fold(text);
        String romaji = SearchText.hasJapanese(folded) ? SearchText.romaji(text) : null;
        Set<String> seen = new LinkedHashSet<>();
        List<String> raw = new ArrayList<>(SearchText.words(romaji != null ? romaji : folded));
        for (String w : raw) {
            if (seen.size() >= MAX_WORDS) {
                break;
            }
            seen.add(w);
        }
        List<Word> words = new ArrayList<>();
        int i = 0;
        for (String w : seen) {
            boolean last = ++i == seen.size() && !text.endsWith(" ");
            int len = w.codePointCount(0, w.length());
            int typos = len > MAX_FUZZY_LENGTH ? 0 : len >= 9 ? 2 : len >= 5 ? 1 : 0;
            Set<String> stems = withStems ? SearchText.wordStems(w) : Set.of();
            words.add(new Word(w, SearchText.key(w), typos, last, stems));
        }
        return new ParsedQuery(folded, SearchText.keys(folded), romaji, List.copyOf(words));
    }

    boolean isEmpty() {
        return words.isEmpty();
    }
}
