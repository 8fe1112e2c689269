package dev.kino.control.search;

import dev.kino.control.BadRequestException;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.CatalogFields;
import dev.kino.control.catalog.SearchableTitle;
import dev.kino.control.catalog.TitleStore;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Page;
import dev.kino.control.search.SearchTypes.FacetCount;
import dev.kino.control.search.SearchTypes.Highlight;
import dev.kino.control.search.SearchTypes.SearchFacets;
import dev.kino.control.search.SearchTypes.SearchHit;
import dev.kino.control.search.SearchTypes.SearchResults;
import dev.kino.control.search.SearchTypes.Suggestion;
import dev.kino.control.search.SearchTypes.Suggestions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Title search: the service over this node's {@link SearchIndex}, fed from the catalogue through its API.
 *
 * <p>Keeping the index current: {@link #start()} rebuilds it from {@link Catalog} in the background (searches
 * answer from what is indexed so far meanwhile); every change made through this node's catalogue is indexed at once
 * ({@link Catalog#onTitleChanged}); changes made by other nodes (or by SQL) are picked up by a poll of
 * {@link Catalog#changedSince} every {@code syncInterval}, and plays, votes and deletions by a full comparison of
 * {@link Catalog#figures()} every ten intervals. A write never replaces a newer version of a title by an older one.
 *
 * <pre>{@code
 * TitleSearch search = new TitleSearch(catalog, Duration.ofSeconds(5));
 * search.start();
 * SearchResults r = search.search(new TitleSearch.Request("атака титанів", null, null, null, null, null), viewer,
 *         Page.Cursor.first(20));
 * }</pre>
 */
public final class TitleSearch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TitleSearch.class);
    /** Hits reachable through cursors (the first this many). */
    public static final int MAX_RESULTS = 1000;
    /** Suggestions returned. */
    public static final int SUGGESTIONS = 8;
    /** Longest query, in characters (code points). */
    public static final int MAX_QUERY_LENGTH = 200;
    /** Time budget of one search; past it the answer is what was found so far, marked partial. */
    static final long BUDGET_MILLIS = 250;
    private static final int BATCH = 500;

    private final Catalog catalog;
    private final Duration syncInterval;
    private final SearchIndex index = new SearchIndex();
    private final Map<UUID, Instant> versions = new ConcurrentHashMap<>();
    private final Set<UUID> deleted = ConcurrentHashMap.newKeySet();
    private final Map<UUID, TitleStore.Figures> figures = new ConcurrentHashMap<>();
    private final CountDownLatch built = new CountDownLatch(1);
    private final Object writeLock = new Object();
    private volatile double meanRating;
    private volatile Instant polledUpTo = Instant.EPOCH;
    private final SearchThreadPools pools;
    private ScheduledExecutorService scheduler;

    /**
     * With the shipped thread pools ({@code control.search.*} defaults: processors × 3 / 2 + 1 threads, 1000 waiting).
     *
     * @param catalog the catalogue (the only source of titles)
     * @param syncInterval how often changes from other nodes are polled; zero: never (tests call {@link #sync()})
     */
    public TitleSearch(Catalog catalog, Duration syncInterval) {
        this(catalog, syncInterval, SearchThreadPools.defaults());
    }

    /**
     * @param catalog the catalogue (the only source of titles)
     * @param syncInterval how often changes from other nodes are polled; zero: never (tests call {@link #sync()})
     * @param pools the threads searches and suggestions from the routes run on ({@code control.search.*}); closed
     *              with this
     */
    public TitleSearch(Catalog catalog, Duration syncInterval, dev.kino.common.config.KinoConfig.SearchPools pools) {
        this.catalog = catalog;
        this.syncInterval = syncInterval;
        this.pools = SearchThreadPools.start(pools);
    }

    /** @return the pools the routes run searches and suggestions on (see {@link SearchThreadPools}) */
    public SearchThreadPools pools() {
        return pools;
    }

    /** Subscribes to the catalogue's changes and rebuilds the index in the background. */
    public TitleSearch start() {
        catalog.onTitleChanged(this::reindex);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kino-search-index");
            t.setDaemon(true);
            return t;
        });
        scheduler.execute(this::rebuild);
        if (!syncInterval.isZero()) {
            long ms = syncInterval.toMillis();
            scheduler.scheduleWithFixedDelay(new Runnable() {
                private int round;

                @Override
                public void run() {
                    try {
                        sync();
                        if (++round % 10 == 0) {
                            reconcile();
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("search index sync failed: {}", e.toString());
                    }
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * Waits for the first build of the index.
     *
     * @return whether it finished within {@code timeout}
     */
    public boolean awaitBuilt(Duration timeout) throws InterruptedException {
        return built.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void rebuild() {
        try {
            long started = System.nanoTime();
            Instant pollFrom = Instant.now().minusSeconds(5);
            Catalog.Figures f = catalog.figures();
            meanRating = f.meanRating();
            UUID after = null;
            int count = 0;
            while (true) {
                List<UUID> ids = catalog.titleIdsAfter(after, BATCH);
                if (ids.isEmpty()) {
                    break;
                }
                write(catalog.searchableTitles(ids), Set.of());
                count += ids.size();
                after = ids.get(ids.size() - 1);
                if (count % 20_000 < BATCH) {
                    index.refresh();
                }
            }
            index.compact();
            polledUpTo = pollFrom;
            LOG.info("search index built: {} titles in {} ms", count, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.error("search index build failed: {}", e.toString(), e);
        } finally {
            built.countDown();
        }
    }

    /** Re-reads one title from the catalogue and indexes it (or removes it when it is gone). */
    private void reindex(UUID id) {
        List<SearchableTitle> t = catalog.searchableTitles(List.of(id));
        write(t, t.isEmpty() ? Set.of(id) : Set.of());
        index.refresh();
    }

    private void write(List<SearchableTitle> titles, Set<UUID> gone) {
        synchronized (writeLock) {
            List<SearchableTitle> fresh = new ArrayList<>(titles.size());
            for (SearchableTitle t : titles) {
                Instant known = versions.get(t.id());
                if (deleted.contains(t.id()) || (known != null && known.isAfter(t.version()))) {
                    continue;
                }
                fresh.add(t);
                versions.put(t.id(), t.version());
                figures.put(t.id(), new TitleStore.Figures(t.popularity(), t.ratingCount(), t.ratingSum()));
            }
            index.upsert(fresh, meanRating);
            for (UUID id : gone) {
                index.delete(id);
                versions.remove(id);
                figures.remove(id);
                deleted.add(id);
            }
        }
    }

    /**
     * Indexes the titles changed since the last poll (by any node, or by SQL) whose change the index has not seen.
     * The scheduler calls it every {@code syncInterval}; tests call it directly.
     */
    public void sync() {
        Instant from = polledUpTo;
        Instant now = Instant.now();
        Map<UUID, Instant> changed = catalog.changedSince(from.minusSeconds(5));
        List<UUID> stale = new ArrayList<>();
        changed.forEach((id, version) -> {
            Instant known = versions.get(id);
            if (known == null || known.isBefore(version)) {
                stale.add(id);
            }
        });
        for (int i = 0; i < stale.size(); i += BATCH) {
            List<UUID> ids = stale.subList(i, Math.min(stale.size(), i + BATCH));
            List<SearchableTitle> titles = catalog.searchableTitles(ids);
            Set<UUID> gone = new HashSet<>(ids);
            titles.forEach(t -> gone.remove(t.id()));
            write(titles, gone);
        }
        if (!stale.isEmpty()) {
            index.refresh();
        }
        polledUpTo = now;
    }

    /**
     * Compares every title's plays and votes with the index's (updating ranking boosts), removes titles deleted
     * elsewhere and adds any the index lacks.
     */
    public void reconcile() {
        Catalog.Figures f = catalog.figures();
        meanRating = f.meanRating();
        List<UUID> missing = new ArrayList<>();
        synchronized (writeLock) {
            f.byTitle().forEach((id, now) -> {
                TitleStore.Figures had = figures.get(id);
                if (had == null) {
                    if (!versions.containsKey(id)) {
                        missing.add(id);
                    }
                } else if (!had.equals(now)) {
                    index.updateBoost(id, SearchIndex.boost(now.popularity(), now.ratingCount(), now.ratingSum(), meanRating));
                    figures.put(id, now);
                }
            });
            for (UUID id : new ArrayList<>(versions.keySet())) {
                if (!f.byTitle().containsKey(id)) {
                    index.delete(id);
                    versions.remove(id);
                    figures.remove(id);
                    deleted.add(id);
                }
            }
        }
        for (int i = 0; i < missing.size(); i += BATCH) {
            write(catalog.searchableTitles(missing.subList(i, Math.min(missing.size(), i + BATCH))), Set.of());
        }
        index.refresh();
    }

    // ---- queries --------------------------------------------------------------------------------------------

    /**
     * A search request, as the route parsed it; null means no filter.
     *
     * @param q the text, at most {@value #MAX_QUERY_LENGTH} characters; blank: every title (by rating and popularity)
     * @param type {@code movie} or {@code series}
     * @param genre a genre (lower-cased)
     * @param year a release year
     * @param audio an audio language code
     * @param subtitle a subtitle language code
     */
    public record Request(String q, String type, String genre, Integer year, String audio, String subtitle) {
        /**
         * @throws BadRequestException when {@code q} is over {@value #MAX_QUERY_LENGTH} characters or holds a control
         *                             character (the problem names which)
         */
        public Request {
            q = checkQuery(q);
            genre = genre == null ? null : genre.trim().toLowerCase(java.util.Locale.ROOT);
        }

        String fingerprint() {
            return Integer.toHexString(java.util.Objects.hash(q, type, genre, year, audio, subtitle));
        }
    }

    /**
     * @return the query text, or "" for null
     * @throws BadRequestException when it is over {@value #MAX_QUERY_LENGTH} characters or holds a control character
     */
    public static String checkQuery(String q) {
        if (q == null) {
            return "";
        }
        int length = q.codePointCount(0, q.length());
        if (length > MAX_QUERY_LENGTH) {
            throw new BadRequestException("query parameter 'q' is " + length + " characters long; at most "
                    + MAX_QUERY_LENGTH + " are searched");
        }
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (Character.isISOControl(c) || (Character.isSurrogate(c) && !validSurrogate(q, i))) {
                throw new BadRequestException("query parameter 'q' contains the control character or lone surrogate U+"
                        + String.format("%04X", (int) c));
            }
        }
        return q;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /**
     * Searches titles the viewer may see: published ones (everything for {@code catalog.write}), rated at most the
     * viewer's maturity.
     *
     * @param cursor page size and position (a cursor is tied to its query and filters)
     * @return one page of hits, with facets over every match
     * @throws BadRequestException for a cursor of another query, or not one this API issued
     */
    public SearchResults search(Request r, Viewer viewer, Page.Cursor cursor) {
        int offset = 0;
        if (cursor.after() != null) {
            List<String> a = cursor.after();
            if (a.size() != 2 || !a.get(0).equals(r.fingerprint())) {
                throw new BadRequestException("cursor is not one returned by this API for this query");
            }
            try {
                offset = Integer.parseInt(a.get(1));
            } catch (NumberFormatException e) {
                throw new BadRequestException("cursor is not one returned by this API");
            }
            if (offset < 0 || offset > MAX_RESULTS) {
                throw new BadRequestException("cursor is not one returned by this API");
            }
        }
        SearchIndex.Filters filters = filters(r, viewer);
        ParsedQuery q = ParsedQuery.of(r.q(), true);
        int want = Math.min(offset + cursor.fetch(), MAX_RESULTS + 1);
        SearchIndex.Answer a = q.isEmpty() && !r.q().isBlank()
                ? new SearchIndex.Answer(List.of(), 0, Map.of(), false)
                : index.search(q, filters, false, want, true, BUDGET_MILLIS);
        List<SearchHit> rows = new ArrayList<>();
        Map<SearchHit, Integer> position = new IdentityHashMap<>();
        int pageEnd = Math.min(a.found().size(), offset + cursor.limit());
        for (int i = offset; i < pageEnd; i++) {
            SearchHit hit = hit(a.found().get(i), q);
            rows.add(hit);
            position.put(hit, i + 1);
        }
        if (a.found().size() > pageEnd && !rows.isEmpty()) {
            // the row past the page only says that there is a next one (Page.of drops it): not rendered or highlighted
            rows.add(rows.get(rows.size() - 1));
        }
        if (offset + cursor.limit() >= MAX_RESULTS && rows.size() > cursor.limit()) {
            rows = rows.subList(0, cursor.limit());
        }
        Page<SearchHit> page = Page.of(cursor, rows, h -> List.of(r.fingerprint(), Integer.toString(position.get(h))));
        return new SearchResults(page.items(), facets(a.facets()), a.total(), a.partial(), page.next());
    }

    /**
     * As-you-type suggestions: names only, the last word as a prefix (with typos from five characters). Answered
     * from {@link TitleSuggester}'s in-memory arrays when the words match as typed (the same titles and order as the
     * index's query), else by the index's query (typos, the relaxed match).
     *
     * @return up to {@value #SUGGESTIONS} titles, best first; none for a blank query
     */
    public Suggestions suggest(String text, Viewer viewer) {
        String q = checkQuery(text);
        ParsedQuery parsed = ParsedQuery.of(q, false);
        if (parsed.isEmpty()) {
            return new Suggestions(List.of());
        }
        SearchIndex.Answer a = index.suggest(parsed, filters(new Request(q, null, null, null, null, null), viewer),
                SUGGESTIONS, BUDGET_MILLIS);
        List<Suggestion> out = new ArrayList<>();
        for (SearchIndex.Found f : a.found()) {
            SearchHit h = hit(f, parsed);
            out.add(new Suggestion(h.id(), h.name(), h.type(), h.year(), h.highlight()));
        }
        return new Suggestions(out);
    }

    /**
     * Indexes titles given directly, not read from the catalogue: for the offline relevance evaluation and the
     * benchmark's generated catalogue. Visible to searches on return.
     */
    void load(List<SearchableTitle> titles, double mean) {
        meanRating = mean;
        write(titles, Set.of());
        index.refresh();
    }

    /** Ends a bulk {@link #load}: merges the index into one segment, as the build at {@link #start()} does. */
    void compact() {
        index.compact();
    }

    /** @return suggestions answered so far from the suggestion arrays and by the query path */
    long[] suggestionPaths() {
        return new long[]{index.suggestionsByArrays.sum(), index.suggestionsByQuery.sum()};
    }

    /** @return searches so far that ran with typo clauses (their query without typos had no strong answer) */
    long typoSearches() {
        return index.withTypoClauses.sum();
    }

    /** Forgets the totals and facets kept per query (the benchmark starts each run from the same state). */
    void forgetCounts() {
        index.forgetCounts();
    }

    /** @return segments in the index (after its last refresh) */
    int segments() {
        return index.segments();
    }

    /** @return titles in the index (after its last refresh) */
    public int indexedTitles() {
        return index.size();
    }

    private static SearchIndex.Filters filters(Request r, Viewer v) {
        return new SearchIndex.Filters(v.can(Viewer.CATALOG_WRITE), v.maxAge(), r.type(), r.genre(), r.year(),
                r.audio(), r.subtitle());
    }

    private static SearchFacets facets(Map<String, Map<String, Long>> counts) {
        return new SearchFacets(facet(counts, "genre", false), facet(counts, "year", true), facet(counts, "type", false),
                facet(counts, "audio", false), facet(counts, "subtitle", false));
    }

    private static List<FacetCount> facet(Map<String, Map<String, Long>> counts, String name, boolean numeric) {
        Map<String, Long> c = counts.getOrDefault(name, Map.of());
        return SearchIndex.top(c, numeric, 50).stream().map(e -> new FacetCount(e.getKey(), e.getValue())).toList();
    }

    /** Renders a hit: the best-matching name (else English, else original) and where it matched. */
    static SearchHit hit(SearchIndex.Found f, ParsedQuery q) {
        SearchIndex.Stored s = f.stored();
        String bestName = null;
        String bestLang = null;
        Highlighter.Match best = null;
        if (!q.isEmpty()) {
            for (int i = 0; i < s.names().size(); i++) {
                List<String> n = s.names().get(i);
                // the name's words as indexed (kept with the title): no folding or reading per hit
                Highlighter.Match m = Highlighter.match(s.nameSpans().get(i), q);
                if (m.matchedWords() > 0 && (best == null || m.matchedWords() > best.matchedWords()
                        || (m.matchedWords() == best.matchedWords() && m.quality() > best.quality()))) {
                    best = m;
                    bestName = n.get(1);
                    bestLang = n.get(0);
                }
            }
        }
        Highlight highlight;
        if (best != null) {
            highlight = new Highlight("name", bestName, best.ranges());
        } else {
            Map<String, String> byLang = new HashMap<>();
            s.names().forEach(n -> byLang.putIfAbsent(n.get(0), n.get(1)));
            bestLang = byLang.containsKey("en") ? "en" : s.names().get(0).get(0);
            bestName = byLang.get(bestLang);
            highlight = q.isEmpty() ? new Highlight("name", bestName, List.of()) : textHighlight(s, q, bestName);
        }
        return new SearchHit(f.id(), bestName, bestLang, s.kind(), s.year(),
                CatalogFields.rating(s.minAge()), s.originalTitle(), s.genres(), highlight, f.score());
    }

    private static Highlight textHighlight(SearchIndex.Stored s, ParsedQuery q, String name) {
        for (String synopsis : s.synopses().values()) {
            Highlight h = Highlighter.excerpt("synopsis", synopsis, q, 160);
            if (h != null) {
                return h;
            }
        }
        for (var field : List.of(Map.entry("genre", s.genres()), Map.entry("tag", s.tags()), Map.entry("studio", s.studios()),
                Map.entry("person", s.people()))) {
            for (String v : field.getValue()) {
                Highlight h = Highlighter.excerpt(field.getKey(), v, q, 160);
                if (h != null) {
                    return h;
                }
            }
        }
        return new Highlight("name", name, List.of());
    }

    @Override
    public void close() {
        pools.close();
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        index.close();
    }
}
