package dev.kino.control.recommend;

import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore.MediaRow;
import dev.kino.control.catalog.TitleFacts;
import dev.kino.control.catalog.TitleStore;
import dev.kino.control.forum.ForumStore;
import dev.kino.control.jobs.PeriodicJobs;
import dev.kino.control.playback.Plans;
import dev.kino.control.ratings.Ratings;
import dev.kino.control.reactions.ReactionTypes.Target;
import dev.kino.control.reactions.Reactions;
import dev.kino.control.recommend.RecommendStore.Ranked;
import dev.kino.control.recommend.RecommendStore.ShelfRow;
import dev.kino.control.recommend.RecommendTypes.ShelfKind;
import dev.kino.control.social.SocialStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * The background job that computes recommendations: a periodic job kind ({@link PeriodicJobs#RECOMMENDATIONS}) that
 * the workers run ({@link dev.kino.control.jobs.JobWorkers}, in {@code ./kino worker} or in the API process when
 * packaging runs there), every {@link #INTERVAL} by default; tests call {@link #run}. The API only reads what it
 * stored ({@link Recommendations}). One run:
 *
 * <ol>
 *   <li>reads the catalogue ({@link Catalog#titleFacts(UUID, int)}) and every signal through its owner's API:
 *   saved positions ({@link Plans#progressSignals}), scores ({@link Ratings#ratingSignals}), likes and dislikes of
 *   titles and media items ({@link Reactions#reactionSignals}), watchlist adds ({@link SocialStore#watchlistSignals}),
 *   follows of titles' threads ({@link ForumStore#titleFollows}) and this feature's taste picks, weighted as
 *   {@link Signals} says;</li>
 *   <li>trains the {@link Blend} (the code the offline evaluation measures) on them;</li>
 *   <li>computes every title's similar titles, trending (saved positions of the last {@link #TRENDING_WINDOW}, each
 *   worth 0.5<sup>age / {@link #TRENDING_HALF_LIFE}</sup>), top rated per genre (weighted rating, rated titles only),
 *   and the shelves of accounts: all of them on a full run (the first, then one every {@link #FULL_EVERY}), else only
 *   those with a signal newer than their last computation (incremental);</li>
 *   <li>writes it all in one transaction ({@link RecommendStore#save}).</li>
 * </ol>
 *
 * Only published titles enter the stored lists; maturity and plan are the caller's and are applied when the API
 * reads them. A session-level PostgreSQL advisory lock keeps two nodes from running at once (the second skips).
 * Cost: the training is the evaluation's (RECOMMENDATIONS.md: 5 million interactions train in seconds); reading the
 * signals is one keyset-paged scan of each owner's table per run.
 */
public final class RecommendJob {
    private static final Logger LOG = LoggerFactory.getLogger(RecommendJob.class);
    /** Rows read per page from each signal's owner. */
    static final int PAGE = 5_000;
    /** Similar titles kept per title. */
    static final int SIMILAR_KEPT = 30;
    /** Titles kept on "Recommended for you" (more than shown: maturity and plan filter at read time). */
    static final int FOR_YOU_KEPT = 60;
    /** Titles kept on each "Because you watched" shelf. */
    static final int BECAUSE_KEPT = 30;
    /** Most "Because you watched" shelves per account. */
    static final int BECAUSE_SHELVES = 3;
    /** Titles kept per genre's top-rated list, and on an account's top-rated shelf. */
    static final int TOP_RATED_KEPT = 30;
    /** Titles kept on the trending list. */
    static final int TRENDING_KEPT = 200;
    /** Views older than this do not count towards trending. */
    public static final Duration TRENDING_WINDOW = Duration.ofDays(14);
    /** Age at which a view counts half towards trending. */
    public static final Duration TRENDING_HALF_LIFE = Duration.ofDays(2);
    /** Longest time between two runs that recompute every account. */
    public static final Duration FULL_EVERY = Duration.ofHours(24);
    /** Advisory lock key (class, object) of the job. */
    private static final int LOCK_CLASS = 7390;

    private final Jdbi jdbi;
    private final Clock clock;
    private final RecommendStore store;
    private final Catalog catalog;
    private final Plans plans;
    private final Ratings ratings;
    private final Reactions reactions;
    private final SocialStore social;
    private final ForumStore forum;
    private final Blend.Params params;

    /** How often the workers run the job unless told otherwise. */
    public static final Duration INTERVAL = Duration.ofMinutes(10);

    /**
     * The job over {@code jdbi}'s database, for a worker: the feature APIs it reads signals through, made for reading
     * (the rating and reaction APIs get no action limits: the job never rates or reacts).
     */
    public static RecommendJob forWorker(Jdbi jdbi, Clock clock) {
        Catalog catalog = new Catalog(jdbi, clock);
        Plans plans = new Plans(jdbi, clock);
        return new RecommendJob(jdbi, clock, new RecommendStore(jdbi), catalog, plans,
                new Ratings(jdbi, clock, catalog, null), new Reactions(jdbi, clock, null),
                new SocialStore(jdbi, clock, catalog, plans), new ForumStore(jdbi), Blend.Params.DEFAULT);
    }

    public RecommendJob(Jdbi jdbi, Clock clock, RecommendStore store, Catalog catalog, Plans plans, Ratings ratings,
                        Reactions reactions, SocialStore social, ForumStore forum, Blend.Params params) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.store = store;
        this.catalog = catalog;
        this.plans = plans;
        this.ratings = ratings;
        this.reactions = reactions;
        this.social = social;
        this.forum = forum;
        this.params = params;
    }

    /**
     * One run, full or incremental as {@link #FULL_EVERY} says.
     *
     * @return the run's figures, or empty when another node's run holds the lock
     */
    public Optional<RecommendStore.Run> run() {
        return run(false);
    }

    /**
     * One run.
     *
     * @param full recompute every account's shelves even if {@link #FULL_EVERY} has not passed
     * @return the run's figures, or empty when another node's run holds the lock
     */
    public Optional<RecommendStore.Run> run(boolean full) {
        return jdbi.withHandle(h -> {
            if (!h.createQuery("select pg_try_advisory_lock(:c, 0)").bind("c", LOCK_CLASS).mapTo(Boolean.class).one()) {
                return Optional.empty();
            }
            try {
                return Optional.of(compute(full));
            } finally {
                unlock(h);
            }
        });
    }

    private static void unlock(Handle h) {
        h.createQuery("select pg_advisory_unlock(:c, 0)").bind("c", LOCK_CLASS).mapTo(Boolean.class).one();
    }

    /** Everything one run reads, indexed. */
    private final class Inputs {
        final List<TitleFacts> titles = new ArrayList<>();
        final Map<UUID, Integer> titleIndex = new HashMap<>();
        final List<UUID> accounts = new ArrayList<>();
        final Map<UUID, Integer> accountIndex = new HashMap<>();
        final Map<Integer, Long> latest = new HashMap<>();
        final Map<Integer, List<String>> genrePicks = new HashMap<>();
        final Map<Long, Integer> finished = new HashMap<>();
        final Interactions.Builder builder = Interactions.builder();
        double[] trending;
        long signals;

        int account(UUID id) {
            return accountIndex.computeIfAbsent(id, k -> {
                accounts.add(k);
                return accounts.size() - 1;
            });
        }

        void add(UUID accountId, UUID titleId, float weight, Instant at) {
            Integer t = titleIndex.get(titleId);
            if (t == null) {
                return;
            }
            int a = account(accountId);
            builder.add(a, t, weight, at.getEpochSecond());
            latest.merge(a, at.toEpochMilli(), Math::max);
            signals++;
        }
    }

    private RecommendStore.Run compute(boolean forceFull) {
        Instant started = clock.instant();
        Inputs in = read(started);
        Interactions data = in.builder.build(in.accounts.size(), in.titles.size());
        int n = in.titles.size();
        List<List<String>> features = new ArrayList<>(n);
        int[] franchise = new int[n];
        Map<String, Integer> franchiseIds = new HashMap<>();
        boolean[] visible = new boolean[n];
        for (int i = 0; i < n; i++) {
            TitleFacts t = in.titles.get(i);
            features.add(ContentSimilarity.tokens(t.genres(), t.tags(), t.studios(), t.people(), t.synopsis()));
            String key = Franchises.key(t.englishTitle() != null ? t.englishTitle() : t.originalTitle());
            franchise[i] = franchiseIds.computeIfAbsent(key, k -> franchiseIds.size());
            visible[i] = t.published();
        }
        Blend blend = Blend.train(data, features, franchise, params);
        IntPredicate published = i -> visible[i];

        Map<UUID, List<Ranked>> similar = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Blend.Scored s = blend.similar(i, SIMILAR_KEPT, published);
            if (s.size() > 0) {
                similar.put(in.titles.get(i).id(), ranked(in, s));
            }
        }
        List<Ranked> trending = trending(in, blend, visible, franchise);
        Map<String, List<Ranked>> topRated = topRated(in, visible);

        boolean full = forceFull || store.lastFullRun().map(t -> t.plus(FULL_EVERY).isBefore(started)).orElse(true);
        Map<UUID, Instant> computed = full ? Map.of() : store.latestSignals();
        Map<UUID, List<ShelfRow>> shelves = new LinkedHashMap<>();
        Map<UUID, Instant> latestSignal = new HashMap<>();
        Map<UUID, List<UUID>> knownTitles = new HashMap<>();
        boolean[] known = new boolean[n];
        long now = started.getEpochSecond();
        for (int a = 0; a < in.accounts.size(); a++) {
            UUID id = in.accounts.get(a);
            Long latest = in.latest.get(a);
            Instant latestAt = latest == null ? null : Instant.ofEpochMilli(latest);
            if (!full && computed.containsKey(id) && (latestAt == null
                    || (computed.get(id) != null && !latestAt.isAfter(computed.get(id))))) {
                continue;
            }
            shelves.put(id, shelves(in, data, blend, a, known, visible, topRated, now));
            latestSignal.put(id, latestAt);
            List<UUID> knownIds = new ArrayList<>();
            for (int e = data.start(a); e < data.end(a); e++) {
                knownIds.add(in.titles.get(data.item(e)).id());
            }
            knownTitles.put(id, knownIds);
        }
        RecommendStore.Run run = new RecommendStore.Run(started, clock.instant(), full, in.signals, in.accounts.size(), n,
                shelves.size());
        RecommendStore.Computed c = new RecommendStore.Computed(similar, trending, topRated, shelves, latestSignal,
                knownTitles, run);
        store.save(c);
        LOG.info("recommendations: {} signals, {} accounts ({} recomputed{}), {} titles in {} ms", in.signals,
                in.accounts.size(), shelves.size(), full ? ", full run" : "", n,
                Duration.between(started, clock.instant()).toMillis());
        return run;
    }

    private Inputs read(Instant now) {
        Inputs in = new Inputs();
        UUID after = null;
        while (true) {
            List<TitleFacts> page = catalog.titleFacts(after, 1_000);
            for (TitleFacts t : page) {
                in.titleIndex.put(t.id(), in.titles.size());
                in.titles.add(t);
            }
            if (page.size() < 1_000) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        in.trending = new double[in.titles.size()];
        // Recommendations are per viewer profile: saved positions, scores, watchlists and taste picks are a profile's;
        // likes and follows are the account's public acts and count for its primary profile (the account holder).
        Map<UUID, UUID> primary = store.primaryProfiles();
        double halfLife = TRENDING_HALF_LIFE.toSeconds();
        // saved positions: a start, or a finished item (up to MAX_FINISHED per title); recent ones make trending
        UUID a = null;
        UUID m = null;
        while (true) {
            List<Plans.ProgressSignal> page = plans.progressSignals(a, m, PAGE);
            Map<UUID, MediaRow> media = catalog.media(page.stream().map(Plans.ProgressSignal::mediaId).distinct().toList());
            for (Plans.ProgressSignal p : page) {
                MediaRow row = media.get(p.mediaId());
                Integer t = row == null ? null : in.titleIndex.get(row.titleId());
                if (t == null || p.positionSeconds() <= 0) {
                    continue;
                }
                float w = Signals.progress(p.positionSeconds(), row.durationSeconds());
                if (w == Signals.FINISHED) {
                    long pair = ((long) in.account(p.accountId()) << 32) | t;
                    if (in.finished.merge(pair, 1, Integer::sum) > Signals.MAX_FINISHED) {
                        w = 0;
                    }
                }
                in.add(p.accountId(), row.titleId(), w, p.updatedAt());
                long age = Duration.between(p.updatedAt(), now).toSeconds();
                if (age < TRENDING_WINDOW.toSeconds()) {
                    in.trending[t] += Math.pow(0.5, Math.max(0, age) / halfLife);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            a = page.get(page.size() - 1).accountId();
            m = page.get(page.size() - 1).mediaId();
        }
        UUID t = null;
        a = null;
        while (true) {
            List<Ratings.RatingSignal> page = ratings.ratingSignals(t, a, PAGE);
            page.forEach(r -> in.add(r.accountId(), r.titleId(), Signals.rating(r.score()), r.at()));
            if (page.size() < PAGE) {
                break;
            }
            t = page.get(page.size() - 1).titleId();
            a = page.get(page.size() - 1).accountId();
        }
        for (Target target : List.of(Target.TITLE, Target.MEDIA)) {
            t = null;
            a = null;
            while (true) {
                List<Reactions.ReactionSignal> page = reactions.reactionSignals(target, t, a, PAGE);
                Map<UUID, MediaRow> media = target == Target.MEDIA
                        ? catalog.media(page.stream().map(Reactions.ReactionSignal::targetId).distinct().toList()) : Map.of();
                for (Reactions.ReactionSignal r : page) {
                    UUID title = target == Target.TITLE ? r.targetId()
                            : media.containsKey(r.targetId()) ? media.get(r.targetId()).titleId() : null;
                    UUID profile = primary.get(r.accountId());
                    if (title != null && profile != null) {
                        in.add(profile, title, r.value() > 0 ? Signals.LIKE : Signals.DISLIKE, r.at());
                    }
                }
                if (page.size() < PAGE) {
                    break;
                }
                t = page.get(page.size() - 1).targetId();
                a = page.get(page.size() - 1).accountId();
            }
        }
        a = null;
        t = null;
        while (true) {
            List<SocialStore.WatchlistSignal> page = social.watchlistSignals(a, t, PAGE);
            page.forEach(w -> in.add(w.accountId(), w.titleId(), Signals.WATCHLIST, w.addedAt()));
            if (page.size() < PAGE) {
                break;
            }
            a = page.get(page.size() - 1).accountId();
            t = page.get(page.size() - 1).titleId();
        }
        a = null;
        t = null;
        while (true) {
            List<ForumStore.TitleFollow> page = forum.titleFollows(a, t, PAGE);
            page.stream().filter(f -> primary.containsKey(f.accountId()))
                    .forEach(f -> in.add(primary.get(f.accountId()), f.titleId(), Signals.FOLLOW, f.at()));
            if (page.size() < PAGE) {
                break;
            }
            a = page.get(page.size() - 1).accountId();
            t = page.get(page.size() - 1).threadId();
        }
        for (RecommendStore.StoredTaste taste : store.tastes()) {
            int account = in.account(taste.accountId());
            in.latest.merge(account, taste.updatedAt().toEpochMilli(), Math::max);
            taste.titleIds().forEach(title -> in.add(taste.accountId(), title, Signals.TASTE_PICK, taste.updatedAt()));
            if (!taste.genres().isEmpty()) {
                in.genrePicks.put(account, taste.genres());
            }
        }
        return in;
    }

    private static List<Ranked> ranked(Inputs in, Blend.Scored s) {
        List<Ranked> out = new ArrayList<>(s.size());
        for (int x = 0; x < s.size(); x++) {
            out.add(new Ranked(in.titles.get(s.items()[x]).id(), s.scores()[x]));
        }
        return out;
    }

    private List<Ranked> trending(Inputs in, Blend blend, boolean[] visible, int[] franchise) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < visible.length; i++) {
            if (visible[i] && in.trending[i] > 0) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -in.trending[i]).thenComparing(i -> in.titles.get(i).id()));
        List<Ranked> out = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        int kept = Math.min(order.size(), TRENDING_KEPT);
        int[] ids = order.subList(0, kept).stream().mapToInt(Integer::intValue).toArray();
        float[] scores = new float[kept];
        for (int x = 0; x < kept; x++) {
            scores[x] = (float) in.trending[ids[x]];
        }
        Blend.Scored diverse = Blend.diversify(ids, scores, franchise, params.franchiseCap(), kept);
        for (int x = 0; x < diverse.size(); x++) {
            out.add(new Ranked(in.titles.get(diverse.items()[x]).id(), diverse.scores()[x]));
            taken.add(diverse.items()[x]);
        }
        if (out.size() < TRENDING_KEPT) {
            // too few recent views: the most popular titles of all time follow, at score 0
            Blend.Scored popular = blend.popular(TRENDING_KEPT, taken.stream().mapToInt(Integer::intValue).toArray(),
                    i -> visible[i]);
            for (int x = 0; x < popular.size() && out.size() < TRENDING_KEPT; x++) {
                out.add(new Ranked(in.titles.get(popular.items()[x]).id(), 0f));
            }
        }
        return out;
    }

    private Map<String, List<Ranked>> topRated(Inputs in, boolean[] visible) {
        double mean = catalog.meanRating();
        Map<String, List<Integer>> byGenre = new TreeMap<>();
        for (int i = 0; i < visible.length; i++) {
            TitleFacts t = in.titles.get(i);
            if (visible[i] && t.ratingCount() > 0) {
                for (String g : t.genres()) {
                    byGenre.computeIfAbsent(g, k -> new ArrayList<>()).add(i);
                }
            }
        }
        Map<String, List<Ranked>> out = new LinkedHashMap<>();
        byGenre.forEach((genre, titles) -> {
            titles.sort(Comparator.comparingDouble((Integer i) -> -weighted(in.titles.get(i), mean))
                    .thenComparing(i -> in.titles.get(i).id()));
            out.put(genre, titles.subList(0, Math.min(TOP_RATED_KEPT, titles.size())).stream()
                    .map(i -> new Ranked(in.titles.get(i).id(), (float) weighted(in.titles.get(i), mean))).toList());
        });
        return out;
    }

    private static double weighted(TitleFacts t, double mean) {
        return TitleStore.weighted(t.ratingCount(), t.ratingSum(), mean);
    }

    /** One account's personal shelves: recommended for you, because you watched (up to 3), top rated in a genre. */
    private static List<ShelfRow> shelves(Inputs in, Interactions data, Blend blend, int a, boolean[] known,
                                          boolean[] visible, Map<String, List<Ranked>> topRated, long now) {
        List<ShelfRow> rows = new ArrayList<>();
        int from = data.start(a);
        int to = data.end(a);
        boolean positive = false;
        Map<String, Double> genreWeight = new HashMap<>();
        for (int e = from; e < to; e++) {
            known[data.item(e)] = true;
            if (data.weight(e) > 0) {
                positive = true;
                for (String g : in.titles.get(data.item(e)).genres()) {
                    genreWeight.merge(g, (double) data.weight(e), Double::sum);
                }
            }
        }
        try {
            List<String> picks = in.genrePicks.getOrDefault(a, List.of());
            IntPredicate allowed = i -> visible[i] && !known[i];
            Blend.Scored forYou;
            if (positive) {
                forYou = blend.recommend(data, a, now, FOR_YOU_KEPT, i -> visible[i]);
            } else {
                Set<String> g = new HashSet<>(picks);
                forYou = blend.popular(FOR_YOU_KEPT, new int[0],
                        i -> allowed.test(i) && in.titles.get(i).genres().stream().anyMatch(g::contains));
            }
            add(rows, 0, ShelfKind.RECOMMENDED_FOR_YOU, null, null, in, forYou);
            // anchors: the newest strong signals (finished, liked, rated high) of distinct franchises, else the newest
            List<Integer> anchors = new ArrayList<>();
            Set<String> franchises = new HashSet<>();
            for (float min : new float[]{2f, Float.MIN_VALUE}) {
                for (int e = to - 1; e >= from && anchors.size() < BECAUSE_SHELVES; e--) {
                    int item = data.item(e);
                    TitleFacts t = in.titles.get(item);
                    if (data.weight(e) >= min && visible[item] && !anchors.contains(item)
                            && franchises.add(Franchises.key(t.englishTitle() != null ? t.englishTitle() : t.originalTitle()))) {
                        anchors.add(item);
                    }
                }
            }
            int position = 1;
            for (int anchor : anchors) {
                Blend.Scored s = blend.similar(anchor, BECAUSE_KEPT, allowed);
                if (s.size() > 0) {
                    add(rows, position++, ShelfKind.BECAUSE_YOU_WATCHED, in.titles.get(anchor).id(), null, in, s);
                }
            }
            String genre = genreWeight.entrySet().stream()
                    .max(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .map(Map.Entry::getKey).orElse(picks.isEmpty() ? null : picks.get(0));
            if (genre != null && topRated.containsKey(genre)) {
                for (Ranked r : topRated.get(genre)) {
                    Integer i = in.titleIndex.get(r.titleId());
                    if (!known[i]) {
                        rows.add(new ShelfRow(BECAUSE_SHELVES + 1, ShelfKind.TOP_RATED_IN_GENRE.wire(), null, genre,
                                r.titleId(), r.score()));
                    }
                }
            }
            return rows;
        } finally {
            for (int e = from; e < to; e++) {
                known[data.item(e)] = false;
            }
        }
    }

    private static void add(List<ShelfRow> rows, int position, ShelfKind kind, UUID anchor, String genre, Inputs in,
                            Blend.Scored s) {
        for (int x = 0; x < s.size(); x++) {
            rows.add(new ShelfRow(position, kind.wire(), anchor, genre, in.titles.get(s.items()[x]).id(), s.scores()[x]));
        }
    }
}
