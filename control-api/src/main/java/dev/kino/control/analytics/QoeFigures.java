package dev.kino.control.analytics;

/**
 * The startup-time histogram of the QoE rollup. Percentiles cannot be added up from hourly figures, so each hourly
 * row keeps counts of startup times in fixed buckets, and a report's p50 and p95 are read from the summed buckets:
 * the upper bound of the bucket that holds the percentile (resolution: the bucket widths, about 1.5× apart).
 */
final class QoeFigures {
    /**
     * Upper bounds (exclusive) of the startup buckets, milliseconds; bucket {@code i} is
     * {@code [bound[i-1], bound[i])}, the last one everything from the last bound on.
     */
    static final int[] STARTUP_BOUNDS_MS = {100, 250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000,
            16000, 24000, 32000};

    private QoeFigures() {
    }

    /** @return the bucket of a startup time */
    static int startupBucket(int ms) {
        for (int i = 0; i < STARTUP_BOUNDS_MS.length; i++) {
            if (ms < STARTUP_BOUNDS_MS[i]) {
                return i;
            }
        }
        return STARTUP_BOUNDS_MS.length;
    }

    /**
     * @param hist counts per bucket
     * @param p the percentile, 0 to 1 (0.5 for the median)
     * @return the upper bound of the bucket holding the {@code p} percentile (nearest-rank), in ms; for the last,
     *         unbounded bucket, its lower bound; null without any count
     */
    static Integer percentile(long[] hist, double p) {
        long total = 0;
        for (long c : hist) {
            total += c;
        }
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int i = 0; i < hist.length; i++) {
            seen += hist[i];
            if (seen >= rank) {
                return i < STARTUP_BOUNDS_MS.length ? STARTUP_BOUNDS_MS[i] : STARTUP_BOUNDS_MS[STARTUP_BOUNDS_MS.length - 1];
            }
        }
        return STARTUP_BOUNDS_MS[STARTUP_BOUNDS_MS.length - 1];
    }
}
