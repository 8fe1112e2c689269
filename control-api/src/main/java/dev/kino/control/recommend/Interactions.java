package dev.kino.control.recommend;

import java.util.Arrays;

/**
 * Implicit feedback as a compact user × item matrix: what {@link Blend} trains on, built by the service's background
 * job from the platform's signals and by the offline evaluation from a CSV file, through the same {@link Builder}.
 * Users are indices {@code 0..users()-1}, items {@code 0..items()-1}. One entry per (user, item): repeated signals of a
 * pair are summed into one weight and keep the latest time. A user's entries are ordered oldest first.
 *
 * <p>Weights are signal strengths in the service's vocabulary ({@link Signals}): positive ones (a start, a finished
 * episode, a high score, a like, a watchlist add, a follow) train the models; zero or negative ones (a dislike, a
 * low score) only mark the item as known to the user, so it is never recommended to them.
 */
public final class Interactions {
    private final int users;
    private final int items;
    private final int[] userStart;
    private final int[] item;
    private final float[] weight;
    private final long[] time;

    private Interactions(int users, int items, int[] userStart, int[] item, float[] weight, long[] time) {
        this.users = users;
        this.items = items;
        this.userStart = userStart;
        this.item = item;
        this.weight = weight;
        this.time = time;
    }

    /** @return how many users (rows) */
    public int users() {
        return users;
    }

    /** @return how many items (columns) */
    public int items() {
        return items;
    }

    /** @return how many (user, item) entries */
    public int size() {
        return item.length;
    }

    /** @return index of the user's first entry in the entry arrays */
    public int start(int user) {
        return userStart[user];
    }

    /** @return index after the user's last entry */
    public int end(int user) {
        return userStart[user + 1];
    }

    /** @return the item of entry {@code e} */
    public int item(int e) {
        return item[e];
    }

    /** @return the summed weight of entry {@code e} */
    public float weight(int e) {
        return weight[e];
    }

    /** @return the latest time of entry {@code e}, in seconds since the epoch */
    public long time(int e) {
        return time[e];
    }

    /** @return the latest time of any entry, in seconds since the epoch (0 when empty) */
    public long latestTime() {
        long max = 0;
        for (long t : time) {
            max = Math.max(max, t);
        }
        return max;
    }

    /** @return a builder of entries in any order */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects (user, item, weight, time) signals in any order, duplicates allowed. */
    public static final class Builder {
        private int n;
        private int[] user = new int[1024];
        private int[] item = new int[1024];
        private float[] weight = new float[1024];
        private long[] time = new long[1024];

        private Builder() {
        }

        /**
         * @param user user index, 0 or more
         * @param item item index, 0 or more
         * @param weight signal strength (summed with the pair's others)
         * @param epochSecond when, in seconds since the epoch
         * @return this
         */
        public Builder add(int user, int item, float weight, long epochSecond) {
            if (user < 0 || item < 0) {
                throw new IllegalArgumentException("negative index");
            }
            if (n == this.user.length) {
                int cap = n * 2;
                this.user = Arrays.copyOf(this.user, cap);
                this.item = Arrays.copyOf(this.item, cap);
                this.weight = Arrays.copyOf(this.weight, cap);
                this.time = Arrays.copyOf(this.time, cap);
            }
            this.user[n] = user;
            this.item[n] = item;
            this.weight[n] = weight;
            this.time[n] = epochSecond;
            n++;
            return this;
        }

        /** @return how many signals were added */
        public int size() {
            return n;
        }

        /**
         * @param users rows (more than every user index added)
         * @param items columns (more than every item index added)
         * @return the matrix, one entry per (user, item), each user's entries oldest first
         */
        public Interactions build(int users, int items) {
            int[] start = new int[users + 1];
            for (int i = 0; i < n; i++) {
                if (user[i] >= users || item[i] >= items) {
                    throw new IllegalArgumentException("index out of range: user " + user[i] + ", item " + item[i]);
                }
                start[user[i] + 1]++;
            }
            for (int u = 0; u < users; u++) {
                start[u + 1] += start[u];
            }
            int[] fill = Arrays.copyOf(start, users);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[fill[user[i]]++] = i;
            }
            int[] outStart = new int[users + 1];
            int[] outItem = new int[n];
            float[] outWeight = new float[n];
            long[] outTime = new long[n];
            int out = 0;
            long[] keys = new long[16];
            for (int u = 0; u < users; u++) {
                outStart[u] = out;
                int from = start[u];
                int len = start[u + 1] - from;
                if (len == 0) {
                    continue;
                }
                if (keys.length < len) {
                    keys = new long[Math.max(len, keys.length * 2)];
                }
                // by item, to merge a pair's signals
                for (int k = 0; k < len; k++) {
                    keys[k] = ((long) item[order[from + k]] << 32) | k;
                }
                Arrays.sort(keys, 0, len);
                int first = out;
                int prevItem = -1;
                for (int k = 0; k < len; k++) {
                    int src = order[from + (int) (keys[k] & 0xffffffffL)];
                    if (item[src] == prevItem) {
                        outWeight[out - 1] += weight[src];
                        outTime[out - 1] = Math.max(outTime[out - 1], time[src]);
                    } else {
                        outItem[out] = item[src];
                        outWeight[out] = weight[src];
                        outTime[out] = time[src];
                        prevItem = item[src];
                        out++;
                    }
                }
                sortByTime(outItem, outWeight, outTime, first, out);
            }
            outStart[users] = out;
            return new Interactions(users, items, outStart, Arrays.copyOf(outItem, out), Arrays.copyOf(outWeight, out),
                    Arrays.copyOf(outTime, out));
        }

        private static void sortByTime(int[] item, float[] weight, long[] time, int from, int to) {
            int len = to - from;
            if (len < 2) {
                return;
            }
            Integer[] idx = new Integer[len];
            for (int k = 0; k < len; k++) {
                idx[k] = from + k;
            }
            Arrays.sort(idx, (a, b) -> time[a] != time[b] ? Long.compare(time[a], time[b]) : Integer.compare(item[a], item[b]));
            int[] it = new int[len];
            float[] w = new float[len];
            long[] t = new long[len];
            for (int k = 0; k < len; k++) {
                it[k] = item[idx[k]];
                w[k] = weight[idx[k]];
                t[k] = time[idx[k]];
            }
            System.arraycopy(it, 0, item, from, len);
            System.arraycopy(w, 0, weight, from, len);
            System.arraycopy(t, 0, time, from, len);
        }
    }
}
