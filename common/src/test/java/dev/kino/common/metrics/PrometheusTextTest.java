package dev.kino.common.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrometheusTextTest {
    @Test
    void familiesSamplesAndEscapedLabels() {
        PrometheusText out = new PrometheusText();
        out.family("x_total", "counter", "A \\ count\nof things.");
        out.sample("x_total", 3, "path", "a\"b\\c\nd", "k", "v");
        out.sample("y", Double.POSITIVE_INFINITY);
        assertEquals("""
                # HELP x_total A \\\\ count\\nof things.
                # TYPE x_total counter
                x_total{path="a\\"b\\\\c\\nd",k="v"} 3
                y +Inf
                """, out.toString());
        assertThrows(IllegalArgumentException.class, () -> out.sample("z", 1, "only-a-name"));
    }

    @Test
    void histogramIsCumulativeWithInfSumAndCount() {
        Histogram h = new Histogram(0.1, 1, 10);
        h.observe(0.05);
        h.observe(0.1); // on the bound: in le="0.1"
        h.observe(5);
        h.observe(50);
        PrometheusText out = new PrometheusText();
        h.write(out, "d_seconds", "route", "/a");
        assertEquals("""
                d_seconds_bucket{route="/a",le="0.1"} 2
                d_seconds_bucket{route="/a",le="1.0"} 2
                d_seconds_bucket{route="/a",le="10.0"} 3
                d_seconds_bucket{route="/a",le="+Inf"} 4
                d_seconds_sum{route="/a"} 55.15
                d_seconds_count{route="/a"} 4
                """, out.toString());
        assertThrows(IllegalArgumentException.class, () -> new Histogram(1, 1));
    }

    @Test
    void familyKeepsOneChildPerCombinationInLabelOrder() {
        Family<LongAdder> f = new Family<>(LongAdder::new, "route", "status");
        f.get("/b", "200").increment();
        f.get("/a", "404").increment();
        f.get("/b", "200").increment();
        PrometheusText out = new PrometheusText();
        f.forEach((labels, n) -> out.sample("r_total", n.sum(), labels));
        assertEquals("r_total{route=\"/a\",status=\"404\"} 1\nr_total{route=\"/b\",status=\"200\"} 2\n", out.toString());
        assertEquals(2, f.size());
        assertThrows(IllegalArgumentException.class, () -> f.get("/a"));
    }
}
