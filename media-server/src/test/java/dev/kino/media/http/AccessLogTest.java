package dev.kino.media.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccessLogTest {
    @Test
    void tokensAreRedactedToVersionAndKeyId() {
        assertEquals("/v/1.k1.*/t1/master.m3u8", AccessLog.redact("/v/1.k1.AAAA.BBBB/t1/master.m3u8"));
        assertEquals("/v/*/t1/x.m4s", AccessLog.redact("/v/garbage/t1/x.m4s"));
        assertEquals("/v/1.k1.*", AccessLog.redact("/v/1.k1.AAAA.BBBB"));
        assertEquals("/metrics", AccessLog.redact("/metrics"));
        String token = "1.k2026-01.BwAAAABpVbkAAAAAAGlV8UALL3RpdGxlLTEyMy8EGMsAcQAHdXNlci00MghzLTdmM2E5Yw"
                + ".lmhRKFfYG_KfnT9nSZ9r0W2sJv-LoDd_zmgAU030DCE";
        // absolute-form request targets (RFC 9112 §3.2.2) and anything that carries a token elsewhere
        assertEquals("http://evil.example/v/1.k2026-01.*/t1/x.m4s",
                AccessLog.redact("http://evil.example/v/" + token + "/t1/x.m4s"));
        assertEquals("HTTPS://evil.example:8443/v/1.k2026-01.*?a=b",
                AccessLog.redact("HTTPS://evil.example:8443/v/" + token + "?a=b"));
        assertEquals("/x?t=1.k2026-01.*&u=2", AccessLog.redact("/x?t=" + token + "&u=2"));
        assertEquals("/v/1.k2026-01.*/a/v/1.k2026-01.*/b", AccessLog.redact("/v/" + token + "/a/v/" + token + "/b"));
        assertEquals(null, AccessLog.redact(null));
    }

    @Test
    void lineIsTheCombinedFormatWithTheRequestTimeAndNoToken() {
        String token = "1.k1.BwAAAABpVbkAAAAAAGlV8UALL3RpdGxlLTEyMy8EGMsAcQAHdXNlci00MghzLTdmM2E5Yw"
                + ".lmhRKFfYG_KfnT9nSZ9r0W2sJv-LoDd_zmgAU030DCE";
        long millis = java.time.Instant.parse("2026-11-21T19:31:07.250Z").toEpochMilli();
        assertEquals("203.0.113.9 - - [21/Nov/2026:19:31:07 +0000] \"GET /v/1.k1.*/t1/master.m3u8 HTTP/1.1\" 200 512"
                        + " \"https://player.example/?t=1.k1.*\" \"hls.js\" 3",
                AccessLog.line(new java.net.InetSocketAddress("203.0.113.9", 0), "GET", "/v/" + token + "/t1/master.m3u8",
                        "HTTP/1.1", 200, 512, "https://player.example/?t=" + token, "hls.js", 3_400_000, millis));
        // the next second gets its own time; no address, referer or user agent become "-"
        assertEquals("- - - [21/Nov/2026:19:31:08 +0000] \"HEAD /x HTTP/1.0\" 404 0 \"-\" \"-\" 0",
                AccessLog.line(null, "HEAD", "/x", "HTTP/1.0", 404, 0, null, null, 10, millis + 1000));
    }

    @Test
    void aRedactedLineIsLatin1SoItStaysOneBytePerCharacter() {
        // the marker is ASCII: a line with a token in it needs no UTF-16 string (and no slow UTF-8 encoding)
        String token = "1.k1.BwAAAABpVbkAAAAAAGlV8UALL3RpdGxlLTEyMy8EGMsAcQAHdXNlci00MghzLTdmM2E5Yw"
                + ".lmhRKFfYG_KfnT9nSZ9r0W2sJv-LoDd_zmgAU030DCE";
        String line = AccessLog.line(new java.net.InetSocketAddress("203.0.113.9", 0), "GET",
                "/v/" + token + "/t1/video-720p.m3u8", "HTTP/1.1", 200, 466, null, "wrk", 0, 0);
        assertEquals(true, line.chars().allMatch(c -> c < 0x80), line);
        assertEquals(false, line.contains(token.substring(5)), line);
        // the batch the logger gets is the same lines, built in place
        AccessLog.Batch b = new AccessLog.Batch(1, 100);
        assertEquals(line, b.add(new java.net.InetSocketAddress("203.0.113.9", 0).getAddress(), "GET",
                "/v/" + token + "/t1/video-720p.m3u8", "HTTP/1.1", 200, 466, null, "wrk", 0, 0, 0));
    }

    @Test
    void batchHandsOverWholeLinesInOrderWhenFullOrOld() {
        AccessLog.Batch b = new AccessLog.Batch(60, 100);
        assertEquals(null, b.add("a".repeat(20), 0));
        assertEquals(null, b.add("b".repeat(20), 10));
        // the third line fills it: all three, one per line, in order
        assertEquals("a".repeat(20) + "\n" + "b".repeat(20) + "\n" + "c".repeat(20), b.add("c".repeat(20), 20));
        assertEquals(null, b.takeIfOlder(1_000, false)); // nothing pending
        assertEquals(null, b.add("d", 1_000));
        assertEquals(null, b.takeIfOlder(1_050, false)); // young: stays
        assertEquals("d", b.takeIfOlder(1_100, false)); // waited its 100 ns: handed over by the flusher
        assertEquals(null, b.add("e", 2_000));
        assertEquals("e", b.takeIfOlder(2_001, true)); // shutdown takes everything
        // a line arriving after the first waited long enough takes the batch with it
        assertEquals(null, b.add("f", 3_000));
        assertEquals("f\ng", b.add("g", 3_100));
    }
}
