package dev.kino.control.recommend;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Writes a realistic synthetic interaction set for the offline evaluation ({@code ./kino recommend generate}).
 * Deterministic for a seed.
 *
 * <p>The model of the world:
 * <ul>
 *   <li><b>Catalogue.</b> 24 genres whose sizes follow a Zipf law; titles come in franchises (a quarter of the
 *   franchises are series of 2 to 8 seasons or sequels, the rest stand alone); a franchise has 1 to 3 genres, one
 *   studio of 300 and 2 to 4 tags from its genres' tag pools. Popularity is long-tailed: a franchise's weight is
 *   1 / rank<sup>0.9</sup> over a random order, and each later entry of a franchise is less popular (× 0.8) on its
 *   own.</li>
 *   <li><b>Users.</b> Activity is log-normal (σ = 1), scaled so the rows sum to the requested total (each user at
 *   least 1, at most a quarter of the catalogue). Each has 1 to 3 favourite genres (picked by genre size) with random
 *   shares: 85% of the titles they pick come from them, 15% from the whole catalogue, by popularity.</li>
 *   <li><b>Sessions.</b> Interactions are spread over {@code days} days in time order. After finishing an entry of a
 *   franchise that has a next one, the user watches that next one with probability 0.6 at a later step (series are
 *   watched in order); a picked later entry is replaced by the franchise's first unwatched entry 80% of the time.</li>
 *   <li><b>Weights</b> in the service's vocabulary ({@link Signals}): 1 a start, 3 watched through, 5 watched through
 *   and liked or rated high; titles of a favourite genre are finished more often.</li>
 * </ul>
 *
 * <p>Files: the interactions ({@code user_id,item_id,timestamp,weight}, ids {@code u<n>}, {@code t<n>}, seconds since
 * the epoch) and, beside them, {@code <name>.items.csv} ({@code item_id,franchise,genres,tags,studio}).
 */
public final class InteractionGenerator {
    /** Genre names. */
    static final String[] GENRES = {"action", "drama", "comedy", "romance", "fantasy", "sci-fi", "slice-of-life",
            "thriller", "horror", "mystery", "adventure", "sports", "music", "mecha", "isekai", "historical",
            "psychological", "supernatural", "school", "crime", "documentary", "family", "war", "western"};

    private InteractionGenerator() {
    }

    /**
     * @param users users
     * @param titles catalogue size
     * @param interactions rows to write (approximately: each user gets at least one)
     * @param days span of the timestamps
     * @param seed random seed
     */
    public record Params(int users, int titles, long interactions, int days, long seed) {
        public Params {
            if (users < 1 || titles < 10 || interactions < users || days < 1) {
                throw new IllegalArgumentException("need users >= 1, titles >= 10, interactions >= users, days >= 1");
            }
        }
    }

    /**
     * Writes the interactions to {@code out} and the items to {@link #itemsFile(Path)}.
     *
     * @return rows written
     * @throws IOException when a file cannot be written
     */
    public static long generate(Params p, Path out) throws IOException {
        Random rnd = new Random(p.seed());
        int n = p.titles();
        // genres: Zipf sizes
        double[] genreWeight = new double[GENRES.length];
        for (int g = 0; g < GENRES.length; g++) {
            genreWeight[g] = 1.0 / Math.pow(g + 1, 0.8);
        }
        // franchises
        int[] franchise = new int[n];
        int[] entry = new int[n];
        int[][] genres = new int[n][];
        String[] tags = new String[n];
        int[] studio = new int[n];
        List<int[]> franchises = new ArrayList<>();
        int i = 0;
        while (i < n) {
            int size = rnd.nextDouble() < 0.25 ? 2 + rnd.nextInt(7) : 1;
            size = Math.min(size, n - i);
            int ng = 1 + rnd.nextInt(3);
            int[] gs = new int[ng];
            for (int x = 0; x < ng; x++) {
                gs[x] = pick(genreWeight, rnd);
            }
            gs = Arrays.stream(gs).distinct().toArray();
            int st = rnd.nextInt(300);
            StringBuilder tg = new StringBuilder();
            int nt = 2 + rnd.nextInt(3);
            for (int x = 0; x < nt; x++) {
                tg.append(x == 0 ? "" : ";").append(GENRES[gs[rnd.nextInt(gs.length)]]).append('-').append(rnd.nextInt(12));
            }
            int[] members = new int[size];
            for (int e = 0; e < size; e++) {
                franchise[i] = franchises.size();
                entry[i] = e;
                genres[i] = gs;
                tags[i] = tg.toString();
                studio[i] = st;
                members[e] = i++;
            }
            franchises.add(members);
        }
        // long-tail popularity
        int[] rankOf = new int[franchises.size()];
        for (int f = 0; f < rankOf.length; f++) {
            rankOf[f] = f;
        }
        shuffle(rankOf, rnd);
        double[] pop = new double[n];
        for (int t = 0; t < n; t++) {
            pop[t] = 1.0 / Math.pow(rankOf[franchise[t]] + 1, 0.9) * Math.pow(0.8, entry[t]);
        }
        // sampling tables: global, and per genre
        Sampler global = new Sampler(allItems(n), pop);
        Sampler[] byGenre = new Sampler[GENRES.length];
        for (int g = 0; g < GENRES.length; g++) {
            final int gg = g;
            int[] members = java.util.stream.IntStream.range(0, n)
                    .filter(t -> Arrays.stream(genres[t]).anyMatch(x -> x == gg)).toArray();
            byGenre[g] = members.length == 0 ? null : new Sampler(members, pop);
        }
        // activity
        double[] raw = new double[p.users()];
        double sum = 0;
        for (int u = 0; u < raw.length; u++) {
            raw[u] = Math.exp(rnd.nextGaussian());
            sum += raw[u];
        }
        int cap = Math.max(1, n / 4);
        long start = 1_700_000_000L;
        long span = p.days() * 86_400L;
        long rows = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("user_id,item_id,timestamp,weight\n");
            BitSet watched = new BitSet(n);
            for (int u = 0; u < p.users(); u++) {
                int count = (int) Math.max(1, Math.min(cap, Math.round(raw[u] / sum * p.interactions())));
                int nf = 1 + rnd.nextInt(3);
                int[] fav = new int[nf];
                double[] share = new double[nf];
                for (int x = 0; x < nf; x++) {
                    fav[x] = pick(genreWeight, rnd);
                    share[x] = 0.2 + rnd.nextDouble();
                }
                watched.clear();
                Deque<Integer> next = new ArrayDeque<>();
                long time = start + (long) (rnd.nextDouble() * span * 0.5);
                long step = Math.max(60, (start + span - time) / (count + 1));
                for (int k = 0; k < count; k++) {
                    time += (long) (-Math.log(1 - rnd.nextDouble()) * step);
                    int t = -1;
                    if (!next.isEmpty() && rnd.nextDouble() < 0.6) {
                        t = next.pollLast();
                        if (watched.get(t)) {
                            t = -1;
                        }
                    }
                    for (int attempt = 0; t < 0 && attempt < 20; attempt++) {
                        int c;
                        if (rnd.nextDouble() < 0.85) {
                            Sampler s = byGenre[fav[pick(share, rnd)]];
                            c = s == null ? global.sample(rnd) : s.sample(rnd);
                        } else {
                            c = global.sample(rnd);
                        }
                        if (entry[c] > 0 && rnd.nextDouble() < 0.8) {
                            for (int m : franchises.get(franchise[c])) {
                                if (!watched.get(m)) {
                                    c = m;
                                    break;
                                }
                            }
                        }
                        if (!watched.get(c)) {
                            t = c;
                        }
                    }
                    if (t < 0) {
                        continue;
                    }
                    watched.set(t);
                    boolean liked = false;
                    for (int g : genres[t]) {
                        for (int f : fav) {
                            liked |= g == f;
                        }
                    }
                    double r = rnd.nextDouble();
                    int weight = r < (liked ? 0.2 : 0.45) ? 1 : r < (liked ? 0.75 : 0.9) ? 3 : 5;
                    if (weight > 1) {
                        int[] members = franchises.get(franchise[t]);
                        if (entry[t] + 1 < members.length) {
                            next.addLast(members[entry[t] + 1]);
                        }
                    }
                    w.write('u');
                    w.write(Integer.toString(u));
                    w.write(",t");
                    w.write(Integer.toString(t));
                    w.write(',');
                    w.write(Long.toString(Math.min(time, start + span)));
                    w.write(',');
                    w.write(Integer.toString(weight));
                    w.write('\n');
                    rows++;
                }
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(itemsFile(out), StandardCharsets.UTF_8)) {
            w.write("item_id,franchise,genres,tags,studio\n");
            for (int t = 0; t < n; t++) {
                StringBuilder g = new StringBuilder();
                for (int x : genres[t]) {
                    g.append(g.length() == 0 ? "" : ";").append(GENRES[x]);
                }
                w.write("t" + t + ",f" + franchise[t] + "," + g + "," + tags[t] + ",studio-" + studio[t] + "\n");
            }
        }
        return rows;
    }

    /** @return the item file written beside an interaction file: {@code x.csv} → {@code x.items.csv} */
    public static Path itemsFile(Path interactions) {
        String name = interactions.getFileName().toString();
        String base = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return interactions.resolveSibling(base + ".items.csv");
    }

    private static int[] allItems(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int pick(double[] weights, Random rnd) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = rnd.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Samples items in proportion to a weight, by binary search in the cumulative weights. */
    private static final class Sampler {
        final int[] items;
        final double[] cumulative;

        Sampler(int[] items, double[] weight) {
            this.items = items;
            this.cumulative = new double[items.length];
            double c = 0;
            for (int x = 0; x < items.length; x++) {
                c += weight[items[x]];
                cumulative[x] = c;
            }
        }

        int sample(Random rnd) {
            double r = rnd.nextDouble() * cumulative[cumulative.length - 1];
            int at = Arrays.binarySearch(cumulative, r);
            return items[Math.min(items.length - 1, at >= 0 ? at : -at - 1)];
        }
    }
}
