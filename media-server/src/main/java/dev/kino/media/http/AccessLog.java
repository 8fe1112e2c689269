package dev.kino.media.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log: one line per answered request on the logger {@value #LOGGER}, in the combined log
 * format followed by the request time in milliseconds. Writing is left to the logging backend; configure
 * that logger with an asynchronous appender (logback {@code AsyncAppender}) so event loops never wait on
 * disk. Tokens are credentials: only their version and key id are logged ({@code /v/1.k1.…/title/…}).
 *
 * <pre>
 * 203.0.113.9 - - [21/Nov/2026:19:31:07 +0000] "GET /v/1.k1.…/t1/master.m3u8 HTTP/1.1" 200 512 "-" "hls.js" 3
 * </pre>
 */
public final class AccessLog {
    /** Name of the access logger. */
    public static final String LOGGER = "kino.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private AccessLog() {
    }

    /**
     * @param remote client address
     * @param method request method
     * @param uri request URI as received
     * @param protocol e.g. {@code HTTP/1.1}
     * @param status status sent
     * @param bytes body bytes sent
     * @param referer Referer or null
     * @param userAgent User-Agent or null
     * @param nanos request time
     */
    static void log(SocketAddress remote, String method, String uri, String protocol, int status, long bytes,
                    String referer, String userAgent, long nanos) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String host = remote instanceof InetSocketAddress i && i.getAddress() != null
                ? i.getAddress().getHostAddress() : "-";
        LOG.info("{} - - [{}] \"{} {} {}\" {} {} \"{}\" \"{}\" {}", host,
                TIME.format(ZonedDateTime.now(ZoneOffset.UTC)), method, redact(uri), protocol, status, bytes,
                referer == null ? "-" : referer, userAgent == null ? "-" : userAgent, nanos / 1_000_000);
    }

    /** {@code /v/1.kid.claims.mac/rest} → {@code /v/1.kid.…/rest}. */
    static String redact(String uri) {
        if (!uri.startsWith("/v/")) {
            return uri;
        }
        int end = uri.indexOf('/', 3);
        String token = end < 0 ? uri.substring(3) : uri.substring(3, end);
        int d1 = token.indexOf('.');
        int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
        String kept = d2 < 0 ? "" : token.substring(0, d2 + 1);
        return "/v/" + kept + "…" + (end < 0 ? "" : uri.substring(end));
    }
}
