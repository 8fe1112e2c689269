package dev.kino.media.metrics;

import dev.kino.protocol.token.FailureReason;

import dev.kino.common.metrics.Family;
import dev.kino.common.metrics.Histogram;
import dev.kino.common.metrics.PrometheusText;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The media server's counters, rendered in the Prometheus text exposition format (version 0.0.4) with the shared
 * writer ({@link PrometheusText}): {@link LongAdder}s and {@link Histogram}s written from event loops, read when
 * scraped. Thread-safe.
 *
 * <pre>
 * kino_media_requests_total{status="206",kind="segment"}   requests answered, by status and resource kind
 * kino_media_response_bytes_total                         body bytes handed to the network
 * kino_media_request_duration_seconds_bucket{le="…"}      time from request to last byte written
 * kino_media_open_connections                             connections open now
 * kino_media_rejected_connections_total                   connections refused over the limit
 * kino_media_token_failures_total{reason="expired"}        token rejections by reason
 * kino_media_fast_answers_total                           of the requests answered, those the fast path answered
 * </pre>
 */
public final class MediaMetrics {
    private final Family<LongAdder> requests = new Family<>(LongAdder::new, "status", "kind");
    private final LongAdder bytes = new LongAdder();
    private final Histogram duration = new Histogram(Histogram.LATENCY_SECONDS);
    private final List<Consumer<PrometheusText>> extras = new CopyOnWriteArrayList<>();
    private final AtomicLong openConnections = new AtomicLong();
    private final LongAdder rejectedConnections = new LongAdder();
    private final LongAdder fastAnswers = new LongAdder();
    /** {@code requests}' status-200 counters by kind (the same adders). */
    private final Map<String, LongAdder> ok = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<FailureReason, LongAdder> tokenFailures = new EnumMap<>(FailureReason.class);

    /** Creates zeroed metrics. */
    public MediaMetrics() {
        for (FailureReason r : FailureReason.values()) {
            tokenFailures.put(r, new LongAdder());
        }
    }

    /**
     * @param status HTTP status sent
     * @param kind resource kind label ({@code playlist}, {@code segment}, {@code key}, {@code licence}, …)
     * @param bodyBytes body bytes sent
     * @param nanos time from request to completion
     */
    public void request(int status, String kind, long bodyBytes, long nanos) {
        // 200s are most answers: their counters by kind without building the family's two-label key each time
        (status == 200 ? ok.computeIfAbsent(kind, k -> requests.get("200", k)) : requests.get(statusText(status), kind))
                .increment();
        bytes.add(bodyBytes);
        duration.observe(nanos / 1e9);
    }

    /** The status label without building a string per request for the common ones. */
    private static String statusText(int status) {
        return switch (status) {
            case 200 -> "200";
            case 206 -> "206";
            case 304 -> "304";
            case 403 -> "403";
            case 404 -> "404";
            default -> Integer.toString(status);
        };
    }

    /** A request was answered by the fast path ({@code FastAnswers}); it is counted by {@link #request} too. */
    public void fastAnswer() {
        fastAnswers.increment();
    }

    /** @return the requests the fast path answered */
    public long fastAnswers() {
        return fastAnswers.sum();
    }

    /** @param reason a token rejection reason */
    public void tokenFailure(FailureReason reason) {
        tokenFailures.get(reason).increment();
    }

    /** @return the number of token rejections for {@code reason} */
    public long tokenFailures(FailureReason reason) {
        return tokenFailures.get(reason).sum();
    }

    /** A connection opened. */
    public void connectionOpened() {
        openConnections.incrementAndGet();
    }

    /** A connection closed. */
    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** A connection was refused over the connection limit. */
    public void connectionRejected() {
        rejectedConnections.increment();
    }

    /** @return connections open now */
    public long openConnections() {
        return openConnections.get();
    }

    /** @return the exposition text */
    public String render() {
        PrometheusText out = new PrometheusText();
        out.counters("kino_media_requests_total", "Requests answered, by status and resource kind.", requests);
        out.counter("kino_media_response_bytes_total", "Response body bytes sent.", bytes.sum());
        out.family("kino_media_request_duration_seconds", "histogram", "Time from request to the last byte written.");
        duration.write(out, "kino_media_request_duration_seconds");
        out.gauge("kino_media_open_connections", "Client connections open now.", openConnections.get());
        out.counter("kino_media_rejected_connections_total", "Connections refused over the limit.",
                rejectedConnections.sum());
        out.family("kino_media_token_failures_total", "counter", "Playback token rejections, by reason.");
        tokenFailures.forEach((r, v) -> out.sample("kino_media_token_failures_total", v.sum(),
                "reason", r.name().toLowerCase(Locale.ROOT)));
        out.counter("kino_media_fast_answers_total",
                "Requests answered from prepared fields right after the HTTP decoder (also in requests_total).",
                fastAnswers.sum());
        for (Consumer<PrometheusText> extra : extras) {
            extra.accept(out);
        }
        return out.toString();
    }

    /**
     * Adds a part rendered after the server's own series at each scrape (the CMCD aggregates).
     *
     * @param part writes its families into the exposition; called on the scraping thread
     */
    public void include(Consumer<PrometheusText> part) {
        extras.add(part);
    }
}
