package dev.kino.control.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.ja.JapaneseTokenizer;
import org.apache.lucene.analysis.ja.tokenattributes.PartOfSpeechAttribute;
import org.apache.lucene.analysis.ja.tokenattributes.ReadingAttribute;
import org.apache.lucene.analysis.ja.util.ToStringUtil;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.uk.UkrainianMorfologikAnalyzer;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The text rules search applies to titles and queries alike, so that both sides meet in the same terms.
 *
 * <ul>
 *   <li>{@link #fold}: Unicode NFKC, lower case, apostrophes dropped ({@code ' ’ ʼ ‘ ` ´ ʹ}: "п'ять", "п’ять"
 *       and "пʼять" are one word), accents of Latin letters dropped ("Pokémon" = "pokemon"), {@code ё} = {@code е};
 *       Cyrillic letters keep their marks ({@code й}, {@code ї}); anything that is not a letter or digit (operators,
 *       quotes, {@code %}, {@code _}) separates words and is never interpreted.</li>
 *   <li>{@link #key}: one word in the common Latin "skeleton" both scripts meet in: Cyrillic is transliterated
 *       (the Ukrainian national system of 2010 and the common Russian one differ only in letters the skeleton merges:
 *       {@code и}/{@code ы}/{@code і}/{@code й} and Latin {@code y}/{@code i}; {@code г} as {@code h} or {@code g};
 *       {@code kh}/{@code h}; {@code zh}/{@code j}; {@code ts}/{@code c}; doubled letters), so "Атака титанів",
 *       "ataka tytaniv" and "атака титанов" share keys.</li>
 *   <li>{@link #romaji}: Japanese (kana and kanji) read by Lucene's Kuromoji analyser and written in Hepburn romaji
 *       ("進撃の巨人" → "shingeki no kyojin"; particles by their pronunciation: は → "wa").</li>
 *   <li>{@link #stems}: English (Porter), Ukrainian (Morfologik dictionary lemmas) and Russian (Snowball) stems of
 *       a text's words, for synopses.</li>
 * </ul>
 *
 * <p>Thread-safe; the analysers keep per-thread state.
 */
public final class SearchText {
    private static final Analyzer ENGLISH = new EnglishAnalyzer();
    private static final Analyzer UKRAINIAN = new UkrainianMorfologikAnalyzer();
    private static final Analyzer RUSSIAN = new RussianAnalyzer();

    private SearchText() {
    }

    /**
     * @param text any text
     * @return it folded: lower case, no apostrophes, no accents on Latin letters, words separated by one space,
     *         trimmed ({@code ""} when nothing is left)
     */
    public static String fold(String text) {
        String simple = foldSimple(text);
        return simple != null ? simple : foldAny(text);
    }

    /**
     * {@link #fold} of text made only of ASCII and of Cyrillic letters (U+0400–U+04FF without the combining marks
     * U+0483–U+0489), as most names and queries are: none of those has a compatibility form, Latin accents cannot
     * occur and Cyrillic keeps its marks, so the three normalisations give back what they are given and folding is
     * lower-casing and separating words (a tenth of the work; {@code SearchTextTest} compares the two).
     *
     * @return the folded text, or null when the text has any other character
     */
    static String foldSimple(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && (c < 0x400 || c > 0x4FF || (c >= 0x483 && c <= 0x489))) {
                return null;
            }
        }
        StringBuilder out = new StringBuilder(n);
        boolean space = true;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (isApostrophe(c)) {
                continue;
            }
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toLowerCase(c));
                space = false;
            } else if (!space) {
                out.append(' ');
                space = true;
            }
        }
        int len = out.length();
        if (len > 0 && out.charAt(len - 1) == ' ') {
            out.setLength(len - 1);
        }
        return out.toString();
    }

    /** {@link #fold} of any text: the normalisations, then letter by letter. */
    static String foldAny(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(d.length());
        boolean space = true;
        int prevBase = 0;
        for (int i = 0; i < d.length(); ) {
            int cp = d.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK) {
                // keep the marks of Cyrillic (й, ї) and of kana (dakuten), drop those of Latin letters
                if (prevBase != 0 && Character.UnicodeScript.of(prevBase) != Character.UnicodeScript.LATIN) {
                    out.appendCodePoint(cp);
                }
                continue;
            }
            if (isApostrophe(cp)) {
                continue;
            }
            if (Character.isLetterOrDigit(cp)) {
                out.appendCodePoint(cp);
                space = false;
                prevBase = cp;
            } else {
                if (!space) {
                    out.append(' ');
                    space = true;
                }
                prevBase = 0;
            }
        }
        int len = out.length();
        if (len > 0 && out.charAt(len - 1) == ' ') {
            out.setLength(len - 1);
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    static boolean isApostrophe(int cp) {
        return cp == '\'' || cp == '\u2019' || cp == '\u02bc' || cp == '\u2018' || cp == '`' || cp == '\u00b4'
                || cp == '\u02b9' || cp == '\uff07';
    }

    /** @return the words of folded text (split on spaces); none for blank text */
    public static List<String> words(String folded) {
        if (folded.isEmpty()) {
            return List.of();
        }
        return List.of(folded.split(" "));
    }

    /** @return whether the text has kana or CJK ideographs */
    public static boolean hasJapanese(CharSequence text) {
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (isJapanese(cp)) {
                return true;
            }
        }
        return false;
    }

    static boolean isJapanese(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA
                || s == Character.UnicodeScript.HAN || cp == 'ー' || cp == 'ｰ';
    }

    /**
     * A token of Japanese text with its place in the text.
     *
     * @param start offset of its first UTF-16 char in the text
     * @param end offset after its last
     * @param romaji its Hepburn reading, folded (long-vowel marks dropped), or the surface itself when unread
     */
    public record Reading(int start, int end, String romaji) {
    }

    /**
     * @param text text with Japanese in it
     * @return Kuromoji's tokens of the text with their romaji (punctuation left out)
     */
    public static List<Reading> readings(String text) {
        List<Reading> cached = READINGS.get(text);
        if (cached != null) {
            return cached;
        }
        List<Reading> out = read(text);
        remember(READINGS, text, out);
        return out;
    }

    /**
     * Pure functions of a word or a name, kept: the same names are highlighted and the same words typed again and
     * again, and Kuromoji's readings, the transliteration's dozen string replacements and the three stemmers were a
     * good part of a suggestion's CPU. Each map is bounded by {@link #CACHED} entries (past it, it starts afresh:
     * simpler than LRU and enough for a working set of words).
     */
    static final int CACHED = 50_000;
    private static final java.util.Map<String, List<Reading>> READINGS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<String, String> KEYS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<String, Set<String>> STEMS = new java.util.concurrent.ConcurrentHashMap<>();

    private static <V> void remember(java.util.Map<String, V> cache, String k, V v) {
        if (cache.size() >= CACHED) {
            cache.clear();
        }
        cache.put(k, v);
    }

    /** A tokenizer per thread: building one per call (its buffers, its lattice) cost more than reading a name. */
    private static final ThreadLocal<JapaneseTokenizer> TOKENIZERS =
            ThreadLocal.withInitial(() -> new JapaneseTokenizer(null, true, JapaneseTokenizer.Mode.SEARCH));

    private static List<Reading> read(String text) {
        List<Reading> out = new ArrayList<>();
        JapaneseTokenizer t = TOKENIZERS.get();
        try {
            t.setReader(new StringReader(text));
            ReadingAttribute reading = t.addAttribute(ReadingAttribute.class);
            PartOfSpeechAttribute pos = t.addAttribute(PartOfSpeechAttribute.class);
            CharTermAttribute term = t.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = t.addAttribute(OffsetAttribute.class);
            t.reset();
            while (t.incrementToken()) {
                String surface = term.toString();
                String kana = reading.getReading();
                String p = pos.getPartOfSpeech();
                if (p != null && p.startsWith("助詞") && reading.getPronunciation() != null) {
                    kana = reading.getPronunciation(); // は → ワ, へ → エ
                }
                if (kana == null) {
                    kana = toKatakana(surface);
                }
                String r = fold(hasKana(kana) ? ToStringUtil.getRomanization(kana) : kana);
                if (!r.isEmpty()) {
                    out.add(new Reading(offset.startOffset(), offset.endOffset(), r));
                }
            }
            t.end();
        } catch (IOException e) {
            TOKENIZERS.remove();
            throw new UncheckedIOException(e);
        } finally {
            try {
                t.close(); // ready for the next setReader
            } catch (IOException e) {
                TOKENIZERS.remove();
            }
        }
        return List.copyOf(out);
    }

    private static boolean hasKana(String s) {
        return s.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.KATAKANA);
    }

    private static String toKatakana(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(cp >= 0x3041 && cp <= 0x3096 ? cp + 0x60 : cp));
        return sb.toString();
    }

    /** @return the text's Japanese read as folded romaji words, other words as they fold; "" for none */
    public static String romaji(String text) {
        StringBuilder sb = new StringBuilder();
        for (Reading r : readings(text)) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(r.romaji());
        }
        return fold(sb.toString());
    }

    // ---- the Latin skeleton ---------------------------------------------------------------------------------

    private static final String[] CYRILLIC = new String[0x100];

    static {
        String[][] map = {
                {"а", "a"}, {"б", "b"}, {"в", "v"}, {"г", "h"}, {"ґ", "g"}, {"д", "d"}, {"е", "e"}, {"є", "ie"},
                {"ё", "e"}, {"ж", "zh"}, {"з", "z"}, {"и", "y"}, {"і", "i"}, {"ї", "i"}, {"й", "i"}, {"к", "k"},
                {"л", "l"}, {"м", "m"}, {"н", "n"}, {"о", "o"}, {"п", "p"}, {"р", "r"}, {"с", "s"}, {"т", "t"},
                {"у", "u"}, {"ў", "u"}, {"ф", "f"}, {"х", "kh"}, {"ц", "ts"}, {"ч", "ch"}, {"ш", "sh"},
                {"щ", "shch"}, {"ь", ""}, {"ъ", ""}, {"ы", "y"}, {"э", "e"}, {"ю", "iu"}, {"я", "ia"},
        };
        for (String[] m : map) {
            CYRILLIC[m[0].charAt(0) - 0x400] = m[1];
        }
    }

    /** @return a folded word with its Cyrillic letters transliterated to Latin (other letters kept) */
    static String latin(String word) {
        StringBuilder sb = new StringBuilder(word.length() + 4);
        String w = Normalizer.normalize(word, Normalizer.Form.NFC);
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            String t = c >= 0x400 && c < 0x500 ? CYRILLIC[c - 0x400] : null;
            if (t != null) {
                sb.append(t);
            } else if (Character.getType(c) != Character.NON_SPACING_MARK) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * @param foldedWord one word as {@link #fold} leaves it
     * @return its key: Latin skeleton of a Latin or Cyrillic word (see the class comment); other scripts as they are
     */
    public static String key(String foldedWord) {
        String cached = KEYS.get(foldedWord);
        if (cached == null) {
            cached = skeleton(foldedWord);
            remember(KEYS, foldedWord, cached);
        }
        return cached;
    }

    private static String skeleton(String foldedWord) {
        String s = latin(foldedWord);
        if (s.isEmpty() || !isLatin(s)) {
            return s;
        }
        s = s.replace("shch", "s").replace("dzh", "j").replace("zh", "j").replace("kh", "h").replace("ch", "c")
                .replace("sh", "s").replace("ts", "c").replace("tz", "c").replace('y', 'i').replace('h', 'g')
                .replace('w', 'v').replace('q', 'k').replace("x", "ks");
        StringBuilder sb = new StringBuilder(s.length());
        char prev = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != prev || Character.isDigit(c)) {
                sb.append(c);
            }
            prev = c;
        }
        return sb.toString();
    }

    private static boolean isLatin(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !Character.isDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /** @return the keys of the folded text's words joined by one space */
    public static String keys(String folded) {
        StringBuilder sb = new StringBuilder(folded.length());
        for (String w : words(folded)) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(key(w));
        }
        return sb.toString();
    }

    // ---- stems ----------------------------------------------------------------------------------------------

    /**
     * @param text any text (a synopsis, a query)
     * @param language {@code en}, {@code uk}, {@code ru}, or null for all three
     * @return the stems (lemmas for Ukrainian) the language's analyser gives, without stop words
     */
    public static Set<String> stems(String text, String language) {
        Set<String> out = new LinkedHashSet<>();
        String lang = language == null ? null : language.length() >= 2 ? language.substring(0, 2) : language;
        if (lang == null || lang.equals("en")) {
            analyse(ENGLISH, text, out);
        }
        if (lang == null || lang.equals("uk")) {
            analyse(UKRAINIAN, text, out);
        }
        if (lang == null || lang.equals("ru")) {
            analyse(RUSSIAN, text, out);
        }
        return out;
    }

    /** @return {@link #stems}{@code (word, null)} of one query word, kept (three analysers per word and query) */
    static Set<String> wordStems(String word) {
        Set<String> cached = STEMS.get(word);
        if (cached == null) {
            cached = java.util.Collections.unmodifiableSet(stems(word, null));
            remember(STEMS, word, cached);
        }
        return cached;
    }

    private static void analyse(Analyzer analyzer, String text, Set<String> out) {
        try (TokenStream ts = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(fold(term.toString()));
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
