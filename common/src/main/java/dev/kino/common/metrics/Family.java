package dev.kino.common.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The children of one labelled metric: one value (a {@link java.util.concurrent.atomic.LongAdder}, a
 * {@link Histogram}) per combination of label values, made on first use. Cardinality is the caller's to bound: label
 * values must come from small fixed sets (route templates, statuses, bitrate bands), never from request data as such.
 *
 * <pre>{@code
 * Family<LongAdder> requests = new Family<>(LongAdder::new, "route", "status");
 * requests.get("/api/v1/titles/{id}", "200").increment();
 * requests.forEach((labels, n) -> out.sample("kino_control_http_requests_total", n.sum(), labels));
 * }</pre>
 *
 * @param <T> the value type
 */
public final class Family<T> {
    private final String[] labelNames;
    private final Supplier<T> factory;
    private final Map<Key, T> children = new ConcurrentHashMap<>();

    /**
     * @param factory makes the value of a new combination
     * @param labelNames the label names, in the order {@link #get} takes values
     */
    public Family(Supplier<T> factory, String... labelNames) {
        this.factory = Objects.requireNonNull(factory);
        this.labelNames = labelNames.clone();
    }

    /**
     * @param values one value per label name
     * @return the child for them, made now if new
     * @throws IllegalArgumentException when the number of values is not the number of labels
     */
    public T get(String... values) {
        if (values.length != labelNames.length) {
            throw new IllegalArgumentException("expected " + labelNames.length + " label values "
                    + Arrays.toString(labelNames) + ", got " + values.length);
        }
        // the lookup key wraps the caller's (fresh varargs) array; a new child keeps a copy of its own
        T existing = children.get(new Key(values, false));
        return existing != null ? existing : children.computeIfAbsent(new Key(values, true), k -> factory.get());
    }

    /** @return how many label combinations exist */
    public int size() {
        return children.size();
    }

    /**
     * Visits every child in label order (stable output between scrapes).
     *
     * @param visitor gets the labels as alternating names and values (ready for {@link PrometheusText#sample}) and
     *                the child
     */
    public void forEach(BiConsumer<String[], T> visitor) {
        children.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String[] v = e.getKey().values;
            String[] labels = new String[v.length * 2];
            for (int i = 0; i < v.length; i++) {
                labels[2 * i] = labelNames[i];
                labels[2 * i + 1] = v[i];
            }
            visitor.accept(labels, e.getValue());
        });
    }

    private static final class Key implements Comparable<Key> {
        final String[] values;
        final int hash;

        Key(String[] values, boolean copy) {
            this.values = copy ? values.clone() : values;
            this.hash = Arrays.hashCode(this.values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(Key o) {
            return Arrays.compare(values, o.values);
        }
    }
}
