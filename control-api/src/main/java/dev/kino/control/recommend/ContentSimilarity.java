package dev.kino.control.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Content similarity of titles: the cosine of TF-IDF vectors over their metadata tokens ({@link #tokens}: genres,
 * tags, studios, people and synopsis words, each field with its own weight). It gives cold titles (no or few viewers)
 * neighbours, and feeds the {@link Blend}. Pure (no database).
 *
 * <p>A token's IDF is ln(N / df). Candidates of an item are the items sharing a token with it, read from inverted
 * lists; a list longer than {@link #MAX_POSTINGS} (a genre of half the catalogue) is read only that far from the
 * item's own position, so the cost per item is bounded; candidates are scored exactly.
 */
public final class ContentSimilarity {
    /** Most entries of one token's inverted list read per item. */
    static final int MAX_POSTINGS = 2_000;
    /** Field weights by token prefix. */
    private static final Map<Character, Double> FIELD = Map.of('g', 1.0, 't', 0.7, 's', 0.6, 'p', 0.8, 'w', 0.25);
    private static final Set<String> STOP = Set.of("with", "that", "this", "from", "their", "they", "have", "when",
            "into", "what", "will", "after", "about", "where", "there", "which", "while", "them", "than", "then",
            "were", "been", "being", "only", "over", "must", "more", "most", "each", "other", "some", "such", "also",
            "його", "який", "яка", "якого", "щоб", "коли", "після", "через", "вони", "свою", "своїх");

    private ContentSimilarity() {
    }

    /**
     * The tokens of a title: {@code g:genre}, {@code t:tag}, {@code s:studio}, {@code p:person}, {@code w:word} (synopsis
     * words of four letters or more, lower-cased, without common stop words).
     *
     * @param genres genres, may be empty
     * @param tags tags, may be empty
     * @param studios studios, may be empty
     * @param people cast and staff names, may be empty
     * @param synopsis text, may be null
     * @return the tokens, duplicates removed
     */
    public static List<String> tokens(List<String> genres, List<String> tags, List<String> studios, List<String> people,
                                      String synopsis) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        genres.forEach(g -> out.add("g:" + g.toLowerCase(Locale.ROOT)));
        tags.forEach(t -> out.add("t:" + t.toLowerCase(Locale.ROOT)));
        studios.forEach(s -> out.add("s:" + s.toLowerCase(Locale.ROOT)));
        people.forEach(p -> out.add("p:" + p.toLowerCase(Locale.ROOT)));
        if (synopsis != null) {
            for (String w : synopsis.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
                if (w.length() >= 4 && !STOP.contains(w)) {
                    out.add("w:" + w);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * @param features each item's tokens ({@link #tokens}), by item index; null or empty for none
     * @param k most neighbours kept per item
     * @return each item's most similar items by content, best first
     */
    public static Neighbours train(List<List<String>> features, int k) {
        int items = features.size();
        Map<String, Integer> ids = new HashMap<>();
        List<Integer> df = new ArrayList<>();
        int[][] tok = new int[items][];
        for (int i = 0; i < items; i++) {
            List<String> f = features.get(i);
            if (f == null) {
                tok[i] = new int[0];
                continue;
            }
            int[] t = f.stream().distinct().mapToInt(s -> ids.computeIfAbsent(s, x -> {
                df.add(0);
                return df.size() - 1;
            })).sorted().toArray();
            for (int x : t) {
                df.set(x, df.get(x) + 1);
            }
            tok[i] = t;
        }
        String[] names = new String[ids.size()];
        ids.forEach((s, i) -> names[i] = s);
        double[] idfw = new double[names.length];
        for (int t = 0; t < names.length; t++) {
            idfw[t] = Math.log((double) items / df.get(t)) * FIELD.getOrDefault(names[t].charAt(0), 0.5);
        }
        float[][] val = new float[items][];
        for (int i = 0; i < items; i++) {
            double n2 = 0;
            for (int t : tok[i]) {
                n2 += idfw[t] * idfw[t];
            }
            double n = Math.sqrt(n2);
            val[i] = new float[tok[i].length];
            for (int x = 0; x < tok[i].length; x++) {
                val[i][x] = n == 0 ? 0 : (float) (idfw[tok[i][x]] / n);
            }
        }
        int[][] post = new int[names.length][];
        int[] fill = new int[names.length];
        for (int t = 0; t < names.length; t++) {
            post[t] = new int[df.get(t)];
        }
        for (int i = 0; i < items; i++) {
            for (int t : tok[i]) {
                post[t][fill[t]++] = i;
            }
        }
        int[][] outIds = new int[items][];
        float[][] outScores = new float[items][];
        ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(items, k));
        IntStream.range(0, items).parallel().forEach(i -> {
            Scratch s = scratch.get();
            s.top.clear();
            int touched = 0;
            for (int t : tok[i]) {
                int[] p = post[t];
                int from = 0;
                int to = p.length;
                if (p.length > MAX_POSTINGS) {
                    int at = Arrays.binarySearch(p, i);
                    from = Math.max(0, Math.min(at - MAX_POSTINGS / 2, p.length - MAX_POSTINGS));
                    to = from + MAX_POSTINGS;
                }
                for (int x = from; x < to; x++) {
                    int j = p[x];
                    if (j != i && !s.seen[j]) {
                        s.seen[j] = true;
                        s.touched[touched++] = j;
                    }
                }
            }
            for (int x = 0; x < touched; x++) {
                int j = s.touched[x];
                s.seen[j] = false;
                float sim = dot(tok[i], val[i], tok[j], val[j]);
                if (sim > 1e-6f) {
                    s.top.offer(j, Math.min(1f, sim));
                }
            }
            outIds[i] = s.top.ids();
            outScores[i] = s.top.scores();
        });
        return new Neighbours(outIds, outScores);
    }

    private static float dot(int[] ta, float[] va, int[] tb, float[] vb) {
        float sum = 0;
        int a = 0;
        int b = 0;
        while (a < ta.length && b < tb.length) {
            if (ta[a] == tb[b]) {
                sum += va[a++] * vb[b++];
            } else if (ta[a] < tb[b]) {
                a++;
            } else {
                b++;
            }
        }
        return sum;
    }

    private static final class Scratch {
        final boolean[] seen;
        final int[] touched;
        final Neighbours.TopK top;

        Scratch(int items, int k) {
            seen = new boolean[items];
            touched = new int[items];
            top = new Neighbours.TopK(k);
        }
    }
}
