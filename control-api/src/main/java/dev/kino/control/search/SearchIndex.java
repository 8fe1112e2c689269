package dev.kino.control.search;

import dev.kino.control.catalog.SearchableTitle;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.MultiCollector;
import org.apache.lucene.search.PointRangeQuery;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.Query;
import org.apache.lucene.index.QueryTimeoutImpl;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * This node's Lucene index of the catalogue's titles: one document per title with its names (folded, keyed,
 * romaji, prefixes), its synopses' words and stems, genres, tags, studios and people (cast and staff), the filters and facets (type, year,
 * genre, audio and subtitle languages, published, minimum age) and a ranking boost from the weighted rating and
 * popularity. The index lives in a temporary directory (memory-mapped) and is rebuilt from PostgreSQL at start;
 * {@link TitleSearch} keeps it current. Thread-safe: writes are serialised by Lucene, searches see the last
 * {@link #refresh()}.
 */
final class SearchIndex implements Closeable {
    /** Prefixes of name words are indexed up to this many characters (longer prefixes: a prefix query). */
    static final int MAX_INDEXED_PREFIX = 16;

    // name relevance tiers (constant scores; the word clauses add up, the boost multiplies by 1 to 1.2)
    static final float EXACT_NAME = 1000;
    static final float NAME_PREFIX = 300;
    static final float NAME_WORD = 100;
    static final float NAME_WORD_PREFIX = 70;
    static final float NAME_WORD_TYPO = 40;
    static final float NAME_WORD_PREFIX_TYPO = 35;
    static final float TEXT_WORD = 30;
    static final float TEXT_WORD_PREFIX = 20;
    static final float TEXT_WORD_TYPO = 10;

    private final Path dir;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** Suggestions' own structure, fed by the same writes as the index. */
    private final TitleSuggester suggester = new TitleSuggester();
    /** Rebuilds the suggestions' snapshot after changes, off the writers' and the requests' threads. */
    private final java.util.concurrent.ScheduledExecutorService suggesterRebuilds =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kino-search-suggest-rebuild");
                t.setDaemon(true);
                return t;
            });
    private final java.util.concurrent.atomic.AtomicBoolean suggesterRebuildScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Set by the first {@link #compact()}: before it (the first build) changes wait for it, not for a rebuild. */
    private volatile boolean compacted;

    SearchIndex() {
        try {
            dir = Files.createTempDirectory("kino-search");
            directory = new MMapDirectory(dir);
            IndexWriterConfig config = new IndexWriterConfig(new org.apache.lucene.analysis.core.KeywordAnalyzer());
            config.setRAMBufferSizeMB(64);
            writer = new IndexWriter(directory, config);
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What is kept with a title for rendering its hits (in {@link StoredCodec}'s binary form in the {@code doc}
     * binary doc values: read by random access, where stored fields decompress an LZ4 block per hit, which was a
     * tenth of a search's CPU).
     */
    record Stored(UUID id, String kind, Integer year, int minAge, String originalTitle, String originalLanguage,
                  List<List<String>> names, List<String> genres, List<String> tags, List<String> studios,
                  List<String> people, Map<String, String> synopses, List<List<Highlighter.Span>> nameSpans) {
        /**
         * With {@code nameSpans} made from the names: each name's {@link Highlighter#spans}, computed once when the
         * title is indexed (folding, keys and Japanese readings of every name of every hit were a tenth of a search's
         * CPU time and a fifth of a suggestion's when done per request).
         */
        Stored(UUID id, String kind, Integer year, int minAge, String originalTitle, String originalLanguage,
               List<List<String>> names, List<String> genres, List<String> tags, List<String> studios,
               List<String> people, Map<String, String> synopses) {
            this(id, kind, year, minAge, originalTitle, originalLanguage, names, genres, tags, studios, people, synopses,
                    names == null ? List.of() : names.stream().map(n -> Highlighter.spans(n.get(1))).toList());
        }
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /** Adds or replaces titles' documents (visible after {@link #refresh()}). */
    void upsert(Collection<SearchableTitle> titles, double meanRating) {
        try {
            for (SearchableTitle t : titles) {
                writer.updateDocument(new Term("id", t.id().toString()), document(t, meanRating));
                suggester.put(t.id(), boost(t.popularity(), t.ratingCount(), t.ratingSum(), meanRating),
                        t.published(), t.minAge(), nameForms(t));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete(UUID id) {
        try {
            writer.deleteDocuments(new Term("id", id.toString()));
            suggester.delete(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void updateBoost(UUID id, double boost) {
        try {
            writer.updateNumericDocValue(new Term("id", id.toString()), "boost", Double.doubleToRawLongBits(boost));
            suggester.updateBoost(id, boost);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // changes after the first build: folded into the suggestions' arrays a few seconds later (a rebuild costs
        // seconds of CPU for 200,000 titles; until then suggestions score the pending changes one by one)
        if (compacted && suggester.pending() > 0 && suggesterRebuildScheduled.compareAndSet(false, true)) {
            suggesterRebuilds.schedule(() -> {
                suggesterRebuildScheduled.set(false);
                try {
                    suggester.rebuild();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(SearchIndex.class).warn("suggestions rebuild failed", e);
                }
            }, SUGGESTER_REBUILD_DELAY_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Delay before pending changes are folded into the suggestions' arrays (changes arriving meanwhile join). */
    static final long SUGGESTER_REBUILD_DELAY_SECONDS = 5;

    /**
     * Merges the index into one segment and makes it visible. Called after a bulk build: every query's term
     * expansions (prefix, fuzzy) and scorer set-up are done once per segment, and a build in batches leaves dozens
     * of them (later single-title updates add small segments the merge policy folds in).
     */
    void compact() {
        try {
            writer.forceMerge(1);
            searchers.maybeRefreshBlocking();
            suggester.rebuild();
            compacted = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the ranking boost of a title: 1 + 0.1 × popularity (log, 1 at a million plays) + 0.1 × rating */
    static double boost(long popularity, int ratingCount, long ratingSum, double meanRating) {
        double pop = Math.min(1, Math.log10(1 + Math.max(0, popularity)) / 6);
        double mean = meanRating > 0 ? meanRating : 5.5;
        double weighted = (ratingSum + 10 * mean) / (ratingCount + 10.0);
        double rating = Math.max(0, Math.min(1, (weighted - 1) / 9));
        return 1 + 0.1 * pop + 0.1 * rating;
    }

    private static Document document(SearchableTitle t, double meanRating) {
        Document d = new Document();
        d.add(new StringField("id", t.id().toString(), Field.Store.NO));
        Map<String, String> names = new LinkedHashMap<>();
        names.put(t.originalTitle(), t.originalLanguage() == null ? "original" : t.originalLanguage());
        t.names().forEach((lang, name) -> names.putIfAbsent(name, lang));
        Set<String> full = new LinkedHashSet<>();
        Set<String> starts = new LinkedHashSet<>();
        Set<String> words = new LinkedHashSet<>();
        Set<String> prefixes = new LinkedHashSet<>();
        List<List<String>> storedNames = new ArrayList<>();
        names.forEach((name, lang) -> {
            storedNames.add(List.of(lang, name));
            for (String f : forms(name)) {
                full.add(f);
                String keys = SearchText.keys(f);
                full.add(keys);
                for (int i = 2; i <= Math.min(keys.length(), MAX_INDEXED_PREFIX); i++) {
                    starts.add(keys.substring(0, i));
                }
                for (String w : SearchText.words(f)) {
                    String k = SearchText.key(w);
                    words.add(k);
                    for (int i = 1; i <= Math.min(k.length(), MAX_INDEXED_PREFIX); i++) {
                        prefixes.add(k.substring(0, i));
                    }
                }
            }
        });
        full.forEach(f -> d.add(new StringField("nfull", f, Field.Store.NO)));
        // name prefixes as terms: the name-prefix tier is one term's postings (which top-k search can skip through),
        // not a prefix query expanded over a million whole names and turned into a bit set on every keystroke
        starts.forEach(p -> d.add(new StringField("nstart", p, Field.Store.NO)));
        words.forEach(w -> d.add(new StringField("nword", w, Field.Store.NO)));
        prefixes.forEach(p -> d.add(new StringField("nprefix", p, Field.Store.NO)));

        Set<String> text = new LinkedHashSet<>();
        Set<String> stems = new LinkedHashSet<>();
        t.synopses().forEach((lang, synopsis) -> {
            for (String w : SearchText.words(SearchText.fold(synopsis))) {
                text.add(SearchText.key(w));
            }
            stems.addAll(SearchText.stems(synopsis, lang));
        });
        for (String s : Stream.of(t.genres(), t.tags(), t.studios(), t.people()).flatMap(List::stream).toList()) {
            for (String w : SearchText.words(SearchText.fold(s))) {
                text.add(SearchText.key(w));
            }
            stems.addAll(SearchText.stems(s, null));
        }
        text.forEach(w -> d.add(new StringField("tword", w, Field.Store.NO)));
        stems.forEach(s -> d.add(new StringField("tstem", s, Field.Store.NO)));

        d.add(new StringField("kind", t.kind(), Field.Store.NO));
        d.add(new SortedSetDocValuesField("f_type", new BytesRef(t.kind())));
        d.add(new StringField("pub", t.published() ? "1" : "0", Field.Store.NO));
        d.add(new IntPoint("age", t.minAge()));
        if (t.year() != null) {
            d.add(new IntPoint("year", t.year()));
            d.add(new NumericDocValuesField("f_year", t.year()));
        }
        for (String g : t.genres()) {
            d.add(new StringField("genre", g, Field.Store.NO));
            d.add(new SortedSetDocValuesField("f_genre", new BytesRef(g)));
        }
        langs(d, "audio_pub", t.audio());
        langs(d, "audio_all", t.audioAll());
        langs(d, "sub_pub", t.subtitles());
        langs(d, "sub_all", t.subtitlesAll());
        d.add(new DoubleDocValuesField("boost", boost(t.popularity(), t.ratingCount(), t.ratingSum(), meanRating)));
        Map<String, String> synopses = new LinkedHashMap<>();
        t.synopses().forEach((lang, s) -> synopses.put(lang, s.length() > 4000 ? s.substring(0, 4000) : s));
        Stored stored = new Stored(t.id(), t.kind(), t.year(), t.minAge(), t.originalTitle(), t.originalLanguage(),
                storedNames, t.genres(), t.tags(), t.studios(), t.people(), synopses);
        d.add(new BinaryDocValuesField("doc", new BytesRef(StoredCodec.encode(stored))));
        // what a suggestion renders (names, type, year), without the synopses, tags and people: a tenth of the bytes
        // to read per suggested title
        d.add(new BinaryDocValuesField("sdoc", new BytesRef(StoredCodec.encode(new Stored(t.id(), t.kind(), t.year(),
                t.minAge(), t.originalTitle(), t.originalLanguage(), storedNames, t.genres(), List.of(), List.of(),
                List.of(), Map.of(), stored.nameSpans())))));
        return d;
    }

    /** @return the folded forms a name is indexed under: itself folded, and its romaji reading when Japanese */
    static List<String> forms(String name) {
        List<String> forms = new ArrayList<>(2);
        forms.add(SearchText.fold(name));
        if (SearchText.hasJapanese(name)) {
            forms.add(SearchText.romaji(name));
        }
        return forms;
    }

    /**
     * A title's names as its {@code nfull}, {@code nstart}, {@code nword} and {@code nprefix} terms are made of them.
     *
     * @param keys the keys ({@link SearchText#keys}) of every name form, distinct
     * @param folded the folded forms that are not also keys (a name's {@code nfull} terms are both)
     */
    record NameForms(List<String> keys, List<String> folded) {
    }

    static NameForms nameForms(SearchableTitle t) {
        Set<String> names = new LinkedHashSet<>();
        names.add(t.originalTitle());
        names.addAll(t.names().values());
        Set<String> keys = new LinkedHashSet<>();
        Set<String> folded = new LinkedHashSet<>();
        for (String name : names) {
            for (String f : forms(name)) {
                keys.add(SearchText.keys(f));
                folded.add(f);
            }
        }
        folded.removeAll(keys);
        return new NameForms(List.copyOf(keys), List.copyOf(folded));
    }

    private static void langs(Document d, String field, Set<String> languages) {
        for (String l : languages) {
            d.add(new StringField(field, l, Field.Store.NO));
            d.add(new SortedSetDocValuesField("f_" + field, new BytesRef(l)));
        }
    }

    // ---- searching ------------------------------------------------------------------------------------------

    /**
     * Filters of a search.
     *
     * @param admin sees unpublished titles, and facets over all media's languages
     * @param maxAge highest minimum age the viewer may see
     */
    record Filters(boolean admin, int maxAge, String kind, String genre, Integer year, String audio, String subtitle) {
    }

    /** A hit before rendering. */
    record Found(UUID id, float score, Stored stored) {
    }

    /** The index's answer. */
    record Answer(List<Found> found, long total, Map<String, Map<String, Long>> facets, boolean partial) {
    }

    /**
     * @param q the query (not empty)
     * @param namesOnly match names only (suggestions)
     * @param n how many hits to return from the top
     * @param facets whether to count facets over every match
     * @param budgetMillis time after which the search stops and answers what it has ({@code partial})
     */
    Answer search(ParsedQuery q, Filters f, boolean namesOnly, int n, boolean facets, long budgetMillis) {
        // one searcher for the whole search (its passes and the probe see one version of the index), and its terms
        // looked up once for all passes
        return withSearcher(shared -> search(shared, new TermLookups(shared.getIndexReader()), q, f, namesOnly, n,
                facets, budgetMillis));
    }

    private Answer search(IndexSearcher shared, TermLookups terms, ParsedQuery q, Filters f, boolean namesOnly, int n,
                          boolean facets, long budgetMillis) throws IOException {
        Query filters = filters(f);
        Set<String> typoKeys = typoKeys(q);
        if (typoKeys.isEmpty()) {
            Answer a = run(shared, query(terms, q, namesOnly, false, Set.of(), filters), f, n, facets, budgetMillis);
            if (a.total() == 0 && q.words().size() > 1) {
                a = run(shared, query(terms, q, namesOnly, true, Set.of(), filters), f, n, facets, budgetMillis);
            }
            return a;
        }
        // Typo expansions (an automaton intersected with the terms dictionary, fifty terms per word and field) are
        // the dearest clauses. Like Algolia's typoTolerance "min", they are left out when the query without them
        // already has a strong answer: a best hit scoring above anything a title needing a typo can reach (a
        // name-word match for each other word plus one typo match, times the largest ranking boost; a full-name
        // match needs no typo). The answer is then the typo-free matches only, total and facets included; a query
        // whose words are all found as typed is not padded with look-alikes.
        Answer a = run(shared, query(terms, q, namesOnly, false, Set.of(), filters), f, n, facets, budgetMillis);
        float typoBound = ((q.words().size() - 1) * NAME_WORD + NAME_WORD_TYPO) * RankingBoostQuery.MAX_FACTOR;
        if (!a.found().isEmpty() && a.found().get(0).score() > typoBound) {
            return a;
        }
        // Then, as a spelling corrector's "suggest when not in the index" mode (Lucene's
        // SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX, Elasticsearch's term suggester "missing"), only the words that no
        // title has as typed get their look-alikes: a misspelt word among correct ones costs one expansion, not
        // one per word. Only when that finds nothing do the words found as typed get theirs too (a typo that made
        // another real word), except when the whole query is a name some title has (typed right: a title the
        // viewer may not see is not answered with look-alikes of every word).
        Probe probe = probe(terms, q, namesOnly, typoKeys);
        Set<String> unknown = probe.unknownKeys();
        Answer typoAnswer = null;
        if (!unknown.isEmpty()) {
            typoAnswer = run(shared, query(terms, q, namesOnly, false, unknown, filters), f, n, facets, budgetMillis);
        }
        Set<String> relaxedKeys = unknown;
        if ((typoAnswer == null || typoAnswer.total() == 0) && !probe.existingName()) {
            relaxedKeys = typoKeys;
            if (!unknown.equals(typoKeys)) {
                typoAnswer = run(shared, query(terms, q, namesOnly, false, typoKeys, filters), f, n, facets, budgetMillis);
            }
        }
        if (typoAnswer != null) {
            withTypoClauses.increment();
            a = typoAnswer; // its matches include the typo-free ones: every word's clause only gained alternatives
        }
        if (a.total() == 0 && q.words().size() > 1) {
            a = run(shared, query(terms, q, namesOnly, true, relaxedKeys, filters), f, n, facets, budgetMillis);
        }
        return a;
    }

    /** @return the keys of the query's words that may have typos ({@link #typos} above 0) */
    private static Set<String> typoKeys(ParsedQuery q) {
        Set<String> keys = new LinkedHashSet<>();
        for (ParsedQuery.Word w : q.words()) {
            if (typos(w) > 0) {
                keys.add(w.key());
            }
        }
        return keys;
    }

    /**
     * What the terms dictionary says about a query, before its typo clauses are built.
     *
     * @param unknownKeys keys (of {@code typoKeys}) that no title has as typed: not a name word, not a word of the
     *                    other texts (unless names only), and for the last word not a name word's indexed prefix
     * @param existingName whether the whole query is some title's full name (any of its folded, key or romaji forms)
     */
    private record Probe(Set<String> unknownKeys, boolean existingName) {
    }

    private static Probe probe(TermLookups terms, ParsedQuery q, boolean namesOnly, Set<String> typoKeys)
            throws IOException {
        Set<String> unknown = new LinkedHashSet<>();
        for (ParsedQuery.Word w : q.words()) {
            String k = w.key();
            if (!typoKeys.contains(k)) {
                continue;
            }
            boolean known = terms.docFreq("nword", k) > 0
                    || (!namesOnly && terms.docFreq("tword", k) > 0)
                    || (w.last() && k.length() <= MAX_INDEXED_PREFIX && terms.docFreq("nprefix", k) > 0);
            if (!known) {
                unknown.add(k);
            }
        }
        boolean existingName = false;
        for (String full : fullNames(q)) {
            if (!full.isEmpty() && terms.docFreq("nfull", full) > 0) {
                existingName = true;
                break;
            }
        }
        return new Probe(unknown, existingName);
    }

    /**
     * The terms of one search, each looked up once in the terms dictionary (per segment) and shared by its passes
     * (without typos, with them, relaxed) and its probe: a {@link TermQuery} given its {@link TermStates} does not
     * look its term up again, where each new query otherwise creates a terms enumeration per term and segment and
     * walks the dictionary again (a fifth of a search's allocation was these enumerations). One enumeration per
     * field and segment serves every term of the field. Not thread-safe: one search's.
     */
    private static final class TermLookups {
        private final IndexReader reader;
        private final Map<Term, TermStates> states = new HashMap<>();
        private final Map<String, org.apache.lucene.index.TermsEnum[]> enums = new HashMap<>();

        TermLookups(IndexReader reader) {
            this.reader = reader;
        }

        /** @return a term query that uses this search's lookup of the term */
        TermQuery query(String field, String text) throws IOException {
            Term t = new Term(field, text);
            return new TermQuery(t, states(t));
        }

        /** @return documents with the term (deleted ones included, as {@link IndexReader#docFreq}) */
        int docFreq(String field, String text) throws IOException {
            return states(new Term(field, text)).docFreq();
        }

        private TermStates states(Term t) throws IOException {
            TermStates known = states.get(t);
            if (known != null) {
                return known;
            }
            List<LeafReaderContext> leaves = reader.leaves();
            org.apache.lucene.index.TermsEnum[] perLeaf = enums.get(t.field());
            if (perLeaf == null) {
                perLeaf = new org.apache.lucene.index.TermsEnum[leaves.size()];
                for (LeafReaderContext leaf : leaves) {
                    org.apache.lucene.index.Terms terms = leaf.reader().terms(t.field());
                    perLeaf[leaf.ord] = terms == null ? null : terms.iterator();
                }
                enums.put(t.field(), perLeaf);
            }
            TermStates ts = new TermStates(reader.getContext());
            for (LeafReaderContext leaf : leaves) {
                org.apache.lucene.index.TermsEnum te = perLeaf[leaf.ord];
                if (te != null && te.seekExact(t.bytes())) {
                    ts.register(te.termState(), leaf.ord, te.docFreq(), te.totalTermFreq());
                }
            }
            states.put(t, ts);
            return ts;
        }
    }

    /** Work on the current index searcher, which may throw {@link IOException}. */
    private interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /**
     * @return {@code work}'s result on the current searcher, acquired and released around it
     * @throws UncheckedIOException when the index cannot be read
     */
    private <T> T withSearcher(SearcherWork<T> work) {
        IndexSearcher searcher;
        try {
            searcher = searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return work.apply(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                searchers.release(searcher);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** @return the forms of the whole query matched against full names: folded, keys, and romaji with its keys */
    private static Set<String> fullNames(ParsedQuery q) {
        Set<String> fulls = new LinkedHashSet<>(List.of(q.folded(), q.keys()));
        if (q.romaji() != null) {
            fulls.add(q.romaji());
            fulls.add(SearchText.keys(q.romaji()));
        }
        return fulls;
    }

    /**
     * As-you-type suggestions: what {@link #search} answers with {@code namesOnly} and no facets, from
     * {@link TitleSuggester}'s arrays when they can answer (a query matching as typed), else from the query path.
     */
    Answer suggest(ParsedQuery q, Filters f, int n, long budgetMillis) {
        List<TitleSuggester.Scored> fast = suggester.suggest(q, f.admin(), f.maxAge(), n);
        if (fast == null) {
            suggestionsByQuery.increment();
            return search(q, f, true, n, false, budgetMillis);
        }
        suggestionsByArrays.increment();
        return withSearcher(searcher -> {
            List<UUID> ids = new ArrayList<>(fast.size());
            fast.forEach(s -> ids.add(s.id()));
            Stored[] stored = stored(searcher, ids, "sdoc");
            List<Found> found = new ArrayList<>(fast.size());
            for (int i = 0; i < stored.length; i++) {
                if (stored[i] != null) { // null: written, not yet visible to searches
                    found.add(new Found(fast.get(i).id(), fast.get(i).score(), stored[i]));
                }
            }
            return new Answer(found, found.size(), Map.of(), false);
        });
    }

    /** Searches (and suggestions on the query path) that ran with typo clauses (the benchmark prints them). */
    final java.util.concurrent.atomic.LongAdder withTypoClauses = new java.util.concurrent.atomic.LongAdder();

    /** Suggestions answered from {@link TitleSuggester}'s arrays, and by the query path (the benchmark prints them). */
    final java.util.concurrent.atomic.LongAdder suggestionsByArrays = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder suggestionsByQuery = new java.util.concurrent.atomic.LongAdder();

    /**
     * @return the titles' stored forms from their live documents, in the order of {@code ids}; null for a title the
     *         searcher has none of. One terms enumeration and one doc-values reader per segment for all of them (an
     *         enumeration per title was a tenth of a suggestion's CPU time and allocation)
     */
    private static Stored[] stored(IndexSearcher searcher, List<UUID> ids, String field) throws IOException {
        Stored[] out = new Stored[ids.size()];
        int[] docs = new int[ids.size()];
        org.apache.lucene.index.PostingsEnum pe = null;
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            org.apache.lucene.index.Terms terms = leaf.reader().terms("id");
            if (terms == null) {
                continue;
            }
            org.apache.lucene.index.TermsEnum te = terms.iterator();
            org.apache.lucene.util.Bits live = leaf.reader().getLiveDocs();
            int found = 0;
            for (int i = 0; i < ids.size(); i++) {
                docs[i] = -1;
                if (out[i] != null || !te.seekExact(new BytesRef(ids.get(i).toString()))) {
                    continue;
                }
                pe = te.postings(pe, org.apache.lucene.index.PostingsEnum.NONE);
                for (int doc = pe.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
                     doc = pe.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        docs[i] = doc;
                        found++;
                        break;
                    }
                }
            }
            if (found == 0) {
                continue;
            }
            // doc values are read forwards: the titles in document order
            Integer[] order = new Integer[ids.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> docs[i]));
            BinaryDocValues values = leaf.reader().getBinaryDocValues(field);
            for (int i : order) {
                if (docs[i] < 0) {
                    continue;
                }
                if (values == null || !values.advanceExact(docs[i])) {
                    throw new IllegalStateException("indexed title without its doc values: " + (leaf.docBase + docs[i]));
                }
                out[i] = StoredCodec.decode(values.binaryValue());
            }
        }
        return out;
    }

    /**
     * @return the hits with their stored forms, in the order given: read in document order with one doc-values
     *         reader per segment (a reader per hit was 5 % of a search's allocation)
     */
    private static List<Found> found(IndexSearcher searcher, ScoreDoc[] hits) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        Integer[] order = new Integer[hits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> hits[i].doc));
        Stored[] stored = new Stored[hits.length];
        LeafReaderContext leaf = null;
        BinaryDocValues values = null;
        for (int i : order) {
            int doc = hits[i].doc;
            if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                values = leaf.reader().getBinaryDocValues("doc");
            }
            if (values == null || !values.advanceExact(doc - leaf.docBase)) {
                throw new IllegalStateException("indexed title without its doc values: " + doc);
            }
            stored[i] = StoredCodec.decode(values.binaryValue());
        }
        List<Found> found = new ArrayList<>(hits.length);
        for (int i = 0; i < hits.length; i++) {
            found.add(new Found(stored[i].id(), hits[i].score, stored[i]));
        }
        return found;
    }

    /** @param shared the searcher acquired for the search (its reader is searched; its settings are this pass's) */
    private Answer run(IndexSearcher shared, Query query, Filters f, int n, boolean withFacets, long budgetMillis)
            throws IOException {
        IndexSearcher searcher = new IndexSearcher(shared.getIndexReader());
        searcher.setQueryCache(FILTER_CACHE);
        searcher.setQueryCachingPolicy(FILTERS_ONLY);
        searcher.setTimeout(new QueryTimeoutImpl(budgetMillis));
        // With facets every match is visited anyway (counted and scored in one pass: a separate non-scoring
        // facet pass plus a pruned top-k pass measured slower, twice the iteration over broad queries); without
        // them (suggestions) the top k is collected in Lucene's "top scores" mode, which skips what cannot
        // enter it and counts matches only up to k.
        //
        // A query's total and facets depend only on the query (filters included) and the index's contents: they
        // are kept per index version, so a repeated query (the next page, the popular searches) only collects
        // its top k, which skips what cannot enter it; the first time, every match is visited as above.
        long version = ((DirectoryReader) shared.getIndexReader()).getVersion();
        Counted counted = withFacets ? counted(query, f.admin(), version) : null;
        FacetCounter counter = withFacets && counted == null ? new FacetCounter(f.admin()) : null;
        TopScoreDocCollector top = TopScoreDocCollector.create(Math.max(1, n),
                counter != null ? Integer.MAX_VALUE : Math.max(1, n));
        searcher.search(query, counter == null ? top : MultiCollector.wrap(top, counter));
        TopDocs docs = top.topDocs();
        long total;
        Map<String, Map<String, Long>> facets;
        if (counted != null) {
            total = counted.total();
            facets = counted.facets();
        } else if (counter != null) {
            total = counter.matches();
            facets = counter.result();
            if (!searcher.timedOut()) {
                remember(query, f.admin(), version, new Counted(total, facets));
            }
        } else {
            total = docs.totalHits.value;
            facets = Map.of();
        }
        return new Answer(found(searcher, docs.scoreDocs), total, facets, searcher.timedOut());
    }

    /** A query's exact total and facet counts over its whole matching set. */
    record Counted(long total, Map<String, Map<String, Long>> facets) {
    }

    private record CountedKey(Query query, boolean admin) {
    }

    /** Queries' totals and facets, for one index version (emptied when the version changes). */
    static final int COUNTED_QUERIES = 2048;
    private final Map<CountedKey, Counted> counted = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CountedKey, Counted> eldest) {
            return size() > COUNTED_QUERIES;
        }
    };
    private long countedVersion = -1;
    /** Searches whose total and facets came from {@link #counted} (tests and the benchmark look). */
    final java.util.concurrent.atomic.LongAdder countedHits = new java.util.concurrent.atomic.LongAdder();

    /** Forgets every kept total and facet count (they are counted again on the next search). */
    void forgetCounts() {
        synchronized (counted) {
            counted.clear();
        }
    }

    private Counted counted(Query query, boolean admin, long version) {
        synchronized (counted) {
            if (version != countedVersion) {
                return null;
            }
            Counted c = counted.get(new CountedKey(query, admin));
            if (c != null) {
                countedHits.increment();
            }
            return c;
        }
    }

    private void remember(Query query, boolean admin, long version, Counted c) {
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        c.facets().forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        synchronized (counted) {
            if (version > countedVersion) {
                counted.clear();
                countedVersion = version;
            }
            if (version == countedVersion) {
                counted.put(new CountedKey(query, admin), new Counted(c.total(), Map.copyOf(copy)));
            }
        }
    }

    /**
     * Cached filters: the visibility filter (published, minimum age) matches most of the index and a point range
     * over 200,000 titles was rebuilt as a bit set on every search; the few combinations viewers have are kept per
     * segment (Lucene's LRU cache, here only for the filter clauses: whole queries are not cached).
     */
    private static final LRUQueryCache FILTER_CACHE = new LRUQueryCache(256, 16L << 20, leaf -> true, 1_000);
    private static final QueryCachingPolicy FILTERS_ONLY = new QueryCachingPolicy() {
        @Override
        public void onUse(Query query) {
        }

        @Override
        public boolean shouldCache(Query query) {
            if (query instanceof BooleanQuery b) {
                return b.clauses().stream().allMatch(c -> c.getOccur() == BooleanClause.Occur.FILTER);
            }
            return query instanceof PointRangeQuery p && p.getField().equals("age")
                    || query instanceof TermQuery t && t.getTerm().field().equals("pub");
        }
    };

    private static Query boosted(Query q, float boost) {
        return new BoostQuery(new ConstantScoreQuery(q), boost);
    }

    /**
     * @param typoKeys keys of the words that get typo clauses (each within its {@link #typos} budget)
     */
    private static Query query(TermLookups terms, ParsedQuery q, boolean namesOnly, boolean relaxed,
                               Set<String> typoKeys, Query filters) throws IOException {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (ParsedQuery.Word w : q.words()) {
            b.add(word(terms, w, namesOnly, typoKeys.contains(w.key())),
                    relaxed ? BooleanClause.Occur.SHOULD : BooleanClause.Occur.MUST);
        }
        if (relaxed) {
            b.setMinimumNumberShouldMatch(Math.max(1, q.words().size() - 1));
        }
        for (String full : fullNames(q)) {
            if (!full.isEmpty()) {
                b.add(boosted(terms.query("nfull", full), EXACT_NAME), BooleanClause.Occur.SHOULD);
            }
        }
        String prefix = q.romaji() != null ? SearchText.keys(q.romaji()) : q.keys();
        if (prefix.length() >= 2) {
            b.add(boosted(prefix.length() <= MAX_INDEXED_PREFIX ? terms.query("nstart", prefix)
                    : new TermPrefixQuery(new Term("nfull", prefix)), NAME_PREFIX), BooleanClause.Occur.SHOULD);
        }
        if (q.words().isEmpty()) {
            b.add(new ConstantScoreQuery(new org.apache.lucene.search.MatchAllDocsQuery()), BooleanClause.Occur.SHOULD);
        }
        b.add(filters, BooleanClause.Occur.FILTER);
        return new RankingBoostQuery(b.build(), "boost");
    }

    private static Query word(TermLookups terms, ParsedQuery.Word w, boolean namesOnly, boolean withTypos)
            throws IOException {
        List<Query> alts = new ArrayList<>();
        String k = w.key();
        alts.add(boosted(terms.query("nword", k), NAME_WORD));
        if (w.last()) {
            alts.add(boosted(k.length() <= MAX_INDEXED_PREFIX ? terms.query("nprefix", k)
                    : new TermPrefixQuery(new Term("nword", k)), NAME_WORD_PREFIX));
        }
        int typos = withTypos ? typos(w) : 0;
        if (typos > 0) {
            alts.add(boosted(new TypoQuery(new Term("nword", k), typos, 0), NAME_WORD_TYPO));
            if (w.last() && k.length() <= MAX_INDEXED_PREFIX) {
                alts.add(boosted(new TypoQuery(new Term("nprefix", k), typos, 1), NAME_WORD_PREFIX_TYPO));
            }
        }
        if (!namesOnly) {
            alts.add(boosted(terms.query("tword", k), TEXT_WORD));
            for (String stem : w.stems()) {
                alts.add(boosted(terms.query("tstem", stem), TEXT_WORD));
            }
            if (w.last() && k.length() >= 3) {
                alts.add(boosted(new TermPrefixQuery(new Term("tword", k)), TEXT_WORD_PREFIX));
            }
            if (typos > 0) {
                alts.add(boosted(new TypoQuery(new Term("tword", k), typos, 1), TEXT_WORD_TYPO));
            }
        }
        return new DisjunctionMaxQuery(alts, 0f);
    }

    /** @return the edits allowed in a word's key (its folded length's budget, less for short keys) */
    static int typos(ParsedQuery.Word w) {
        int length = w.key().length();
        return Math.min(w.typos(), length <= 3 ? 0 : length <= 5 ? 1 : 2);
    }

    private static Query filters(Filters f) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        if (!f.admin()) {
            b.add(new TermQuery(new Term("pub", "1")), BooleanClause.Occur.FILTER);
        }
        b.add(IntPoint.newRangeQuery("age", 0, f.maxAge()), BooleanClause.Occur.FILTER);
        if (f.kind() != null) {
            b.add(new TermQuery(new Term("kind", f.kind())), BooleanClause.Occur.FILTER);
        }
        if (f.genre() != null) {
            b.add(new TermQuery(new Term("genre", f.genre())), BooleanClause.Occur.FILTER);
        }
        if (f.year() != null) {
            b.add(IntPoint.newExactQuery("year", f.year()), BooleanClause.Occur.FILTER);
        }
        String scope = f.admin() ? "_all" : "_pub";
        if (f.audio() != null) {
            b.add(new TermQuery(new Term("audio" + scope, f.audio())), BooleanClause.Occur.FILTER);
        }
        if (f.subtitle() != null) {
            b.add(new TermQuery(new Term("sub" + scope, f.subtitle())), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    /** Counts facet values over every matching document, per segment by ordinal, then by value. */
    private static final class FacetCounter implements Collector {
        /** Years a title may have ({@code TitleInput}: 1870 to 2200). */
        private static final int FIRST_YEAR = 1870;
        private static final int YEARS = 2200 - FIRST_YEAR + 1;

        private final String audioField;
        private final String subField;
        private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        private long matches;

        FacetCounter(boolean admin) {
            this.audioField = admin ? "f_audio_all" : "f_audio_pub";
            this.subField = admin ? "f_sub_all" : "f_sub_pub";
            for (String facet : List.of("genre", "year", "type", "audio", "subtitle")) {
                counts.put(facet, new HashMap<>());
            }
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
            var reader = ctx.reader();
            SortedSetDocValues genre = reader.getSortedSetDocValues("f_genre");
            SortedSetDocValues type = reader.getSortedSetDocValues("f_type");
            SortedSetDocValues audio = reader.getSortedSetDocValues(audioField);
            SortedSetDocValues sub = reader.getSortedSetDocValues(subField);
            NumericDocValues year = reader.getNumericDocValues("f_year");
            long[] genreCounts = genre == null ? null : new long[(int) genre.getValueCount()];
            long[] typeCounts = type == null ? null : new long[(int) type.getValueCount()];
            long[] audioCounts = audio == null ? null : new long[(int) audio.getValueCount()];
            long[] subCounts = sub == null ? null : new long[(int) sub.getValueCount()];
            // years as offsets from 1870 (the catalogue's earliest) in an array: no boxing per match
            long[] years = new long[YEARS];
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {
                }

                @Override
                public void collect(int doc) throws IOException {
                    matches++;
                    count(genre, genreCounts, doc);
                    count(type, typeCounts, doc);
                    count(audio, audioCounts, doc);
                    count(sub, subCounts, doc);
                    if (year != null && year.advanceExact(doc)) {
                        long y = year.longValue() - FIRST_YEAR;
                        if (y >= 0 && y < YEARS) {
                            years[(int) y]++;
                        }
                    }
                }

                @Override
                public void finish() throws IOException {
                    resolve("genre", genre, genreCounts);
                    resolve("type", type, typeCounts);
                    resolve("audio", audio, audioCounts);
                    resolve("subtitle", sub, subCounts);
                    for (int y = 0; y < YEARS; y++) {
                        if (years[y] > 0) {
                            counts.get("year").merge(Integer.toString(FIRST_YEAR + y), years[y], Long::sum);
                        }
                    }
                }
            };
        }

        private static void count(SortedSetDocValues dv, long[] counts, int doc) throws IOException {
            if (dv != null && dv.advanceExact(doc)) {
                for (int i = 0; i < dv.docValueCount(); i++) {
                    counts[(int) dv.nextOrd()]++;
                }
            }
        }

        private void resolve(String facet, SortedSetDocValues dv, long[] ords) throws IOException {
            if (dv == null) {
                return;
            }
            Map<String, Long> into = counts.get(facet);
            for (int ord = 0; ord < ords.length; ord++) {
                if (ords[ord] > 0) {
                    into.merge(dv.lookupOrd(ord).utf8ToString(), ords[ord], Long::sum);
                }
            }
        }

        Map<String, Map<String, Long>> result() {
            return counts;
        }

        /** @return documents collected */
        long matches() {
            return matches;
        }
    }

    /** @return the facet values of a count map, most frequent first (years: newest first), at most {@code max} */
    static List<Map.Entry<String, Long>> top(Map<String, Long> counts, boolean byValueDescending, int max) {
        // values by number: the keys are non-negative integers as Integer.toString writes them (no sign, no leading
        // zero), whose numeric order is by length, then by text; no parsing per comparison
        Comparator<Map.Entry<String, Long>> order = byValueDescending
                ? Comparator.comparingInt((Map.Entry<String, Long> e) -> e.getKey().length())
                        .thenComparing(Map.Entry::getKey).reversed()
                : Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(order);
        return entries.size() > max ? List.copyOf(entries.subList(0, max)) : entries;
    }

    /** @return the suggestions' structure (tests look at it directly) */
    TitleSuggester suggester() {
        return suggester;
    }

    /** @return segments in the index (after the last refresh) */
    int segments() {
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return s.getIndexReader().leaves().size();
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return documents in the index (after the last refresh) */
    int size() {
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return s.getIndexReader().numDocs();
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            suggesterRebuilds.shutdownNow();
            searchers.close();
            writer.close();
            directory.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
