package dev.kino.http;

import java.time.Duration;

/**
 * What one server accepts from its clients; {@link HttpServerPipeline} enforces it on every connection.
 *
 * @param maxConnections open connections accepted at once; beyond it a connection gets a fixed {@code 503} before
 *     any byte is decoded
 * @param maxHeaderBytes largest request head (request line excluded), bytes; {@code 431} beyond (RFC 6585 §5)
 * @param maxUriBytes largest request-target, bytes; {@code 414} beyond (RFC 9110 §15.5.15)
 * @param maxBodyBytes largest request body, bytes; {@code 413} beyond (RFC 9110 §15.5.14)
 * @param readTimeout time allowed for a whole request head once its first byte arrived (slowloris); the body then
 *     has the same time plus one second per {@code minBodyBytesPerSecond} bytes received
 * @param idleTimeout a connection with no traffic in either direction for this long is closed
 * @param minBodyBytesPerSecond slowest body rate that is not cut off (mod_reqtimeout's {@code MinRate})
 */
public record HttpLimits(int maxConnections, int maxHeaderBytes, int maxUriBytes, int maxBodyBytes,
                         Duration readTimeout, Duration idleTimeout, int minBodyBytesPerSecond) {
    /** Default {@link #minBodyBytesPerSecond}: 1 KiB/s, well below any real uplink. */
    public static final int DEFAULT_MIN_BODY_RATE = 1024;

    /** Validates every bound. */
    public HttpLimits {
        if (maxConnections < 1 || maxHeaderBytes < 1 || maxUriBytes < 1 || maxBodyBytes < 0
                || minBodyBytesPerSecond < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (readTimeout.isNegative() || readTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * Limits with the default body rate.
     *
     * @param maxConnections see the record
     * @param maxHeaderBytes see the record
     * @param maxUriBytes see the record
     * @param maxBodyBytes see the record
     * @param readTimeout see the record
     * @param idleTimeout see the record
     */
    public HttpLimits(int maxConnections, int maxHeaderBytes, int maxUriBytes, int maxBodyBytes,
                      Duration readTimeout, Duration idleTimeout) {
        this(maxConnections, maxHeaderBytes, maxUriBytes, maxBodyBytes, readTimeout, idleTimeout,
                DEFAULT_MIN_BODY_RATE);
    }
}
