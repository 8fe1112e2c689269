package dev.kino.media.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log: one line per answered request on the logger {@value #LOGGER}, in the combined log
 * format followed by the request time in milliseconds. Writing is left to the logging backend; configure
 * that logger with an asynchronous appender (logback {@code AsyncAppender}) so event loops never wait on
 * disk. Tokens are credentials: only their version and key id are logged (<code>/v/1.k1.&#42;/title/…</code>).
 *
 * <p>Lines are handed to the logger in batches, one logging event per {@link Batch} of up to {@value #BATCH_CHARS}
 * characters or {@value #BATCH_MILLIS} ms of one thread's lines, joined with {@code \n}: with the pattern
 * {@code %msg%n} the file is the same as with one event per line, but the logger's per-event work, the appender queue's
 * lock and the wake-up of its writer thread are paid once per batch (an event per line cost ~3 µs of CPU per playlist
 * answer, a sixth of Kino's cost per answer: {@code media-server/BENCHMARK.md}). A line reaches the logger at most
 * {@value #BATCH_MILLIS} ms late; {@link #flush()} hands over every pending line (on shutdown).
 *
 * <pre>
 * 203.0.113.9 - - [21/Nov/2026:19:31:07 +0000] "GET /v/1.k1.&#42;/t1/master.m3u8 HTTP/1.1" 200 512 "-" "hls.js" 3
 * </pre>
 *
 * <p>The redaction marker is {@code *} ({@link #REDACTED}), an ASCII character that no token contains (tokens are
 * base64url and dots). It was {@code …} (U+2026) until 2026-12-05: that one character made every line a UTF-16
 * string (Java keeps a string in one byte per character only when all its characters are Latin-1), so each line was
 * built, batched and copied at two bytes a character and then taken through the slow UTF-16 → UTF-8 encoder by the
 * appender, about 5 % of the CPU profile of a playlist answer ({@code media-server/BENCHMARK.md}, night session).
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
        log(remote instanceof InetSocketAddress i ? i.getAddress() : null, method, uri, protocol, status, bytes, referer,
                userAgent, nanos, System.nanoTime());
    }

    /**
     * {@link #log(SocketAddress, String, String, String, int, long, String, String, long)} at a time the caller
     * already read ({@link System#nanoTime()}: one clock read less per answer), for a client address (or null).
     */
    static void log(InetAddress client, String method, String uri, String protocol, int status, long bytes,
                    String referer, String userAgent, long nanos, long nowNanos) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // The line is built straight into the thread's batch (no string per line), handed to the logger with no
        // arguments: the logger's own message formatting of ten arguments, and a DateTimeFormatter per line, showed
        // in profiles at tens of thousands of answers a second.
        String ready = BATCH.get().add(client, method, uri, protocol, status, bytes, referer, userAgent, nanos,
                System.currentTimeMillis(), nowNanos);
        if (ready != null) {
            LOG.info(ready);
        }
    }

    /** Largest batch, characters (about a hundred lines). */
    static final int BATCH_CHARS = 16 * 1024;
    /** Longest a line waits in a batch, milliseconds. */
    static final long BATCH_MILLIS = 100;

    private static final java.util.List<Batch> BATCHES = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final ThreadLocal<Batch> BATCH = ThreadLocal.withInitial(() -> {
        Batch b = new Batch(BATCH_CHARS, BATCH_MILLIS * 1_000_000);
        BATCHES.add(b);
        startFlusher();
        return b;
    });
    private static volatile boolean flusherStarted;

    /** Hands batches older than {@link #BATCH_MILLIS} to the logger when their thread logs nothing more. */
    private static synchronized void startFlusher() {
        if (flusherStarted) {
            return;
        }
        flusherStarted = true;
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(BATCH_MILLIS / 2);
                } catch (InterruptedException e) {
                    return;
                }
                flush(System.nanoTime(), false);
            }
        }, "kino-access-log-flusher");
        t.setDaemon(true);
        t.start();
    }

    /** Hands every pending line to the logger now (a server stopping calls it before logging stops). */
    public static void flush() {
        flush(System.nanoTime(), true);
    }

    private static void flush(long now, boolean all) {
        for (Batch b : BATCHES) {
            String ready = b.takeIfOlder(now, all);
            if (ready != null) {
                LOG.info(ready);
            }
        }
    }

    /**
     * One thread's lines not yet handed to the logger. Its thread adds; the flusher thread takes what waited too
     * long; both under the batch's own lock (uncontended but for the rare flush).
     */
    static final class Batch {
        private final int maxChars;
        private final long maxAgeNanos;
        private final StringBuilder text;
        private long firstNanos;

        /**
         * @param maxChars size at which {@link #add} hands the batch over
         * @param maxAgeNanos age of its first line at which {@link #takeIfOlder} hands it over
         */
        Batch(int maxChars, long maxAgeNanos) {
            this.maxChars = maxChars;
            this.maxAgeNanos = maxAgeNanos;
            this.text = new StringBuilder(maxChars + 512);
        }

        /**
         * @param line one log line, without a line end
         * @param now {@link System#nanoTime()}
         * @return the batch's lines joined with {@code \n} when it is full (or its first line is too old), else null
         */
        synchronized String add(String line, long now) {
            start(now);
            text.append(line);
            return full(now);
        }

        /** {@link #add(String, long)} of the line {@link AccessLog#line} makes, built in place. */
        synchronized String add(InetAddress client, String method, String uri, String protocol, int status,
                                long bytes, String referer, String userAgent, long nanos, long millis, long now) {
            start(now);
            line(text, host(client), method, uri, protocol, status, bytes, referer, userAgent, nanos, millis);
            return full(now);
        }

        private InetAddress lastAddress;
        private String lastHost;

        /** The address field: a thread's connections mostly come from few addresses, formatted once each in a row. */
        private String host(InetAddress a) {
            if (a == null) {
                return "-";
            }
            if (!a.equals(lastAddress)) {
                lastHost = a.getHostAddress();
                lastAddress = a;
            }
            return lastHost;
        }

        private void start(long now) {
            if (text.length() == 0) {
                firstNanos = now;
            } else {
                text.append('\n');
            }
        }

        private String full(long now) {
            return text.length() >= maxChars || now - firstNanos >= maxAgeNanos ? take() : null;
        }

        /**
         * @param now {@link System#nanoTime()}
         * @param all true to take the lines whatever their age
         * @return the pending lines joined with {@code \n}, or null when there are none (or they are young)
         */
        synchronized String takeIfOlder(long now, boolean all) {
            return text.length() > 0 && (all || now - firstNanos >= maxAgeNanos) ? take() : null;
        }

        private String take() {
            String out = text.toString();
            text.setLength(0);
            return out;
        }
    }

    /**
     * @param millis the time of the line, milliseconds since the epoch
     * @return the log line of {@link #log}, without the line end
     */
    static String line(SocketAddress remote, String method, String uri, String protocol, int status, long bytes,
                       String referer, String userAgent, long nanos, long millis) {
        StringBuilder b = new StringBuilder(96 + uri.length() + (userAgent == null ? 0 : userAgent.length()));
        line(b, remote instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress() : "-",
                method, uri, protocol, status, bytes, referer, userAgent, nanos, millis);
        return b.toString();
    }

    /** {@link #line(SocketAddress, String, String, String, int, long, String, String, long, long)}, appended to b. */
    private static void line(StringBuilder b, String host, String method, String uri, String protocol,
                             int status, long bytes, String referer, String userAgent, long nanos, long millis) {
        b.append(host).append(" - - [").append(time(millis)).append("] \"").append(method).append(' ');
        redact(uri, b);
        b.append(' ').append(protocol).append("\" ").append(status).append(' ').append(bytes).append(" \"");
        if (referer == null) {
            b.append('-');
        } else {
            redact(referer, b);
        }
        b.append("\" \"").append(userAgent == null ? "-" : userAgent).append("\" ").append(nanos / 1_000_000);
    }

    private static volatile Second second = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    /** The time field, formatted once per second. */
    private static String time(long millis) {
        long s = Math.floorDiv(millis, 1000);
        Second c = second;
        if (c.epochSecond() != s) {
            c = new Second(s, TIME.format(java.time.Instant.ofEpochSecond(s).atZone(ZoneOffset.UTC)));
            second = c;
        }
        return c.text();
    }

    /** A playback token anywhere in a text (a query parameter, a header): version, kid, claims, MAC. */
    private static final java.util.regex.Pattern TOKEN_LIKE =
            java.util.regex.Pattern.compile("\\b1\\.([A-Za-z0-9_-]{1,32})\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");

    /** What stands for a token's claims and MAC (or for the whole of a {@code /v/} segment that is no token). */
    static final char REDACTED = '*';

    /**
     * Removes the claims and MAC of every playback token in a text that goes to a log, keeping the version and key
     * id: {@code /v/1.kid.claims.mac/rest} becomes <code>/v/1.kid.&#42;/rest</code>, wherever the {@code /v/} segment
     * stands (origin-form, absolute-form {@code http://host/v/…}, a {@code Referer}), and so does anything shaped like
     * a token elsewhere (a query string).
     *
     * @param text a request target or header value, may be null
     * @return the text with no token in it (null for null)
     */
    static String redact(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        redact(text, out);
        return out.toString();
    }

    /** {@link #redact(String)} of a text that is not null, appended to {@code out}. */
    private static void redact(String text, StringBuilder out) {
        int start = out.length();
        int from = 0;
        int n = text.length();
        for (int i = text.indexOf("/v/"); i >= 0; i = text.indexOf("/v/", from)) {
            out.append(text, from, i + 3);
            // the segment runs to the next '/', '?' or '#'; keep it up to its second dot (version and key id)
            int end = i + 3;
            int dots = 0;
            int keep = -1;
            for (; end < n; end++) {
                char c = text.charAt(end);
                if (c == '/' || c == '?' || c == '#') {
                    break;
                }
                if (c == '.' && ++dots == 2) {
                    keep = end + 1;
                }
            }
            if (keep > 0) {
                out.append(text, i + 3, keep);
            }
            out.append(REDACTED);
            from = end;
        }
        out.append(text, from, n);
        // a token's MAC is 43 base64url characters in a row: without such a run there is nothing for the regex to find
        if (hasRun(out, start, 43)) {
            String replaced = TOKEN_LIKE.matcher(out.substring(start)).replaceAll("1.$1." + REDACTED);
            out.setLength(start);
            out.append(replaced);
        }
    }

    /** Whether {@code text} holds {@code n} base64url characters in a row. */
    private static boolean hasRun(CharSequence text, int from, int n) {
        int run = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                if (++run >= n) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }
}
