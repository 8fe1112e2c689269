package dev.kino.media.http;

import io.netty.handler.codec.DateFormatter;

import java.util.Date;

/**
 * The {@code Date} field value (RFC 9110 §6.6.1), formatted once per second rather than once per response: at tens
 * of thousands of answers a second the formatting showed in profiles.
 */
final class HttpDate {
    private static volatile Cached cached = new Cached(0, "");

    private record Cached(long second, String text) {
    }

    private HttpDate() {
    }

    /** @return the current time as an IMF-fixdate, e.g. {@code Sat, 05 Dec 2026 06:30:00 GMT} */
    static String now() {
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        Cached c = cached;
        if (c.second() != second) {
            c = new Cached(second, DateFormatter.format(new Date(second * 1000)));
            cached = c;
        }
        return c.text();
    }
}
