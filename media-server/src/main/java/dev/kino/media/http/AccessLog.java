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
                referer == null ? "-" : redact(referer), userAgent == null ? "-" : userAgent, nanos / 1_000_000);
    }

    /** A playback token anywhere in a text (a query parameter, a header): version, kid, claims, MAC. */
    private static final java.util.regex.Pattern TOKEN_LIKE =
            java.util.regex.Pattern.compile("\\b1\\.([A-Za-z0-9_-]{1,32})\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");

    /**
     * Removes the claims and MAC of every playback token in a text that goes to a log, keeping the version and key
     * id: {@code /v/1.kid.claims.mac/rest} becomes {@code /v/1.kid.…/rest}, wherever the {@code /v/} segment stands
     * (origin-form, absolute-form {@code http://host/v/…}, a {@code Referer}), and so does anything shaped like a
     * token elsewhere (a query string).
     *
     * @param text a request target or header value, may be null
     * @return the text with no token in it (null for null)
     */
    static String redact(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (int i = text.indexOf("/v/"); i >= 0; i = text.indexOf("/v/", from)) {
            out.append(text, from, i + 3);
            int end = i + 3;
            while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            String token = text.substring(i + 3, end);
            int d1 = token.indexOf('.');
            int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
            out.append(d2 < 0 ? "" : token, 0, d2 < 0 ? 0 : d2 + 1).append('…');
            from = end;
        }
        out.append(text, from, text.length());
        return TOKEN_LIKE.matcher(out).replaceAll("1.$1.…");
    }
}
