package dev.kino.control.recommend;

import java.util.Arrays;

/**
 * Each item's nearest items, best first: the output of {@link ItemSimilarity} and {@link ContentSimilarity}.
 * Scores are similarities in (0, 1]; an item has no entry for itself.
 */
public final class Neighbours {
    private final int[][] ids;
    private final float[][] scores;

    Neighbours(int[][] ids, float[][] scores) {
        this.ids = ids;
        this.scores = scores;
    }

    /** @return neighbours of nobody, for {@code items} items */
    public static Neighbours none(int items) {
        int[][] ids = new int[items][];
        float[][] scores = new float[items][];
        Arrays.fill(ids, new int[0]);
        Arrays.fill(scores, new float[0]);
        return new Neighbours(ids, scores);
    }

    /** @return how many items */
    public int items() {
        return ids.length;
    }

    /** @return the item's neighbours, best first (do not modify) */
    public int[] of(int item) {
        return ids[item];
    }

    /** @return their similarities, aligned with {@link #of(int)} (do not modify) */
    public float[] scores(int item) {
        return scores[item];
    }

    /** Keeps the {@code k} best of {@code n} candidates (ids and scores) per item; a reusable top-k selector. */
    static final class TopK {
        private final int k;
        private final int[] heapId;
        private final float[] heapScore;
        private int size;

        TopK(int k) {
            this.k = k;
            this.heapId = new int[k];
            this.heapScore = new float[k];
        }

        void clear() {
            size = 0;
        }

        /** Offers one candidate (ties go to the lower id). */
        void offer(int id, float score) {
            if (size < k) {
                heapId[size] = id;
                heapScore[size] = score;
                up(size++);
            } else if (k > 0 && better(id, score, heapId[0], heapScore[0])) {
                heapId[0] = id;
                heapScore[0] = score;
                down(0);
            }
        }

        private static boolean better(int id, float s, int otherId, float other) {
            return s > other || (s == other && id < otherId);
        }

        private void up(int i) {
            while (i > 0) {
                int p = (i - 1) / 2;
                if (better(heapId[p], heapScore[p], heapId[i], heapScore[i])) {
                    swap(i, p);
                    i = p;
                } else {
                    break;
                }
            }
        }

        private void down(int i) {
            while (true) {
                int l = 2 * i + 1;
                int r = l + 1;
                int m = i;
                if (l < size && better(heapId[m], heapScore[m], heapId[l], heapScore[l])) {
                    m = l;
                }
                if (r < size && better(heapId[m], heapScore[m], heapId[r], heapScore[r])) {
                    m = r;
                }
                if (m == i) {
                    return;
                }
                swap(i, m);
                i = m;
            }
        }

        private void swap(int a, int b) {
            int id = heapId[a];
            heapId[a] = heapId[b];
            heapId[b] = id;
            float s = heapScore[a];
            heapScore[a] = heapScore[b];
            heapScore[b] = s;
        }

        /** @return the kept ids, best first */
        int[] ids() {
            Integer[] order = order();
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = heapId[order[i]];
            }
            return out;
        }

        /** @return the kept scores, aligned with {@link #ids()} */
        float[] scores() {
            Integer[] order = order();
            float[] out = new float[size];
            for (int i = 0; i < size; i++) {
                out[i] = heapScore[order[i]];
            }
            return out;
        }

        private Integer[] order() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> better(heapId[a], heapScore[a], heapId[b], heapScore[b]) ? -1
                    : better(heapId[b], heapScore[b], heapId[a], heapScore[a]) ? 1 : 0);
            return order;
        }
    }
}
