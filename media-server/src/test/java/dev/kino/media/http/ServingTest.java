package dev.kino.media.http;

import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import static dev.kino.media.MediaFixture.ORIGIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Serving published files over a real server: status codes, ranges, validators, caching, gzip, CORS. */
class ServingTest {
    @TempDir
    static Path root;
    static MediaFixture m;
    static final String SEG = "video-720p/seg-00001.m4s";

    @BeforeAll
    static void start() throws IOException {
        m = MediaFixture.start(root);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static String h(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void playlist200WithCachingHeaders() throws Exception {
        HttpResponse<byte[]> r = m.get(m.path("t1", "master.m3u8"));
        assertEquals(200, r.statusCode());
        assertEquals(MediaFixture.PLAYLIST, new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/vnd.apple.mpegurl", h(r, "content-type"));
        assertEquals("public, max-age=2", h(r, "cache-control"));
        assertEquals(String.valueOf(MediaFixture.PLAYLIST.length()), h(r, "content-length"));
        assertTrue(h(r, "etag").matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\""), h(r, "etag"));
        assertTrue(h(r, "last-modified").endsWith(" GMT"));
        assertTrue(h(r, "vary").contains("Accept-Encoding"));
        assertEquals("bytes", h(r, "accept-ranges"));
        assertEquals(null, h(r, "content-encoding"));
    }

    @Test
    void gzipForPlaylistsOnly() throws Exception {
        HttpResponse<byte[]> r = m.get(m.path("t1", "master.m3u8"), "Accept-Encoding", "br, gzip");
        assertEquals(200, r.statusCode());
        assertEquals("gzip", h(r, "content-encoding"));
        assertTrue(h(r, "vary").contains("Accept-Encoding"));
        assertTrue(h(r, "etag").endsWith("-gz\""));
        assertEquals(String.valueOf(r.body().length), h(r, "content-length"));
        assertTrue(r.body().length < MediaFixture.PLAYLIST.length());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            assertEquals(MediaFixture.PLAYLIST, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> mpd = m.get(m.path("t1", "manifest.mpd"), "Accept-Encoding", "gzip");
        assertEquals("gzip", h(mpd, "content-encoding"));
        assertEquals("application/dash+xml", h(mpd, "content-type"));

        HttpResponse<byte[]> refused = m.get(m.path("t1", "master.m3u8"), "Accept-Encoding", "gzip;q=0, identity");
        assertEquals(null, h(refused, "content-encoding"));
        // RFC 9110 §12.5.3: an explicit refusal wins over "*"
        HttpResponse<byte[]> star = m.get(m.path("t1", "master.m3u8"), "Accept-Encoding", "gzip;q=0, *");
        assertEquals(null, h(star, "content-encoding"));
        assertEquals(MediaFixture.PLAYLIST, new String(star.body(), StandardCharsets.UTF_8), "an identity body");
        assertEquals("gzip", h(m.get(m.path("t1", "master.m3u8"), "Accept-Encoding", "x-gzip"), "content-encoding"));
        assertEquals("gzip", h(m.get(m.path("t1", "master.m3u8"), "Accept-Encoding", "*"), "content-encoding"));

        HttpResponse<byte[]> seg = m.get(m.path("t1", SEG), "Accept-Encoding", "gzip");
        assertEquals(200, seg.statusCode());
        assertEquals(null, h(seg, "content-encoding"));
        assertArrayEquals(MediaFixture.segmentBytes(), seg.body());
    }

    @Test
    void segmentHeaders() throws Exception {
        HttpResponse<byte[]> r = m.get(m.path("t1", SEG));
        assertEquals(200, r.statusCode());
        assertEquals("video/iso.segment", h(r, "content-type"));
        assertEquals("public, max-age=86400, immutable", h(r, "cache-control"));
        assertEquals("1000", h(r, "content-length"));
        assertEquals("bytes", h(r, "accept-ranges"));
        assertFalse(r.headers().allValues("vary").toString().contains("Accept-Encoding"));
        assertEquals("video/mp4", h(m.get(m.path("t1", "video-720p/init.mp4")), "content-type"));
        assertEquals("text/vtt; charset=utf-8", h(m.get(m.path("t1", "subs-en.vtt")), "content-type"));
        HttpResponse<byte[]> jpg = m.get(m.path("t1", "poster.jpg"));
        assertEquals("image/jpeg", h(jpg, "content-type"));
        assertEquals("public, max-age=86400", h(jpg, "cache-control"));
    }

    @Test
    void singleRange206() throws Exception {
        HttpResponse<byte[]> r = m.get(m.path("t1", SEG), "Range", "bytes=10-19");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 10-19/1000", h(r, "content-range"));
        assertEquals("10", h(r, "content-length"));
        assertArrayEquals(Arrays.copyOfRange(MediaFixture.segmentBytes(), 10, 20), r.body());
        assertEquals("public, max-age=86400, immutable", h(r, "cache-control"));
    }

    @Test
    void suffixAndOpenEndedRanges() throws Exception {
        HttpResponse<byte[]> suffix = m.get(m.path("t1", SEG), "Range", "bytes=-100");
        assertEquals(206, suffix.statusCode());
        assertEquals("bytes 900-999/1000", h(suffix, "content-range"));
        assertArrayEquals(Arrays.copyOfRange(MediaFixture.segmentBytes(), 900, 1000), suffix.body());
        HttpResponse<byte[]> open = m.get(m.path("t1", SEG), "Range", "bytes=990-");
        assertEquals("bytes 990-999/1000", h(open, "content-range"));
        assertEquals(10, open.body().length);
        HttpResponse<byte[]> past = m.get(m.path("t1", SEG), "Range", "bytes=995-5000");
        assertEquals("bytes 995-999/1000", h(past, "content-range"));
    }

    @Test
    void unsatisfiableRange416() throws Exception {
        HttpResponse<byte[]> r = m.get(m.path("t1", SEG), "Range", "bytes=1000-");
        assertEquals(416, r.statusCode());
        assertEquals("bytes */1000", h(r, "content-range"));
        assertEquals("no-store", h(r, "cache-control"));
        assertEquals("application/problem+json", h(r, "content-type"));
    }

    @Test
    void multipleRangesAnswerTheWholeEntity() throws Exception {
        HttpResponse<byte[]> r = m.get(m.path("t1", SEG), "Range", "bytes=0-1,5-6");
        assertEquals(200, r.statusCode());
        assertEquals(null, h(r, "content-range"));
        assertEquals(1000, r.body().length);
    }

    @Test
    void head() throws Exception {
        HttpResponse<byte[]> r = m.send("HEAD", m.path("t1", SEG), null);
        assertEquals(200, r.statusCode());
        assertEquals("1000", h(r, "content-length"));
        assertEquals(0, r.body().length);
        HttpResponse<byte[]> ranged = m.send("HEAD", m.path("t1", SEG), null, "Range", "bytes=0-9");
        assertEquals(200, ranged.statusCode(), "Range applies to GET only (RFC 9110 §14.2)");
        assertEquals("1000", h(ranged, "content-length"));
    }

    @Test
    void conditionalRequests304() throws Exception {
        HttpResponse<byte[]> first = m.get(m.path("t1", SEG));
        String etag = h(first, "etag");
        String lastModified = h(first, "last-modified");
        HttpResponse<byte[]> inm = m.get(m.path("t1", SEG), "If-None-Match", "\"other\", " + etag);
        assertEquals(304, inm.statusCode());
        assertEquals(etag, h(inm, "etag"));
        assertEquals("public, max-age=86400, immutable", h(inm, "cache-control"));
        assertEquals(0, inm.body().length);
        assertEquals(304, m.get(m.path("t1", SEG), "If-None-Match", "W/" + etag).statusCode());
        assertEquals(200, m.get(m.path("t1", SEG), "If-None-Match", "\"nope\"").statusCode());
        assertEquals(304, m.get(m.path("t1", SEG), "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, m.get(m.path("t1", SEG), "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode());
        // If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3).
        assertEquals(200, m.get(m.path("t1", SEG), "If-None-Match", "\"nope\"", "If-Modified-Since", lastModified)
                .statusCode());
    }

    @Test
    void ifRange() throws Exception {
        HttpResponse<byte[]> first = m.get(m.path("t1", SEG));
        String etag = h(first, "etag");
        assertEquals(206, m.get(m.path("t1", SEG), "Range", "bytes=0-9", "If-Range", etag).statusCode());
        assertEquals(206, m.get(m.path("t1", SEG), "Range", "bytes=0-9", "If-Range", h(first, "last-modified"))
                .statusCode());
        HttpResponse<byte[]> changed = m.get(m.path("t1", SEG), "Range", "bytes=0-9", "If-Range", "\"old\"");
        assertEquals(200, changed.statusCode());
        assertEquals(1000, changed.body().length);
        assertEquals(200, m.get(m.path("t1", SEG), "Range", "bytes=0-9", "If-Range", "W/" + etag).statusCode());
    }

    @Test
    void internalFilesAreNeverServed() throws Exception {
        for (String f : new String[] {"manifest.json", "keys.wrapped.json", "missing.m3u8", "video-720p"}) {
            HttpResponse<byte[]> r = m.get(m.path("t1", f));
            assertEquals(404, r.statusCode(), f);
            assertEquals("no-store", h(r, "cache-control"));
            assertEquals("application/problem+json", h(r, "content-type"));
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"status\":404"));
        }
        assertEquals(404, m.get("/t1/master.m3u8").statusCode());
        assertEquals(404, m.get("/v/").statusCode());
    }

    @Test
    void methodNotAllowed() throws Exception {
        HttpResponse<byte[]> r = m.send("POST", m.path("t1", SEG), new byte[] {1});
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD, OPTIONS", h(r, "allow"));
        assertEquals(405, m.send("DELETE", m.path("t1", SEG), null).statusCode());
    }

    @Test
    void corsOnSuccessErrorsAndPreflight() throws Exception {
        HttpResponse<byte[]> ok = m.get(m.path("t1", SEG), "Origin", ORIGIN, "Range", "bytes=0-0");
        assertEquals(ORIGIN, h(ok, "access-control-allow-origin"));
        assertTrue(h(ok, "access-control-expose-headers").contains("Content-Range"));
        assertTrue(h(ok, "access-control-expose-headers").contains("Content-Length"));
        assertTrue(h(ok, "vary").contains("Origin"));

        HttpResponse<byte[]> err = m.get(m.path("t1", "missing.m4s"), "Origin", ORIGIN);
        assertEquals(404, err.statusCode());
        assertEquals(ORIGIN, h(err, "access-control-allow-origin"));
        HttpResponse<byte[]> denied = m.get("/v/garbage/t1/master.m3u8", "Origin", ORIGIN);
        assertEquals(403, denied.statusCode());
        assertEquals(ORIGIN, h(denied, "access-control-allow-origin"));

        HttpResponse<byte[]> pre = m.send("OPTIONS", m.path("t1", SEG), null, "Origin", ORIGIN,
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "range");
        assertEquals(204, pre.statusCode());
        assertEquals(ORIGIN, h(pre, "access-control-allow-origin"));
        assertTrue(h(pre, "access-control-allow-methods").contains("GET"));
        assertTrue(h(pre, "access-control-allow-headers").contains("Range"));

        HttpResponse<byte[]> other = m.get(m.path("t1", SEG), "Origin", "https://evil.example");
        assertEquals(200, other.statusCode());
        assertFalse(other.headers().firstValue("access-control-allow-origin").isPresent());
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        String p = m.path("t1", SEG);
        String req = "GET " + p + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n";
        String last = "GET " + p + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: bytes=5-9\r\n\r\n";
        String out = m.raw(req + req + last); // pipelined: answered in order
        assertEquals(3, out.split("HTTP/1.1 206 ", -1).length - 1, out);
        assertTrue(out.indexOf("bytes 0-4/1000") < out.lastIndexOf("bytes 5-9/1000"));
    }
}
