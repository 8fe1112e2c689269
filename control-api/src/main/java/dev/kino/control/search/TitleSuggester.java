package dev.kino.control.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * As-you-type suggestions without Lucene's query path: the titles' name keys in memory, in sorted arrays, answering
 * exactly what the index's typo-free names-only query ({@link SearchIndex#search} with {@code namesOnly}) answers,
 * in a fraction of its time.
 *
 * <p>The score is the index's: for a query of words w1…wn (the last one a prefix while the user types), a title
 * matches when each word is one of its name words ({@code nword}), the last one possibly only the start of one
 * ({@code nprefix}); its score is (1000 if a name is the whole query, + 300 if a name starts with it (two characters
 * or more), + 100 per word found whole, + 70 for a last word found only as a prefix) × the title's ranking boost
 * (1 to 1.2). Only the published titles (all for editors) rated at most the viewer's maturity are candidates.
 *
 * <p>The structure (a {@link Snapshot}, immutable, replaced as a whole):
 * <ul>
 *   <li>titles numbered by ranking boost, highest first (an ordinal order is a boost order);</li>
 *   <li>the distinct name words, sorted, each with its titles' ordinals (ascending), and the running total of
 *       those lists' lengths, so the titles having a word that starts with a prefix are one binary search away and
 *       their number is known before they are read;</li>
 *   <li>for each prefix shared by more than {@link #LARGE} word occurrences (the short ones: "a", "ka", "sho"), the
 *       {@link #TOP} best titles for that prefix typed alone, ranked by the score above: a one-word query answers
 *       from that list (filtered by visibility; if fewer than the wanted number are visible, the index answers).
 *       Shorter prefix lists are scored at query time (at most {@link #LARGE} titles).</li>
 *   <li>the whole-name keys, sorted, for multi-word queries whose every word is common (the titles whose name starts
 *       with the query are scored, when they are few).</li>
 * </ul>
 *
 * <p>Kept current through the same writes as the index ({@link SearchIndex#upsert}, {@code delete},
 * {@code updateBoost}): a change goes into a small map of changes made since the snapshot, which queries score
 * directly (and whose titles' snapshot entries they skip); {@link #rebuild} folds them in (the index calls it after a
 * bulk build and, in the background, after changes). When there are more than {@link #MAX_CHANGES} pending changes
 * (during the first build), or the query needs typo tolerance or the relaxed match (nothing matched as typed), or it
 * is too broad for the arrays, {@link #suggest} answers null and the index's query path answers.
 *
 * <p>Thread-safe: queries read a volatile snapshot and a concurrent map; writes are synchronised.
 */
final class TitleSuggester {
    /** Titles kept per common prefix. */
    static final int TOP = 48;
    /** Word occurrences above which a prefix gets a precomputed list (below: scored at query time). */
    static final int LARGE = 192;
    /** Candidates a multi-word query may score before it is left to the index. */
    static final int MAX_SCAN = 2048;
    /** Pending changes above which suggestions are left to the index until the next rebuild. */
    static final int MAX_CHANGES = 2048;
    /** Longest prefix given a precomputed list (longer common prefixes are rare; they are left to the index). */
    static final int MAX_LISTED_PREFIX = SearchIndex.MAX_INDEXED_PREFIX;

    /**
     * A title as suggestions see it.
     *
     * @param keys its name forms' keys ({@link SearchIndex#nameForms}), words separated by one space, keys by a
     *             line feed (one string: a title's dozen short strings cost three times their characters in headers)
     * @param folded the hash codes of its folded name forms that are not keys (whole-name matches only: a folded
     *               query form counts as an exact name when its hash is here and a name has its key; where Lucene
     *               compares the strings, a 32-bit hash collision between two forms with the same key could add
     *               one exact-name tier)
     * @param seq the write that made it (a deletion is an entry with {@code deleted})
     */
    record Entry(UUID id, double boost, boolean published, int minAge, String keys, int[] folded, long seq,
                 boolean deleted) {
        boolean visible(boolean admin, int maxAge) {
            return !deleted && (admin || published) && minAge <= maxAge;
        }
    }

    /** A suggestion: a title and its score (the index's). */
    record Scored(UUID id, float score) {
    }

    private final Map<UUID, Entry> current = new ConcurrentHashMap<>();
    /** replaced after each rebuild: a concurrent map's table never shrinks, and an empty 256k-bucket one costs a
     * scan of its buckets on every suggestion */
    private volatile Map<UUID, Entry> changes = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = Snapshot.build(List.of(), 0);
    private long seq;

    // ---- writing --------------------------------------------------------------------------------------------

    synchronized void put(UUID id, double boost, boolean published, int minAge, SearchIndex.NameForms names) {
        put(new Entry(id, boost, published, minAge, String.join("\n", names.keys()),
                names.folded().stream().mapToInt(String::hashCode).distinct().toArray(), ++seq, false));
    }

    private void put(Entry e) {
        UUID id = e.id();
        current.put(id, e);
        changes.put(id, e);
    }

    synchronized void updateBoost(UUID id, double boost) {
        Entry had = current.get(id);
        if (had != null) {
            put(new Entry(id, boost, had.published(), had.minAge(), had.keys(), had.folded(), ++seq, false));
        }
    }

    synchronized void delete(UUID id) {
        current.remove(id);
        changes.put(id, new Entry(id, 1, false, 0, "", new int[0], ++seq, true));
    }

    /** @return changes not yet in the snapshot */
    int pending() {
        long at = snapshot.seq;
        return (int) changes.values().stream().filter(e -> e.seq() > at).count();
    }

    /** Builds a new snapshot of every title and drops the changes it holds. Costs seconds for 200,000 titles. */
    void rebuild() {
        List<Entry> entries;
        long at;
        synchronized (this) {
            at = seq;
            entries = new ArrayList<>(current.values());
        }
        snapshot = Snapshot.build(entries, at);
        synchronized (this) {
            Map<UUID, Entry> left = new ConcurrentHashMap<>();
            changes.forEach((id, e) -> {
                if (e.seq() > at) {
                    left.put(id, e);
                }
            });
            changes = left;
        }
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /**
     * @param n suggestions wanted
     * @return the best {@code n} visible titles by the index's score (fewer when fewer match), best first; null
     *         when the index must answer instead (see the class comment)
     */
    List<Scored> suggest(ParsedQuery q, boolean admin, int maxAge, int n) {
        if (q.words().isEmpty()) {
            return List.of();
        }
        for (ParsedQuery.Word w : q.words()) {
            if (w.key().isEmpty()) {
                return null;
            }
        }
        // the changes before the snapshot: rebuild() publishes the new snapshot before the emptied map, so a map
        // read first is never newer than the snapshot read next (changes both hold are filtered by seq)
        Map<UUID, Entry> changed = changes;
        Snapshot s = snapshot;
        List<Entry> pending = new ArrayList<>();
        for (Entry e : changed.isEmpty() ? List.<Entry>of() : changed.values()) {
            if (e.seq() > s.seq) {
                pending.add(e);
                if (pending.size() > MAX_CHANGES) {
                    return null;
                }
            }
        }
        Features f = new Features(q);
        Top top = new Top(n);
        boolean answered = pending.isEmpty()
                ? candidates(s, f, admin, maxAge, n, top, null)
                : candidates(s, f, admin, maxAge, n, top, changedIds(pending));
        if (!answered) {
            return null;
        }
        for (Entry e : pending) {
            if (e.visible(admin, maxAge)) {
                top.offer(f.score(e), Integer.MAX_VALUE, e);
            }
        }
        List<Scored> out = top.result();
        if (out.isEmpty()) {
            return null; // typos, or the relaxed match: the index's path
        }
        // the index adds typo matches when its best typo-free hit scores at most what a one-typo title could reach
        boolean typos = q.words().stream().anyMatch(w -> SearchIndex.typos(w) > 0);
        float typoBound = ((q.words().size() - 1) * SearchIndex.NAME_WORD + SearchIndex.NAME_WORD_TYPO)
                * RankingBoostQuery.MAX_FACTOR;
        if (typos && out.get(0).score() <= typoBound) {
            return null;
        }
        return out;
    }

    private static Set<UUID> changedIds(List<Entry> pending) {
        Set<UUID> ids = new java.util.HashSet<>();
        pending.forEach(e -> ids.add(e.id()));
        return ids;
    }

    /** Offers the snapshot's candidates to {@code top}; false when the index must answer. */
    private static boolean candidates(Snapshot s, Features f, boolean admin, int maxAge, int n, Top top,
                                      Set<UUID> stale) {
        ParsedQuery.Word last = f.last;
        if (f.words.length == 1 && last != null && f.prefix.equals(last.key())) {
            // one word as it is typed: the titles with a name word starting with it
            int[] range = s.wordRange(last.key());
            long occurrences = s.cumulative[range[1]] - s.cumulative[range[0]];
            if (occurrences > LARGE) {
                int[] listed = s.top.get(last.key());
                if (listed == null) {
                    return false;
                }
                // the lists rank a name equal to the prefix as one exact match; a query whose folded form differs
                // from its key can match such a name twice (both nfull terms): those titles are offered as well
                int[] exact = s.fullRange(last.key());
                for (int i = exact[0]; i < exact[1] && s.fullKeyLength(i) == last.key().length(); i++) {
                    int ord = (int) (s.fullRefs[i] >>> 16);
                    if (s.visible(ord, admin, maxAge, stale)) {
                        top.offer(f.score(s, ord), ord, s);
                    }
                }
                int visible = 0;
                for (int ord : listed) {
                    if (s.visible(ord, admin, maxAge, stale)) {
                        top.offer(f.score(s, ord), ord, s);
                        visible++;
                    }
                }
                // the list is the best TOP of every title with the prefix: its first n visible are the answer
                return visible >= n || listed.length < TOP;
            }
            for (int w = range[0]; w < range[1]; w++) {
                offerAll(s, s.postings[w], f, admin, maxAge, top, stale);
            }
            return true;
        }
        // several words (or a finished word). Typed from the start of a name, the titles whose name starts with the
        // query (usually a handful) decide it when n of them are visible: their n-th scores above anything a title
        // without that tier reaches
        if (f.prefix.length() >= 2 && !f.romaji && prefixTierDecides(s, f, admin, maxAge, top, stale)) {
            return true;
        }
        // otherwise drive by the rarest word's titles, checking the others
        int[] driver = null;
        int[] driverRange = null;
        long driverSize = Long.MAX_VALUE;
        for (ParsedQuery.Word w : f.words) {
            if (w == last) {
                int[] range = s.wordRange(w.key());
                long size = s.cumulative[range[1]] - s.cumulative[range[0]];
                if (size < driverSize) {
                    driverSize = size;
                    driverRange = range;
                    driver = null;
                }
            } else {
                int i = Arrays.binarySearch(s.words, w.key());
                int[] postings = i < 0 ? new int[0] : s.postings[i];
                if (postings.length < driverSize) {
                    driverSize = postings.length;
                    driver = postings;
                    driverRange = null;
                }
            }
        }
        if (driverSize <= MAX_SCAN) {
            if (driver != null) {
                offerAll(s, driver, f, admin, maxAge, top, stale);
            } else {
                for (int w = driverRange[0]; w < driverRange[1]; w++) {
                    offerAll(s, s.postings[w], f, admin, maxAge, top, stale);
                }
            }
            return true;
        }
        return false; // every word is common, and the name-prefix tier did not decide: the query path
    }

    /** @return whether the titles whose name starts with the query alone are the top (see the caller) */
    private static boolean prefixTierDecides(Snapshot s, Features f, boolean admin, int maxAge, Top top,
                                             Set<UUID> stale) {
        int[] range = s.fullRange(f.prefix);
        if (range[1] - range[0] > MAX_SCAN) {
            return false;
        }
        for (int i = range[0]; i < range[1]; i++) {
            int ord = (int) (s.fullRefs[i] >>> 16);
            if (s.visible(ord, admin, maxAge, stale)) {
                top.offer(f.score(s, ord), ord, s);
            }
        }
        // without the name-prefix tier a title has no exact tier either (an exact name starts with the query)
        float withoutPrefixTier = f.words.length * SearchIndex.NAME_WORD * RankingBoostQuery.MAX_FACTOR;
        return top.full() && top.worst() > withoutPrefixTier;
    }

    private static void offerAll(Snapshot s, int[] ords, Features f, boolean admin, int maxAge, Top top,
                                 Set<UUID> stale) {
        for (int ord : ords) {
            if (s.visible(ord, admin, maxAge, stale)) {
                top.offer(f.score(s, ord), ord, s);
            }
        }
    }

    /** What a query is matched with, and the index's score of a title for it. */
    private static final class Features {
        final ParsedQuery.Word[] words;
        final ParsedQuery.Word last;
        /** whole-query forms a name may equal ({@code nfull}), each with its key */
        final Map<String, String> fulls = new java.util.LinkedHashMap<>();
        /** what a name may start with ({@code nstart}), from two characters */
        final String prefix;
        /** whether the query had Japanese in it (read as romaji) */
        final boolean romaji;

        Features(ParsedQuery q) {
            romaji = q.romaji() != null;
            words = q.words().toArray(ParsedQuery.Word[]::new);
            ParsedQuery.Word l = null;
            for (ParsedQuery.Word w : words) {
                if (w.last()) {
                    l = w;
                }
            }
            last = l;
            List<String> forms = new ArrayList<>(List.of(q.folded(), q.keys()));
            if (q.romaji() != null) {
                forms.add(q.romaji());
                forms.add(SearchText.keys(q.romaji()));
            }
            for (String form : forms) {
                if (!form.isEmpty()) {
                    fulls.putIfAbsent(form, SearchText.keys(form));
                }
            }
            prefix = q.romaji() != null ? SearchText.keys(q.romaji()) : q.keys();
        }

        /** A one-word query typed so far ({@code key}), for the precomputed lists. */
        Features(String key) {
            last = new ParsedQuery.Word(key, key, 0, true, Set.of());
            words = new ParsedQuery.Word[]{last};
            fulls.put(key, key);
            prefix = key;
            romaji = false;
        }

        /** @return the index's score of the title, or -1 when it does not match */
        float score(Entry e) {
            return score(e.keys(), e.boost(), e.folded(), null, -1);
        }

        /**
         * @return the index's score of the snapshot's title {@code ord}, or -1 when it does not match: read from the
         *         snapshot's arrays, its {@link Entry} only when a key equals a whole-query form's key (for its folded
         *         forms)
         */
        float score(Snapshot s, int ord) {
            return score(s.keys[ord], s.boosts[ord], null, s, ord);
        }

        /** @param folded the title's folded forms' hashes, or null to read them from {@code s} when needed */
        private float score(String keys, double boost, int[] folded, Snapshot s, int ord) {
            float tier = 0;
            for (ParsedQuery.Word w : words) {
                if (hasWord(keys, w.key(), false)) {
                    tier += SearchIndex.NAME_WORD;
                } else if (w == last && hasWord(keys, w.key(), true)) {
                    tier += SearchIndex.NAME_WORD_PREFIX;
                } else {
                    return -1;
                }
            }
            // one exact-name clause per distinct whole-query form (folded, keys, romaji): each adds when the title
            // has that form among its names' keys or folded forms (the folded forms' hashes are read last: rarely)
            for (Map.Entry<String, String> full : fulls.entrySet()) {
                if (hasKey(keys, full.getKey()) || (hasKey(keys, full.getValue())
                        && contains(folded != null ? folded : s.byOrd[ord].folded(), full.getKey().hashCode()))) {
                    tier += SearchIndex.EXACT_NAME;
                }
            }
            // nstart (keys' prefixes; beyond 16 characters Lucene's nfull prefix query also tries the folded forms,
            // which the arrays do not keep: there they differ where a folded name starts with a key-like string)
            if (prefix.length() >= 2 && keyStartsWith(keys, prefix)) {
                tier += SearchIndex.NAME_PREFIX;
            }
            return (float) (tier * boost);
        }

        private static boolean contains(int[] values, int v) {
            for (int x : values) {
                if (x == v) {
                    return true;
                }
            }
            return false;
        }

        /** @return whether one of the line-separated keys is {@code key} */
        static boolean hasKey(String keys, String key) {
            int kl = key.length();
            int start = 0;
            while (start <= keys.length()) {
                int end = keys.indexOf('\n', start);
                if (end < 0) {
                    end = keys.length();
                }
                if (end - start == kl && keys.regionMatches(start, key, 0, kl)) {
                    return true;
                }
                start = end + 1;
            }
            return false;
        }

        /** @return whether one of the line-separated keys starts with {@code prefix} (which has no line feed) */
        static boolean keyStartsWith(String keys, String prefix) {
            int start = 0;
            while (start < keys.length()) {
                if (keys.startsWith(prefix, start)) {
                    return true;
                }
                int end = keys.indexOf('\n', start);
                if (end < 0) {
                    return false;
                }
                start = end + 1;
            }
            return false;
        }

        /**
         * @return whether a word of the keys (separated by spaces and line feeds) is, or starts with, {@code word}
         *
         * <p>Looks for the word with {@link String#indexOf} (vectorised by the JVM; a title's keys usually do not hold
         * it at all) and checks the word boundaries of each occurrence, rather than walking the keys word by word:
         * this runs for every candidate title of every suggestion. A word with no separator in it cannot straddle
         * two words of the keys, so the answers are the same.
         */
        static boolean hasWord(String keys, String word, boolean asPrefix) {
            int wl = word.length();
            if (wl > 0 && word.indexOf(' ') < 0 && word.indexOf('\n') < 0) {
                for (int at = keys.indexOf(word); at >= 0; at = keys.indexOf(word, at + 1)) {
                    if (at > 0 && keys.charAt(at - 1) != ' ' && keys.charAt(at - 1) != '\n') {
                        continue;
                    }
                    int end = at + wl;
                    if (asPrefix || end == keys.length() || keys.charAt(end) == ' ' || keys.charAt(end) == '\n') {
                        return true;
                    }
                }
                return false;
            }
            int len = keys.length();
            int start = 0;
            while (start <= len) {
                int end = start;
                while (end < len && keys.charAt(end) != ' ' && keys.charAt(end) != '\n') {
                    end++;
                }
                int l = end - start;
                if ((asPrefix ? l >= wl : l == wl) && keys.regionMatches(start, word, 0, wl)) {
                    return true;
                }
                start = end + 1;
            }
            return false;
        }
    }

    /** The best {@code n} by score, then by ordinal (boost order), distinct titles. */
    private static final class Top {
        private final int n;
        private final List<Object[]> items = new ArrayList<>();

        Top(int n) {
            this.n = n;
        }

        /** Offers the snapshot's title {@code ord}; its {@link Entry} is read only when it is kept. */
        void offer(float score, int ord, Snapshot s) {
            if (admits(score, ord)) {
                insert(score, ord, s.byOrd[ord]);
            }
        }

        void offer(float score, int ord, Entry e) {
            if (admits(score, ord)) {
                insert(score, ord, e);
            }
        }

        /** @return whether a title of this score and ordinal is kept (not a repeat, better than the n-th) */
        private boolean admits(float score, int ord) {
            if (score < 0) {
                return false;
            }
            // a title comes once from the snapshot (by ordinal) and a changed one once from the pending changes
            if (ord != Integer.MAX_VALUE) {
                for (Object[] it : items) {
                    if ((Integer) it[1] == ord) {
                        return false;
                    }
                }
            }
            if (items.size() == n) {
                Object[] worst = items.get(n - 1);
                return better(score, ord, (Float) worst[0], (Integer) worst[1]);
            }
            return true;
        }

        /** Puts an admitted title in its place, dropping the n-th when full. */
        private void insert(float score, int ord, Entry e) {
            if (items.size() == n) {
                items.remove(n - 1);
            }
            int at = items.size();
            while (at > 0 && better(score, ord, (Float) items.get(at - 1)[0], (Integer) items.get(at - 1)[1])) {
                at--;
            }
            items.add(at, new Object[]{score, ord, e});
        }

        private static boolean better(float score, int ord, float otherScore, int otherOrd) {
            return score > otherScore || (score == otherScore && ord < otherOrd);
        }

        boolean full() {
            return items.size() == n;
        }

        float worst() {
            return (Float) items.get(items.size() - 1)[0];
        }

        List<Scored> result() {
            List<Scored> out = new ArrayList<>(items.size());
            items.forEach(it -> out.add(new Scored(((Entry) it[2]).id(), (Float) it[0])));
            return out;
        }
    }

    /**
     * The immutable arrays (see the class comment).
     *
     * <p>What every candidate is checked and scored with is also kept by ordinal in arrays of its own (keys, boost,
     * visibility), and the first characters of every whole-name key beside its reference ({@link #fullHeads}): a
     * suggestion visits hundreds of candidates, and reading each one's {@link Entry} (and for the binary searches its
     * keys) was a chain of cache misses per candidate, about a third of a suggestion's CPU in the profile
     * ({@code control-api/BENCHMARK.md}, round {@code search7}).
     */
    static final class Snapshot {
        /** Characters of a whole-name key kept in {@link #fullHeads}: four UTF-16 units in a long. */
        private static final int HEAD = 4;

        final long seq;
        final Entry[] byOrd;
        final String[] words;
        final int[][] postings;
        /** cumulative[i]: the lengths of postings[0..i) added up */
        final long[] cumulative;
        /** every whole-name key as (ordinal << 16 | its offset in the title's keys), sorted by the key */
        final long[] fullRefs;
        /**
         * the first {@value #HEAD} characters of the whole-name key {@link #fullRefs}[i] points at, packed 16 bits
         * each from the high end, zeros past the key's end ({@link #head}): their unsigned order is the keys' order
         * where they differ
         */
        final long[] fullHeads;
        final Map<String, int[]> top;
        /** by ordinal: {@link Entry#keys()}, {@link Entry#boost()} */
        final String[] keys;
        final double[] boosts;
        /** by ordinal: {@link Entry#minAge()} (what editors may be suggested) */
        private final int[] minAges;
        /**
         * by ordinal: {@link Entry#minAge()} of a published title, {@link Integer#MAX_VALUE} for an unpublished one
         * (what other viewers may be suggested): one array read per candidate
         */
        private final int[] publishedMinAges;

        private Snapshot(long seq, Entry[] byOrd, String[] words, int[][] postings, long[] cumulative,
                         long[] fullRefs, Map<String, int[]> top) {
            this.seq = seq;
            this.byOrd = byOrd;
            this.words = words;
            this.postings = postings;
            this.cumulative = cumulative;
            this.fullRefs = fullRefs;
            this.top = top;
            keys = new String[byOrd.length];
            boosts = new double[byOrd.length];
            minAges = new int[byOrd.length];
            publishedMinAges = new int[byOrd.length];
            for (int ord = 0; ord < byOrd.length; ord++) {
                keys[ord] = byOrd[ord].keys();
                boosts[ord] = byOrd[ord].boost();
                minAges[ord] = byOrd[ord].minAge();
                publishedMinAges[ord] = byOrd[ord].published() ? byOrd[ord].minAge() : Integer.MAX_VALUE;
            }
            fullHeads = fullRefs == null ? null : new long[fullRefs.length];
            for (int i = 0; fullHeads != null && i < fullRefs.length; i++) {
                fullHeads[i] = head(keys[(int) (fullRefs[i] >>> 16)], (int) (fullRefs[i] & 0xffff));
            }
        }

        /**
         * @param stale titles whose entries here are out of date (scored from the pending changes), or null
         * @return whether the title {@code ord} may be suggested ({@link Entry#visible}; the snapshot holds no
         *         deleted title)
         */
        boolean visible(int ord, boolean admin, int maxAge, Set<UUID> stale) {
            // an unpublished title's MAX_VALUE is above every viewer's maximum age (0 to 99) but equal to
            // Integer.MAX_VALUE: only there is the flag itself read
            int age = admin ? minAges[ord] : publishedMinAges[ord];
            return age <= maxAge && (admin || maxAge != Integer.MAX_VALUE || byOrd[ord].published())
                    && (stale == null || !stale.contains(byOrd[ord].id()));
        }

        /**
         * @return the first {@value #HEAD} characters of the key starting at {@code at} in {@code text} (a key ends
         *         at a line feed or the text's end), 16 bits each from the high end, zeros after the key's end
         */
        static long head(String text, int at) {
            long h = 0;
            for (int j = 0; j < HEAD; j++) {
                int i = at + j;
                char c = i < text.length() ? text.charAt(i) : '\n';
                if (c == '\n') {
                    return h << (16 * (HEAD - j));
                }
                h = h << 16 | c;
            }
            return h;
        }

        static Snapshot build(List<Entry> entries, long seq) {
            Entry[] byOrd = entries.stream().filter(e -> !e.deleted())
                    .sorted(Comparator.comparingDouble(Entry::boost).reversed().thenComparing(Entry::id))
                    .toArray(Entry[]::new);
            // words → ordinals (ascending: the ordinals are visited in order)
            Map<String, IntList> byWord = new HashMap<>();
            int keyCount = 0;
            for (Entry e : byOrd) {
                keyCount += 1 + countOf(e.keys(), '\n');
            }
            long[] refs = new long[keyCount];
            int r = 0;
            for (int ord = 0; ord < byOrd.length; ord++) {
                String keys = byOrd[ord].keys();
                int start = 0;
                while (start <= keys.length()) {
                    int end = keys.indexOf('\n', start);
                    if (end < 0) {
                        end = keys.length();
                    }
                    if (start < 1 << 16) {
                        refs[r++] = (long) ord << 16 | start;
                    }
                    for (String w : keys.substring(start, end).split(" ")) {
                        if (!w.isEmpty()) {
                            byWord.computeIfAbsent(w, x -> new IntList()).addDistinct(ord);
                        }
                    }
                    start = end + 1;
                }
            }
            String[] words = byWord.keySet().toArray(String[]::new);
            Arrays.sort(words);
            int[][] postings = new int[words.length][];
            long[] cumulative = new long[words.length + 1];
            for (int i = 0; i < words.length; i++) {
                postings[i] = byWord.get(words[i]).toArray();
                cumulative[i + 1] = cumulative[i] + postings[i].length;
            }
            Snapshot s = new Snapshot(seq, byOrd, words, postings, cumulative, null, new HashMap<>());
            Long[] boxed = new Long[r];
            for (int i = 0; i < r; i++) {
                boxed[i] = refs[i];
            }
            Arrays.sort(boxed, s::compareRefs);
            long[] sorted = new long[r];
            for (int i = 0; i < r; i++) {
                sorted[i] = boxed[i];
            }
            s = new Snapshot(seq, byOrd, words, postings, cumulative, sorted, s.top);
            s.listCommonPrefixes();
            return s;
        }

        private static int countOf(String s, char c) {
            int n = 0;
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == c) {
                    n++;
                }
            }
            return n;
        }

        /** @return the whole-name key {@code ref} points at, compared with another's (a shorter prefix first) */
        private int compareRefs(long a, long b) {
            String ka = byOrd[(int) (a >>> 16)].keys();
            String kb = byOrd[(int) (b >>> 16)].keys();
            int ia = (int) (a & 0xffff);
            int ib = (int) (b & 0xffff);
            while (true) {
                char ca = ia < ka.length() ? ka.charAt(ia) : '\n';
                char cb = ib < kb.length() ? kb.charAt(ib) : '\n';
                boolean endA = ca == '\n';
                boolean endB = cb == '\n';
                if (endA || endB) {
                    return endA == endB ? 0 : endA ? -1 : 1;
                }
                if (ca != cb) {
                    return ca - cb;
                }
                ia++;
                ib++;
            }
        }

        /**
         * @param pHead {@link #head} of {@code p}
         * @return the key of the i-th sorted ref compared with {@code p}: negative, 0, or positive as for strings
         */
        private int compareKey(int i, String p, long pHead) {
            // Where the heads differ, their first differing 16 bits decide as the strings' first differing character
            // (or end) does: a key's characters are never 0 where its head has 0 past its end (text with a NUL
            // character, which the API refuses, would only have equal heads and be compared in full below)
            if (fullHeads[i] != pHead) {
                return Long.compareUnsigned(fullHeads[i], pHead);
            }
            long ref = fullRefs[i];
            String k = byOrd[(int) (ref >>> 16)].keys();
            int at = (int) (ref & 0xffff);
            for (int j = 0; ; j++, at++) {
                boolean endK = at >= k.length() || k.charAt(at) == '\n';
                boolean endP = j >= p.length();
                if (endK || endP) {
                    return endK && endP ? 0 : endK ? -1 : 1;
                }
                char ck = k.charAt(at);
                char cp = p.charAt(j);
                if (ck != cp) {
                    return ck - cp;
                }
            }
        }

        /**
         * @param pHead {@link #head} of {@code p}
         * @param mask the high 16 bits per character of {@code p} up to {@value #HEAD}
         */
        private boolean keyStartsWith(int i, String p, long pHead, long mask) {
            if ((fullHeads[i] & mask) != pHead) {
                return false;
            }
            if (p.length() <= HEAD && p.indexOf('\0') < 0) {
                return true; // the head holds the whole prefix
            }
            long ref = fullRefs[i];
            String k = byOrd[(int) (ref >>> 16)].keys();
            int at = (int) (ref & 0xffff);
            if (!k.startsWith(p, at)) {
                return false;
            }
            return k.indexOf('\n', at) < 0 || k.indexOf('\n', at) >= at + p.length();
        }

        /** @return the length of the i-th sorted whole-name key */
        int fullKeyLength(int i) {
            long ref = fullRefs[i];
            String k = byOrd[(int) (ref >>> 16)].keys();
            int at = (int) (ref & 0xffff);
            int end = k.indexOf('\n', at);
            return (end < 0 ? k.length() : end) - at;
        }

        /** Fills {@link #top}: for every prefix with more than LARGE word occurrences, its best TOP titles. */
        private void listCommonPrefixes() {
            int[] seen = new int[byOrd.length];
            int group = 0;
            for (int length = 1; length <= MAX_LISTED_PREFIX; length++) {
                boolean any = false;
                int i = 0;
                while (i < words.length) {
                    if (words[i].length() < length) {
                        i++;
                        continue;
                    }
                    String p = words[i].substring(0, length);
                    int[] range = wordRange(p);
                    if (cumulative[range[1]] - cumulative[range[0]] > LARGE) {
                        any = true;
                        group++;
                        Features f = new Features(p);
                        Heap heap = new Heap(TOP);
                        for (int w = range[0]; w < range[1]; w++) {
                            for (int ord : postings[w]) {
                                if (seen[ord] != group) {
                                    seen[ord] = group;
                                    heap.offer(f.score(this, ord), ord);
                                }
                            }
                        }
                        top.put(p, heap.sortedOrds());
                    }
                    i = Math.max(i + 1, range[1]);
                }
                if (!any) {
                    break;
                }
            }
        }

        /** @return [from, to) of the words starting with {@code prefix} */
        int[] wordRange(String prefix) {
            return range(words, prefix);
        }

        /** @return [from, to) of the whole-name keys ({@link #fullRefs}) starting with {@code prefix} */
        int[] fullRange(String prefix) {
            long pHead = head(prefix, 0);
            long mask = -1L << (16 * (HEAD - Math.min(HEAD, prefix.length())));
            if (prefix.length() == 0) {
                mask = 0;
            }
            int lo = 0;
            int hi = fullRefs.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (compareKey(mid, prefix, pHead) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int from = lo;
            hi = fullRefs.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (keyStartsWith(mid, prefix, pHead, mask)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return new int[]{from, lo};
        }

        private static int[] range(String[] sorted, String prefix) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid].compareTo(prefix) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int from = lo;
            hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid].startsWith(prefix)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return new int[]{from, lo};
        }
    }

    /** A bounded min-heap of (score, ordinal): keeps the best {@code capacity}. */
    private static final class Heap {
        private final float[] scores;
        private final int[] ords;
        private int size;

        Heap(int capacity) {
            scores = new float[capacity];
            ords = new int[capacity];
        }

        /** whether a is worse than b: lower score, or equal score and a later ordinal */
        private boolean worse(int a, int b) {
            return scores[a] < scores[b] || (scores[a] == scores[b] && ords[a] > ords[b]);
        }

        void offer(float score, int ord) {
            if (score < 0) {
                return;
            }
            if (size < scores.length) {
                scores[size] = score;
                ords[size] = ord;
                int i = size++;
                while (i > 0 && worse(i, (i - 1) / 2)) {
                    swap(i, (i - 1) / 2);
                    i = (i - 1) / 2;
                }
                return;
            }
            if (score < scores[0] || (score == scores[0] && ord > ords[0])) {
                return;
            }
            scores[0] = score;
            ords[0] = ord;
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                int r = l + 1;
                int m = i;
                if (l < size && worse(l, m)) {
                    m = l;
                }
                if (r < size && worse(r, m)) {
                    m = r;
                }
                if (m == i) {
                    break;
                }
                swap(i, m);
                i = m;
            }
        }

        private void swap(int a, int b) {
            float s = scores[a];
            scores[a] = scores[b];
            scores[b] = s;
            int o = ords[a];
            ords[a] = ords[b];
            ords[b] = o;
        }

        int[] sortedOrds() {
            Integer[] idx = new Integer[size];
            for (int i = 0; i < size; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> worse(a, b) ? 1 : worse(b, a) ? -1 : 0);
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = ords[idx[i]];
            }
            return out;
        }
    }

    /** A growable int array that skips a value equal to the last one (ordinals arrive in order). */
    private static final class IntList {
        private int[] values = new int[4];
        private int size;

        void addDistinct(int v) {
            if (size > 0 && values[size - 1] == v) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
