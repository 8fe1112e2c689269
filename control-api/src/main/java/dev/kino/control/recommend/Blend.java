package dev.kino.control.recommend;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The recommender the service and the offline evaluation share: item-to-item collaborative filtering
 * ({@link ItemSimilarity}), content similarity ({@link ContentSimilarity}, for cold titles) and a popularity prior,
 * blended per viewer, then re-ranked for diversity. Pure (no database): the background job builds it from the
 * platform's signals, {@code ./kino recommend evaluate} from a CSV file.
 *
 * <p>A viewer's score of a candidate j, over their history items i with weight w<sub>i</sub> and age a<sub>i</sub>:
 *
 * <pre>
 * r_i      = ln(1 + w_i) · 0.5^(a_i / halfLife)                        recency-weighted strength (w_i &gt; 0 only)
 * cf(j)    = Σ_i r_i · simCF(i, j)          content(j) = Σ_i r_i · simContent(i, j)
 * score(j) = cf(j) / max cf + contentWeight · content(j) / max content + popularityWeight · pop(j)
 * </pre>
 *
 * with pop(j) = ln(1 + users of j) / ln(1 + users of the most popular item), in [0, 1]. Items the viewer has any
 * entry for (watched, rated, disliked, ...) are never recommended. Diversity: at most {@link Params#franchiseCap} items
 * of one franchise in a list (ten seasons of one series are one franchise); the rest move behind the others.
 */
public final class Blend {
    /**
     * @param halfLifeDays age in days at which a history item counts half
     * @param contentWeight weight of the content score against the collaborative one (each scaled to [0, 1])
     * @param popularityWeight weight of the popularity prior
     * @param franchiseCap most items of one franchise in one list
     * @param cf parameters of the collaborative model
     * @param contentNeighbours neighbours kept per item by content
     */
    public record Params(double halfLifeDays, double contentWeight, double popularityWeight, int franchiseCap,
                         ItemSimilarity.Params cf, int contentNeighbours) {
        /** The defaults of the service and the evaluation. */
        public static final Params DEFAULT = new Params(60, 0.3, 0.05, 2, ItemSimilarity.Params.DEFAULT, 50);
    }

    /**
     * A ranked list.
     *
     * @param items item indices, best first
     * @param scores their scores, aligned
     */
    public record Scored(int[] items, float[] scores) {
        /** @return how many items */
        public int size() {
            return items.length;
        }
    }

    /** Candidates considered per list before the diversity re-rank: this many times the list's length. */
    private static final int POOL_FACTOR = 4;
    /** Most popular items always among a viewer's candidates (the fallback of a short or empty history). */
    private static final int POPULAR_CANDIDATES = 200;

    private final Params params;
    private final Neighbours cf;
    private final Neighbours content;
    private final float[] popularity;
    private final int[] popularOrder;
    private final int[] franchise;
    private final ThreadLocal<Scratch> scratch;

    private Blend(Params params, Neighbours cf, Neighbours content, float[] popularity, int[] franchise) {
        this.params = params;
        this.cf = cf;
        this.content = content;
        this.popularity = popularity;
        this.franchise = franchise;
        int items = popularity.length;
        Integer[] order = new Integer[items];
        for (int i = 0; i < items; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> popularity[a] != popularity[b] ? Float.compare(popularity[b], popularity[a])
                : Integer.compare(a, b));
        this.popularOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(items));
    }

    /**
     * Trains the blend.
     *
     * @param data interactions (positive weights train)
     * @param features each item's content tokens ({@link ContentSimilarity#tokens}), or null for no content model
     * @param franchise each item's franchise number (items of one franchise share it; -1 or a unique number for
     *                  none), or null when unknown
     * @param p parameters
     * @return the trained blend
     */
    public static Blend train(Interactions data, List<List<String>> features, int[] franchise, Params p) {
        int items = data.items();
        if (features != null && features.size() != items) {
            throw new IllegalArgumentException("features of " + features.size() + " items for " + items);
        }
        if (franchise != null && franchise.length != items) {
            throw new IllegalArgumentException("franchises of " + franchise.length + " items for " + items);
        }
        Neighbours cf = ItemSimilarity.train(data, p.cf());
        Neighbours content = features == null ? Neighbours.none(items) : ContentSimilarity.train(features, p.contentNeighbours());
        return new Blend(p, cf, content, popularity(data), franchise);
    }

    /** @return each item's popularity prior in [0, 1]: ln(1 + users) / ln(1 + users of the most popular item) */
    static float[] popularity(Interactions data) {
        int[] users = userCounts(data);
        int max = 0;
        for (int c : users) {
            max = Math.max(max, c);
        }
        float[] pop = new float[data.items()];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = max == 0 ? 0 : (float) (Math.log1p(users[i]) / Math.log1p(max));
        }
        return pop;
    }

    /** @return how many users have a positive entry for each item */
    public static int[] userCounts(Interactions data) {
        int[] users = new int[data.items()];
        for (int e = 0; e < data.size(); e++) {
            if (data.weight(e) > 0) {
                users[data.item(e)]++;
            }
        }
        return users;
    }

    /** @return the collaborative neighbours */
    public Neighbours collaborative() {
        return cf;
    }

    /** @return the content neighbours (none without features) */
    public Neighbours content() {
        return content;
    }

    /** @return how many items */
    public int items() {
        return popularity.length;
    }

    /**
     * Recommendations for a user of the training data.
     *
     * @param data the training interactions
     * @param user the user's index
     * @param nowEpochSecond the time ages are measured from
     * @param n most items returned
     * @param allowed which items may be returned (maturity, plan, published), null for all
     * @return up to {@code n} items the user has no entry for, best first
     */
    public Scored recommend(Interactions data, int user, long nowEpochSecond, int n, IntPredicate allowed) {
        int from = data.start(user);
        int len = data.end(user) - from;
        int[] items = new int[len];
        float[] weights = new float[len];
        long[] times = new long[len];
        for (int k = 0; k < len; k++) {
            items[k] = data.item(from + k);
            weights[k] = data.weight(from + k);
            times[k] = data.time(from + k);
        }
        return recommend(items, weights, times, nowEpochSecond, n, allowed);
    }

    /**
     * Recommendations for a history (which need not be in the training data: taste picks of a new account are a
     * history of picked titles).
     *
     * @param items history item indices
     * @param weights their signal weights (zero or negative: known, never recommended, no influence)
     * @param times their times, seconds since the epoch
     * @param nowEpochSecond the time ages are measured from
     * @param n most items returned
     * @param allowed which items may be returned, null for all
     * @return up to {@code n} items not in the history, best first
     */
    public Scored recommend(int[] items, float[] weights, long[] times, long nowEpochSecond, int n, IntPredicate allowed) {
        Scratch s = scratch.get();
        try {
            for (int item : items) {
                s.excluded[item] = true;
            }
            double halfLife = params.halfLifeDays() * 86_400.0;
            for (int k = 0; k < items.length; k++) {
                if (weights[k] <= 0) {
                    continue;
                }
                double age = Math.max(0, nowEpochSecond - times[k]);
                float r = (float) (Math.log1p(weights[k]) * Math.pow(0.5, age / halfLife));
                s.add(cf, items[k], r, s.cf);
                s.add(content, items[k], r, s.content);
            }
            for (int k = 0; k < Math.min(POPULAR_CANDIDATES, popularOrder.length); k++) {
                s.touch(popularOrder[k]);
            }
            return s.rank(n, allowed);
        } finally {
            for (int item : items) {
                s.excluded[item] = false;
            }
            s.reset();
        }
    }

    /**
     * Titles like one title: its collaborative neighbours blended with its content neighbours (a cold title has only
     * the latter), diversity applied.
     *
     * @param item the item
     * @param n most items returned
     * @param allowed which items may be returned, null for all
     * @return up to {@code n} items other than {@code item}, best first
     */
    public Scored similar(int item, int n, IntPredicate allowed) {
        Scratch s = scratch.get();
        try {
            s.excluded[item] = true;
            s.add(cf, item, 1f, s.cf);
            s.add(content, item, 1f, s.content);
            return s.rank(n, allowed);
        } finally {
            s.excluded[item] = false;
            s.reset();
        }
    }

    /**
     * @param n most items returned
     * @param exclude items never returned, may be empty
     * @param allowed which items may be returned, null for all
     * @return the most popular items (by users in the training data), diversity applied
     */
    public Scored popular(int n, int[] exclude, IntPredicate allowed) {
        Scratch s = scratch.get();
        try {
            for (int item : exclude) {
                s.excluded[item] = true;
            }
            for (int k = 0; k < Math.min(Math.max(POPULAR_CANDIDATES, n * POOL_FACTOR), popularOrder.length); k++) {
                s.touch(popularOrder[k]);
            }
            return s.rank(n, allowed);
        } finally {
            for (int item : exclude) {
                s.excluded[item] = false;
            }
            s.reset();
        }
    }

    /** Per-thread accumulators, cleared after each list through the touched list. */
    private final class Scratch {
        final float[] cf;
        final float[] content;
        final boolean[] seen;
        final boolean[] excluded;
        final int[] touched;
        int count;

        Scratch(int items) {
            cf = new float[items];
            content = new float[items];
            seen = new boolean[items];
            excluded = new boolean[items];
            touched = new int[items];
        }

        void touch(int j) {
            if (!seen[j]) {
                seen[j] = true;
                touched[count++] = j;
            }
        }

        void add(Neighbours nb, int item, float r, float[] acc) {
            int[] ids = nb.of(item);
            float[] sc = nb.scores(item);
            for (int x = 0; x < ids.length; x++) {
                acc[ids[x]] += r * sc[x];
                touch(ids[x]);
            }
        }

        Scored rank(int n, IntPredicate allowed) {
            float maxCf = 0;
            float maxContent = 0;
            for (int x = 0; x < count; x++) {
                maxCf = Math.max(maxCf, cf[touched[x]]);
                maxContent = Math.max(maxContent, content[touched[x]]);
            }
            Neighbours.TopK top = new Neighbours.TopK(Math.max(n * POOL_FACTOR, n + 20));
            for (int x = 0; x < count; x++) {
                int j = touched[x];
                if (excluded[j] || (allowed != null && !allowed.test(j))) {
                    continue;
                }
                double score = (maxCf > 0 ? cf[j] / maxCf : 0)
                        + (maxContent > 0 ? params.contentWeight() * content[j] / maxContent : 0)
                        + params.popularityWeight() * popularity[j];
                top.offer(j, (float) score);
            }
            return diversify(top.ids(), top.scores(), franchise, params.franchiseCap(), n);
        }

        void reset() {
            for (int x = 0; x < count; x++) {
                int j = touched[x];
                cf[j] = 0;
                content[j] = 0;
                seen[j] = false;
            }
            count = 0;
        }
    }

    /**
     * The diversity re-rank: walks a ranked list keeping at most {@code cap} items per franchise in front; the items
     * over the cap follow the others, in their order.
     *
     * @param ids items, best first
     * @param scores their scores, aligned
     * @param franchise each item's franchise number (-1: none), or null for no re-rank
     * @param cap most items of one franchise in front
     * @param n most items returned
     * @return the first {@code n} of the re-ranked list
     */
    public static Scored diversify(int[] ids, float[] scores, int[] franchise, int cap, int n) {
        int[] outIds = new int[Math.min(n, ids.length)];
        float[] outScores = new float[outIds.length];
        int out = 0;
        if (franchise == null) {
            for (; out < outIds.length; out++) {
                outIds[out] = ids[out];
                outScores[out] = scores[out];
            }
            return new Scored(outIds, outScores);
        }
        java.util.Map<Integer, Integer> perFranchise = new java.util.HashMap<>();
        boolean[] taken = new boolean[ids.length];
        for (int x = 0; x < ids.length && out < outIds.length; x++) {
            int f = franchise[ids[x]];
            if (f >= 0 && perFranchise.merge(f, 1, Integer::sum) > cap) {
                continue;
            }
            taken[x] = true;
            outIds[out] = ids[x];
            outScores[out++] = scores[x];
        }
        for (int x = 0; x < ids.length && out < outIds.length; x++) {
            if (!taken[x]) {
                outIds[out] = ids[x];
                outScores[out++] = scores[x];
            }
        }
        return new Scored(outIds, outScores);
    }
}
