package dev.kino.control.recommend;

import java.util.stream.IntStream;

/**
 * Item-to-item collaborative filtering: the cosine similarity of two items' user vectors, shrunk towards 0 for pairs
 * few users share. Pure (no database): the service's background job and {@code ./kino recommend evaluate} call the
 * same {@link #train}.
 *
 * <p>For items i and j with user confidences c<sub>ui</sub> = ln(1 + w<sub>ui</sub>) (w the summed positive signal
 * weight) and user weights a<sub>u</sub> = 1 / log<sub>2</sub>(2 + n<sub>u</sub>) (n<sub>u</sub> the user's items:
 * a binge-watcher of everything says less about each pair than a selective viewer):
 *
 * <pre>
 * sim(i, j) = Σ_u a_u c_ui c_uj / (‖i‖ ‖j‖) · n_ij / (n_ij + shrinkage)      ‖i‖² = Σ_u a_u c_ui²
 * </pre>
 *
 * where n<sub>ij</sub> counts users with both. Only a user's {@link Params#maxHistory} most recent positive items
 * enter the pairs (bounding the quadratic cost per user), pairs with fewer than {@link Params#minSupport} users are
 * dropped, and each item keeps its {@link Params#neighbours} best.
 *
 * <p>Cost: Σ<sub>u</sub> min(n<sub>u</sub>, maxHistory)² multiply-adds and one float plus one int per item of
 * scratch per thread; items are processed in parallel.
 */
public final class ItemSimilarity {
    private ItemSimilarity() {
    }

    /**
     * @param neighbours most neighbours kept per item
     * @param shrinkage the n<sub>ij</sub> at which a pair's similarity counts half
     * @param minSupport fewest users two items must share
     * @param maxHistory most recent positive items per user that enter pairs
     */
    public record Params(int neighbours, double shrinkage, int minSupport, int maxHistory) {
        /** The service's and the evaluation's defaults: 100 neighbours, shrinkage 10, support 2, history 200. */
        public static final Params DEFAULT = new Params(100, 10, 2, 200);
    }

    /**
     * @param data the interactions (only positive weights are used)
     * @param p parameters
     * @return each item's most similar items, best first
     */
    public static Neighbours train(Interactions data, Params p) {
        int users = data.users();
        int items = data.items();
        // users' capped positive rows
        int[] rowStart = new int[users + 1];
        for (int u = 0; u < users; u++) {
            int count = 0;
            for (int e = data.end(u) - 1; e >= data.start(u) && count < p.maxHistory(); e--) {
                if (data.weight(e) > 0) {
                    count++;
                }
            }
            rowStart[u + 1] = rowStart[u] + count;
        }
        int nnz = rowStart[users];
        int[] rowItem = new int[nnz];
        float[] rowConf = new float[nnz];
        float[] userWeight = new float[users];
        int[] colCount = new int[items + 1];
        for (int u = 0; u < users; u++) {
            int k = rowStart[u];
            for (int e = data.end(u) - 1; e >= data.start(u) && k < rowStart[u + 1]; e--) {
                if (data.weight(e) > 0) {
                    rowItem[k] = data.item(e);
                    rowConf[k] = (float) Math.log1p(data.weight(e));
                    colCount[data.item(e) + 1]++;
                    k++;
                }
            }
            userWeight[u] = (float) (1.0 / (Math.log(2 + rowStart[u + 1] - rowStart[u]) / Math.log(2)));
        }
        for (int i = 0; i < items; i++) {
            colCount[i + 1] += colCount[i];
        }
        int[] colStart = colCount;
        int[] colUser = new int[nnz];
        float[] colConf = new float[nnz];
        int[] fill = java.util.Arrays.copyOf(colStart, items);
        double[] norm2 = new double[items];
        for (int u = 0; u < users; u++) {
            for (int k = rowStart[u]; k < rowStart[u + 1]; k++) {
                int i = rowItem[k];
                colUser[fill[i]] = u;
                colConf[fill[i]++] = rowConf[k];
                norm2[i] += userWeight[u] * rowConf[k] * rowConf[k];
            }
        }
        float[] norm = new float[items];
        for (int i = 0; i < items; i++) {
            norm[i] = (float) Math.sqrt(norm2[i]);
        }
        int[][] ids = new int[items][];
        float[][] scores = new float[items][];
        ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(items, p.neighbours()));
        IntStream.range(0, items).parallel().forEach(i -> {
            Scratch s = scratch.get();
            s.top.clear();
            int touched = 0;
            for (int c = colStart[i]; c < colStart[i + 1]; c++) {
                int u = colUser[c];
                float f = userWeight[u] * colConf[c];
                for (int k = rowStart[u]; k < rowStart[u + 1]; k++) {
                    int j = rowItem[k];
                    if (j == i) {
                        continue;
                    }
                    if (s.count[j] == 0) {
                        s.touched[touched++] = j;
                    }
                    s.count[j]++;
                    s.dot[j] += f * rowConf[k];
                }
            }
            for (int t = 0; t < touched; t++) {
                int j = s.touched[t];
                int n = s.count[j];
                if (n >= p.minSupport() && norm[i] > 0 && norm[j] > 0) {
                    double sim = s.dot[j] / (norm[i] * (double) norm[j]) * n / (n + p.shrinkage());
                    if (sim > 0) {
                        s.top.offer(j, (float) sim);
                    }
                }
                s.count[j] = 0;
                s.dot[j] = 0;
            }
            ids[i] = s.top.ids();
            scores[i] = s.top.scores();
        });
        return new Neighbours(ids, scores);
    }

    private static final class Scratch {
        final float[] dot;
        final int[] count;
        final int[] touched;
        final Neighbours.TopK top;

        Scratch(int items, int k) {
            dot = new float[items];
            count = new int[items];
            touched = new int[items];
            top = new Neighbours.TopK(k);
        }
    }
}
