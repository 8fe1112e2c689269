package dev.kino.common.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the Prometheus text exposition format, version 0.0.4 (the {@code text/plain; version=0.0.4} a scraper asks
 * for): per metric family a {@code # HELP} and a {@code # TYPE} line, then one line per sample,
 * {@code name{label="value",…} number}. Label values are escaped as the format requires (backslash, double quote,
 * line feed); names are the caller's and must match {@code [a-zA-Z_:][a-zA-Z0-9_:]*} (not checked: they are constants).
 * Not thread-safe: one writer per scrape.
 *
 * <pre>{@code
 * PrometheusText out = new PrometheusText();
 * out.family("kino_media_requests_total", "counter", "Requests answered.");
 * out.sample("kino_media_requests_total", 12, "status", "200", "kind", "segment");
 * String body = out.toString();
 * }</pre>
 */
public final class PrometheusText {
    /** The {@code Content-Type} of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder sb = new StringBuilder(4096);

    /**
     * Starts a family.
     *
     * @param name metric name (for a histogram the base name, without {@code _bucket})
     * @param type {@code counter}, {@code gauge} or {@code histogram}
     * @param help one line saying what it counts and in which unit
     * @return this writer
     */
    public PrometheusText family(String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else {
                sb.append(c);
            }
        }
        sb.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /**
     * @param name sample name
     * @param value the count
     * @param labels label names and values, alternating
     * @return this writer
     */
    public PrometheusText sample(String name, long value, String... labels) {
        head(name, labels, null, null);
        sb.append(value).append('\n');
        return this;
    }

    /**
     * @param name sample name
     * @param value the value ({@code NaN} and infinities as the format spells them)
     * @param labels label names and values, alternating
     * @return this writer
     */
    public PrometheusText sample(String name, double value, String... labels) {
        head(name, labels, null, null);
        sb.append(number(value)).append('\n');
        return this;
    }

    /**
     * Writes an unlabelled counter: its {@code # HELP} and {@code # TYPE} lines and its one sample.
     *
     * @param name metric name ({@code …_total})
     * @param help what it counts
     * @param value the count
     * @return this writer
     */
    public PrometheusText counter(String name, String help, long value) {
        return family(name, "counter", help).sample(name, value);
    }

    /**
     * Writes an unlabelled gauge: its {@code # HELP} and {@code # TYPE} lines and its one sample.
     *
     * @param name metric name
     * @param help what it measures, in which unit
     * @param value the value now
     * @return this writer
     */
    public PrometheusText gauge(String name, String help, long value) {
        return family(name, "gauge", help).sample(name, value);
    }

    /**
     * Writes a labelled counter family: its {@code # HELP} and {@code # TYPE} lines, then one sample per child.
     *
     * @param name metric name ({@code …_total})
     * @param help what it counts
     * @param family the children
     * @return this writer
     */
    public PrometheusText counters(String name, String help, Family<LongAdder> family) {
        family(name, "counter", help);
        family.forEach((labels, n) -> sample(name, n.sum(), labels));
        return this;
    }

    /**
     * Writes a labelled histogram family: its {@code # HELP} and {@code # TYPE} lines, then each child's series.
     *
     * @param name metric base name
     * @param help what it measures, in which unit
     * @param family the children
     * @return this writer
     */
    public PrometheusText histograms(String name, String help, Family<Histogram> family) {
        family(name, "histogram", help);
        family.forEach((labels, h) -> h.write(this, name, labels));
        return this;
    }

    /** A sample with one more label after {@code labels} (a histogram's {@code le}). */
    PrometheusText sample(String name, long value, String[] labels, String extraName, String extraValue) {
        head(name, labels, extraName, extraValue);
        sb.append(value).append('\n');
        return this;
    }

    private void head(String name, String[] labels, String extraName, String extraValue) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs: " + labels.length + " strings");
        }
        sb.append(name);
        if (labels.length > 0 || extraName != null) {
            sb.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                label(labels[i], labels[i + 1], i > 0);
            }
            if (extraName != null) {
                label(extraName, extraValue, labels.length > 0);
            }
            sb.append('}');
        }
        sb.append(' ');
    }

    private void label(String name, String value, boolean comma) {
        if (comma) {
            sb.append(',');
        }
        sb.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }

    /** @return {@code value} as the format spells it: {@code +Inf}, {@code -Inf}, {@code NaN}, else Java's */
    static String number(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        return Double.isNaN(value) ? "NaN" : Double.toString(value);
    }

    /** @return the exposition text written so far */
    @Override
    public String toString() {
        return sb.toString();
    }
}
