package dev.kino.media.metrics;

import dev.kino.protocol.token.FailureReason;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The media server's counters, rendered in the Prometheus text exposition format (version 0.0.4). No
 * dependency: {@link LongAdder}s written from event loops, read when scraped. Thread-safe.
 *
 * <pre>
 * kino_media_requests_total{status="206",kind="segment"}   requests answered, by status and resource kind
 * kino_media_response_bytes_total                         body bytes handed to the network
 * kino_media_request_duration_seconds_bucket{le="…"}      time from request to last byte written
 * kino_media_open_connections                             connections open now
 * kino_media_rejected_connections_total                   connections refused over the limit
 * kino_media_token_failures_total{reason="expired"}        token rejections by reason
 * </pre>
 */
public final class MediaMetrics {
    private static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    private final LongAdder durationCount = new LongAdder();
    private final LongAdder durationNanos = new LongAdder();
    private final AtomicLong openConnections = new AtomicLong();
    private final LongAdder rejectedConnections = new LongAdder();
    private final Map<FailureReason, LongAdder> tokenFailures = new EnumMap<>(FailureReason.class);

    /** Creates zeroed metrics. */
    public MediaMetrics() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
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
        requests.computeIfAbsent(status + "|" + kind, k -> new LongAdder()).increment();
        bytes.add(bodyBytes);
        durationCount.increment();
        durationNanos.add(nanos);
        double s = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (s <= BUCKETS[i]) {
                buckets[i].increment();
                break;
            }
        }
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
        StringBuilder sb = new StringBuilder(2048);
        sb.append("# HELP kino_media_requests_total Requests answered, by status and resource kind.\n");
        sb.append("# TYPE kino_media_requests_total counter\n");
        new TreeMap<>(requests).forEach((k, v) -> {
            int bar = k.indexOf('|');
            sb.append("kino_media_requests_total{status=\"").append(k, 0, bar).append("\",kind=\"")
                    .append(k.substring(bar + 1)).append("\"} ").append(v.sum()).append('\n');
        });
        sb.append("# HELP kino_media_response_bytes_total Response body bytes sent.\n");
        sb.append("# TYPE kino_media_response_bytes_total counter\n");
        sb.append("kino_media_response_bytes_total ").append(bytes.sum()).append('\n');
        sb.append("# HELP kino_media_request_duration_seconds Time from request to the last byte written.\n");
        sb.append("# TYPE kino_media_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += buckets[i].sum();
            sb.append("kino_media_request_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(cumulative).append('\n');
        }
        long count = durationCount.sum();
        sb.append("kino_media_request_duration_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n');
        sb.append("kino_media_request_duration_seconds_sum ").append(durationNanos.sum() / 1e9).append('\n');
        sb.append("kino_media_request_duration_seconds_count ").append(count).append('\n');
        sb.append("# HELP kino_media_open_connections Client connections open now.\n");
        sb.append("# TYPE kino_media_open_connections gauge\n");
        sb.append("kino_media_open_connections ").append(openConnections.get()).append('\n');
        sb.append("# HELP kino_media_rejected_connections_total Connections refused over the limit.\n");
        sb.append("# TYPE kino_media_rejected_connections_total counter\n");
        sb.append("kino_media_rejected_connections_total ").append(rejectedConnections.sum()).append('\n');
        sb.append("# HELP kino_media_token_failures_total Playback token rejections, by reason.\n");
        sb.append("# TYPE kino_media_token_failures_total counter\n");
        tokenFailures.forEach((r, v) -> sb.append("kino_media_token_failures_total{reason=\"")
                .append(r.name().toLowerCase(java.util.Locale.ROOT)).append("\"} ").append(v.sum()).append('\n'));
        return sb.toString();
    }
}
