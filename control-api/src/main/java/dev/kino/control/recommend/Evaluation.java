package dev.kino.control.recommend;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Offline evaluation by leave-last-out ({@code ./kino recommend evaluate}): each user's last interaction (the latest
 * positive entry) is held out, the {@link Blend} (the service's own code) and a popularity baseline are trained on the
 * rest, and each ranks the <em>whole</em> catalogue for the user (no sampled negatives; items the user has in training
 * are excluded from the ranking, as the service excludes them).
 *
 * <pre>
 * HR@k   = share of evaluated users whose held-out item is in their top k
 * NDCG@k = mean of 1 / log2(rank + 2) over those users (rank 0-based; 0 for a miss)
 * </pre>
 *
 * Input: a CSV of {@code user_id,item_id,timestamp,weight} rows (a header line is allowed; ids are any text without
 * commas; timestamp in seconds since the epoch or ISO-8601; weight a number), and optionally the generator's item file
 * ({@code item_id,franchise,genres,tags,studio}, lists separated by {@code ;}) for the content model, the franchise
 * diversity and items nobody interacted with.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * Figures of one evaluation.
     *
     * @param users distinct users in the file
     * @param items catalogue size (items in the file or the item file)
     * @param interactions rows read
     * @param evaluated users with a held-out item
     * @param k the list length
     * @param blendHitRate HR@k of the blend, 0 to 1
     * @param blendNdcg NDCG@k of the blend, 0 to 1
     * @param popularHitRate HR@k of the popularity baseline
     * @param popularNdcg NDCG@k of the popularity baseline
     * @param loadMillis reading the files
     * @param trainMillis training the blend
     * @param scoreMillis ranking for every evaluated user, both recommenders
     */
    public record Result(int users, int items, long interactions, int evaluated, int k, double blendHitRate,
                         double blendNdcg, double popularHitRate, double popularNdcg, long loadMillis, long trainMillis,
                         long scoreMillis) {
        /** @return the blend's HR@k over the baseline's (infinity when the baseline has none) */
        public double lift() {
            return popularHitRate == 0 ? Double.POSITIVE_INFINITY : blendHitRate / popularHitRate;
        }

        /** @return the figures as the command prints them */
        public String report() {
            return String.format(java.util.Locale.ROOT, """
                    interactions %,d   users %,d   items %,d   evaluated users %,d
                    model          HR@%d      NDCG@%d
                    blend          %.4f    %.4f
                    popularity     %.4f    %.4f
                    lift (HR)      %.2fx
                    time: load %.1f s, train %.1f s, score %.1f s, total %.1f s
                    """, interactions, users, items, evaluated, k, k, blendHitRate, blendNdcg, popularHitRate,
                    popularNdcg, lift(), loadMillis / 1e3, trainMillis / 1e3, scoreMillis / 1e3,
                    (loadMillis + trainMillis + scoreMillis) / 1e3);
        }
    }

    /** Loaded data: interactions with their id maps, and optional item metadata. */
    record Data(Interactions all, int users, long rows, List<List<String>> features, int[] franchise) {
    }

    /**
     * @param interactionsCsv the {@code user_id,item_id,timestamp,weight} file
     * @param itemsCsv the generator's item file, or null
     * @param k list length (10)
     * @param p blend parameters
     * @return the figures
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException for a malformed line (its number is named)
     */
    public static Result run(Path interactionsCsv, Path itemsCsv, int k, Blend.Params p) throws IOException {
        long t0 = System.nanoTime();
        Data d = load(interactionsCsv, itemsCsv);
        long t1 = System.nanoTime();
        Interactions all = d.all();
        // hold out each user's latest positive entry
        int[] heldOut = new int[all.users()];
        Arrays.fill(heldOut, -1);
        Interactions.Builder train = Interactions.builder();
        for (int u = 0; u < all.users(); u++) {
            int last = -1;
            for (int e = all.end(u) - 1; e >= all.start(u); e--) {
                if (all.weight(e) > 0) {
                    last = e;
                    break;
                }
            }
            for (int e = all.start(u); e < all.end(u); e++) {
                if (e == last) {
                    heldOut[u] = all.item(e);
                } else {
                    train.add(u, all.item(e), all.weight(e), all.time(e));
                }
            }
        }
        Interactions training = train.build(all.users(), all.items());
        Blend blend = Blend.train(training, d.features(), d.franchise(), p);
        Blend popular = Blend.train(training, null, null, new Blend.Params(p.halfLifeDays(), 0, 1, Integer.MAX_VALUE,
                new ItemSimilarity.Params(0, p.cf().shrinkage(), p.cf().minSupport(), 1), 0));
        long t2 = System.nanoTime();
        long now = all.latestTime();
        LongAdder evaluated = new LongAdder();
        LongAdder blendHits = new LongAdder();
        LongAdder popHits = new LongAdder();
        DoubleAdder blendGain = new DoubleAdder();
        DoubleAdder popGain = new DoubleAdder();
        IntStream.range(0, all.users()).parallel().forEach(u -> {
            int target = heldOut[u];
            if (target < 0) {
                return;
            }
            evaluated.increment();
            int rb = rank(blend.recommend(training, u, now, k, null), target);
            if (rb >= 0) {
                blendHits.increment();
                blendGain.add(1 / (Math.log(rb + 2) / Math.log(2)));
            }
            int[] seen = new int[training.end(u) - training.start(u)];
            for (int e = training.start(u); e < training.end(u); e++) {
                seen[e - training.start(u)] = training.item(e);
            }
            int rp = rank(popular.popular(k, seen, null), target);
            if (rp >= 0) {
                popHits.increment();
                popGain.add(1 / (Math.log(rp + 2) / Math.log(2)));
            }
        });
        long t3 = System.nanoTime();
        double n = Math.max(1, evaluated.sum());
        return new Result(d.users(), all.items(), d.rows(), (int) evaluated.sum(), k, blendHits.sum() / n,
                blendGain.sum() / n, popHits.sum() / n, popGain.sum() / n, (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
    }

    private static int rank(Blend.Scored list, int target) {
        for (int x = 0; x < list.items().length; x++) {
            if (list.items()[x] == target) {
                return x;
            }
        }
        return -1;
    }

    static Data load(Path interactionsCsv, Path itemsCsv) throws IOException {
        Map<String, Integer> items = new HashMap<>();
        List<List<String>> features = null;
        List<Integer> franchises = null;
        if (itemsCsv != null) {
            features = new ArrayList<>();
            franchises = new ArrayList<>();
            Map<String, Integer> franchiseIds = new HashMap<>();
            try (BufferedReader r = Files.newBufferedReader(itemsCsv, StandardCharsets.UTF_8)) {
                String line;
                int no = 0;
                while ((line = r.readLine()) != null) {
                    no++;
                    if (no == 1 && line.startsWith("item_id")) {
                        continue;
                    }
                    String[] f = line.split(",", -1);
                    if (f.length < 5) {
                        throw new IllegalArgumentException(itemsCsv + " line " + no + ": expected item_id,franchise,genres,tags,studio");
                    }
                    if (items.putIfAbsent(f[0], items.size()) != null) {
                        throw new IllegalArgumentException(itemsCsv + " line " + no + ": item " + f[0] + " twice");
                    }
                    franchises.add(f[1].isEmpty() ? -1 : franchiseIds.computeIfAbsent(f[1], x -> franchiseIds.size()));
                    features.add(ContentSimilarity.tokens(list(f[2]), list(f[3]), list(f[4]), List.of(), null));
                }
            }
        }
        Map<String, Integer> users = new HashMap<>();
        Interactions.Builder b = Interactions.builder();
        long rows = 0;
        try (BufferedReader r = Files.newBufferedReader(interactionsCsv, StandardCharsets.UTF_8)) {
            String line;
            long no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isEmpty() || (no == 1 && line.startsWith("user_id"))) {
                    continue;
                }
                int c1 = line.indexOf(',');
                int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
                int c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
                if (c3 < 0) {
                    throw new IllegalArgumentException(interactionsCsv + " line " + no + ": expected user_id,item_id,timestamp,weight");
                }
                try {
                    int u = users.computeIfAbsent(line.substring(0, c1), x -> users.size());
                    String itemId = line.substring(c1 + 1, c2);
                    Integer i = items.get(itemId);
                    if (i == null) {
                        i = items.size();
                        items.put(itemId, i);
                        if (features != null) {
                            features.add(List.of());
                            franchises.add(-1);
                        }
                    }
                    b.add(u, i, Float.parseFloat(line.substring(c3 + 1)), time(line.substring(c2 + 1, c3)));
                    rows++;
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(interactionsCsv + " line " + no + ": " + e.getMessage(), e);
                }
            }
        }
        int[] franchise = null;
        if (franchises != null) {
            franchise = franchises.stream().mapToInt(Integer::intValue).toArray();
        }
        return new Data(b.build(users.size(), items.size()), users.size(), rows, features, franchise);
    }

    private static long time(String s) {
        if (s.indexOf('T') > 0) {
            return Instant.parse(s).getEpochSecond();
        }
        return Long.parseLong(s.trim());
    }

    private static List<String> list(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(";"));
    }
}
