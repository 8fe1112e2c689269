package dev.kino.common.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram with fixed upper bounds: {@link #observe} adds one observation (lock-free, from any thread,
 * no allocation); {@link #write} renders the cumulative {@code _bucket{le="…"}} series, {@code +Inf}, {@code _sum}
 * and {@code _count}. A scrape that runs while observations arrive may see a bucket and the count a few apart; the
 * next scrape is consistent again (the format tolerates it, as client libraries do).
 */
public final class Histogram {
    /** Latency bounds in seconds for request handling: 1 ms to 30 s. */
    public static final double[] LATENCY_SECONDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final double[] bounds;
    private final String[] boundLabels;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    /**
     * @param bounds bucket upper bounds, strictly increasing, finite ({@code +Inf} is implied)
     * @throws IllegalArgumentException when they are not
     */
    public Histogram(double... bounds) {
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException("histogram bounds must be finite and increasing: bound " + i
                        + " is " + bounds[i]);
            }
        }
        this.bounds = bounds.clone();
        this.boundLabels = new String[bounds.length];
        this.counts = new LongAdder[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            boundLabels[i] = PrometheusText.number(bounds[i]);
            counts[i] = new LongAdder();
        }
    }

    /** @param value one observation, in the unit of the bounds */
    public void observe(double value) {
        // non-cumulative here, summed at render: one increment per observation instead of one per bucket above it
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                counts[i].increment();
                break;
            }
        }
        count.increment();
        sum.add(value);
    }

    /** @return observations so far */
    public long count() {
        return count.sum();
    }

    /** @return the sum of the observations so far */
    public double sum() {
        return sum.sum();
    }

    /**
     * Writes the series of this histogram (the family's {@code # TYPE … histogram} line is the caller's).
     *
     * @param out the writer
     * @param name the family name, without suffix
     * @param labels label names and values, alternating, before {@code le}
     */
    public void write(PrometheusText out, String name, String... labels) {
        String bucket = name + "_bucket";
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            out.sample(bucket, cumulative, labels, "le", boundLabels[i]);
        }
        long n = count.sum();
        // +Inf is the count, never less than the finite buckets even mid-update
        out.sample(bucket, Math.max(n, cumulative), labels, "le", "+Inf");
        out.sample(name + "_sum", sum.sum(), labels);
        out.sample(name + "_count", Math.max(n, cumulative), labels);
    }
}
