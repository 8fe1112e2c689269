package dev.kino.media.http;

import dev.kino.media.MediaFixture;
import dev.kino.protocol.token.FailureReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path ({@link FastAnswers}) answers plain requests for in-memory files with the very bytes the normal path
 * would send (but for {@code Date}), and leaves everything else to the normal path: conditional and range requests,
 * HTTP/1.0, refused tokens (counted once), take-downs (at once), pipelined requests (in order), and
 * {@code Connection: close}. Real server, one raw keep-alive connection.
 */
class FastAnswersTest {
    @TempDir
    static Path root;
    static MediaFixture m;

    @BeforeAll
    static void start() throws Exception {
        m = MediaFixture.start(root);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    /** One keep-alive connection that reads each answer by its Content-Length. */
    static final class Conn implements AutoCloseable {
        final Socket s;
        final InputStream in;

        Conn() throws IOException {
            this(m.server.port());
        }

        Conn(int port) throws IOException {
            s = new Socket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            in = s.getInputStream();
        }

        void send(String request) throws IOException {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        }

        /** Reads one answer: head and (unless {@code head} or a 304) its Content-Length bytes of body. */
        String answer(boolean head) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed after " + b.toString(StandardCharsets.ISO_8859_1));
                }
                b.write(c);
            }
            String h = b.toString(StandardCharsets.ISO_8859_1);
            Matcher len = Pattern.compile("(?im)^content-length: (\\d+)\r\n").matcher(h);
            int n = !head && !h.startsWith("HTTP/1.1 304 ") && len.find() ? Integer.parseInt(len.group(1)) : 0;
            b.write(in.readNBytes(n));
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        String exchange(String request) throws IOException {
            send(request);
            return answer(request.startsWith("HEAD "));
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    static String request(String method, String path, String... fields) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: media\r\n");
        for (String f : fields) {
            b.append(f).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    static String withoutDate(String answer) {
        String out = answer.replaceFirst("(?im)^date: [^\r]*\r\n", "");
        assertNotEquals(answer, out, "the answer has a Date field");
        return out;
    }

    static long fast() {
        return m.server.metrics().fastAnswers();
    }

    /** The normal path answers a 200 to a conditional request whose tag does not match: the same answer. */
    static final String NO_MATCH = "If-None-Match: \"not-this-one\"";

    @Test
    void plainAnswersAreTheNormalPathsBytesButForDate() throws Exception {
        String path = m.path("t1", "video-720p/index.m3u8");
        String[][] variants = {
            {},
            {"Origin: " + MediaFixture.ORIGIN},
            {"Origin: https://elsewhere.example"},
            {"Accept-Encoding: gzip"},
            {"Accept-Encoding: gzip", "Origin: " + MediaFixture.ORIGIN, "Connection: keep-alive"},
        };
        try (Conn c = new Conn()) {
            c.exchange(request("GET", path)); // into memory
            for (String method : new String[] {"GET", "HEAD"}) {
                for (String[] v : variants) {
                    long before = fast();
                    String quick = c.exchange(request(method, path, v));
                    assertEquals(before + 1, fast(), method + " " + String.join(", ", v) + ": answered fast");
                    String[] conditional = java.util.Arrays.copyOf(v, v.length + 1);
                    conditional[v.length] = NO_MATCH;
                    String normal = c.exchange(request(method, path, conditional));
                    assertEquals(before + 1, fast(), "a conditional request takes the normal path");
                    assertTrue(quick.startsWith("HTTP/1.1 200 OK\r\n"), quick);
                    assertEquals(withoutDate(normal), withoutDate(quick), method + " " + String.join(", ", v));
                }
            }
            assertTrue(c.exchange(request("GET", path, "Accept-Encoding: gzip")).toLowerCase(Locale.ROOT)
                    .contains("content-encoding: gzip"));
        }
    }

    @Test
    void conditionalRangeAndOldRequestsTakeTheNormalPath() throws Exception {
        String path = m.path("t1", "video-720p/index.m3u8");
        try (Conn c = new Conn()) {
            String ok = c.exchange(request("GET", path));
            Matcher tag = Pattern.compile("(?im)^etag: ([^\r]*)\r\n").matcher(ok);
            assertTrue(tag.find(), ok);
            long before = fast();
            assertTrue(c.exchange(request("GET", path, "If-None-Match: " + tag.group(1)))
                    .startsWith("HTTP/1.1 304 "), "304 for a matching tag");
            assertTrue(c.exchange(request("GET", path, "Range: bytes=0-9")).startsWith("HTTP/1.1 206 "));
            assertTrue(c.exchange(request("GET", path + "?CMCD=sid%3D%22a%22")).startsWith("HTTP/1.1 200 "));
            assertEquals(before, fast(), "none of these was answered fast");
            c.send("GET " + path + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String old = c.answer(false);
            assertTrue(old.startsWith("HTTP/1.1 200 "), old);
            assertEquals(before, fast(), "HTTP/1.0 takes the normal path");
            assertTrue(c.exchange(request("GET", path)).startsWith("HTTP/1.1 200 "));
            assertEquals(before + 1, fast(), "and the next plain request is fast again");
        }
    }

    @Test
    void refusedTokensAreCountedOnceAndTakeDownsApplyAtOnce() throws Exception {
        String good = m.path("t2", "master.m3u8");
        String forged = "/v/" + m.token("t1") + "/t2/master.m3u8"; // t1's token for t2
        try (Conn c = new Conn()) {
            assertTrue(c.exchange(request("GET", good)).startsWith("HTTP/1.1 200 "));
            long denied = m.server.metrics().tokenFailures(FailureReason.PATH_NOT_ALLOWED);
            assertTrue(c.exchange(request("GET", forged)).startsWith("HTTP/1.1 403 "));
            assertEquals(denied + 1, m.server.metrics().tokenFailures(FailureReason.PATH_NOT_ALLOWED), "counted once");
            assertTrue(c.exchange(request("GET", good)).startsWith("HTTP/1.1 200 "));
            m.takedowns.takeDown("t2");
            try {
                assertTrue(c.exchange(request("GET", good)).startsWith("HTTP/1.1 404 "), "taken down at once");
            } finally {
                m.takedowns.restore("t2");
            }
        }
    }

    @Test
    void aViewersStreamLeaseIsRenewedByTheNormalPathAtMostOnceASecondAndItsPlaylistsAreFastMeanwhile() throws Exception {
        try (dev.kino.common.state.SharedState state = new dev.kino.common.state.InProcessSharedState();
             MediaFixture leased = MediaFixture.start(root.resolve("leased"), s -> {
                 s.state = state;
                 s.streamLimit = 1;
                 s.streamLeaseTtl = java.time.Duration.ofSeconds(3);
             });
             Conn c = new Conn(leased.server.port())) {
            String first = leased.signer.sign(MediaFixture.claims("t1").userId("u1").sessionId("s1").build());
            String second = leased.signer.sign(MediaFixture.claims("t1").userId("u1").sessionId("s2").build());
            String anonymous = leased.path("t1", "master.m3u8");
            assertEquals(200, leased.get(anonymous).statusCode());
            assertEquals(200, leased.get(anonymous).statusCode());
            long before = leased.server.metrics().fastAnswers();
            assertTrue(before > 0, "a token without a playback session has no lease: fast");
            String playlist = "/v/" + first + "/t1/master.m3u8";

            long t0 = System.nanoTime();
            String normal = c.exchange(request("GET", playlist));
            assertEquals(before, leased.server.metrics().fastAnswers(), "the lease is taken by the normal path");
            assertEquals(java.util.Set.of("s1"), holders(state));
            String quick = c.exchange(request("GET", playlist));
            assertTrue(System.nanoTime() - t0 < 900_000_000L, "test too slow to see the fast answer");
            assertEquals(before + 1, leased.server.metrics().fastAnswers(), "renewed less than a second ago: fast");
            assertTrue(quick.startsWith("HTTP/1.1 200 OK\r\n"), quick);
            assertEquals(withoutDate(normal), withoutDate(quick), "the same answer as the normal path's");
            // another session of the same user is over the limit, whatever the first one's fast answers
            assertEquals(403, leased.get("/v/" + second + "/t1/master.m3u8").statusCode(), "over the limit");
            assertEquals(before + 1, leased.server.metrics().fastAnswers());

            Thread.sleep(1_200); // past the second: the next playlist renews the lease (normal path)
            long renewedAt = System.nanoTime();
            assertTrue(c.exchange(request("GET", playlist)).startsWith("HTTP/1.1 200 OK\r\n"));
            assertEquals(before + 1, leased.server.metrics().fastAnswers(), "a second later: the normal path renews");
            assertTrue(c.exchange(request("GET", playlist)).startsWith("HTTP/1.1 200 OK\r\n"));
            assertEquals(before + 2, leased.server.metrics().fastAnswers(), "and then it is fast again");
            // 3.5 s after the lease was taken, past its first 3 s lifetime: still held, because it was renewed
            Thread.sleep(Math.max(0, 3_500 - (System.nanoTime() - t0) / 1_000_000));
            assertTrue(System.nanoTime() - renewedAt < 2_900_000_000L, "test too slow to tell a renewal");
            assertEquals(java.util.Set.of("s1"), holders(state), "renewed by the normal path");
            assertEquals(403, leased.get("/v/" + second + "/t1/master.m3u8").statusCode(), "still over the limit");
        }
    }

    private static java.util.Set<String> holders(dev.kino.common.state.SharedState state) throws Exception {
        return state.leaseHolders(dev.kino.common.state.StreamLimits.group("u1")).toCompletableFuture()
                .get(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndConnectionCloseEndsTheConnection() throws Exception {
        String playlist = m.path("t1", "video-720p/index.m3u8");
        String segment = m.path("t1", "video-720p/seg-00001.m4s");
        try (Conn c = new Conn()) {
            c.exchange(request("GET", playlist));
            // a segment (normal path, from the blocking executor the first time), then playlists right behind it
            c.send(request("GET", segment) + request("GET", playlist) + request("HEAD", playlist)
                    + request("GET", playlist, "Range: bytes=0-3") + request("GET", playlist));
            String seg = c.answer(false);
            assertTrue(seg.startsWith("HTTP/1.1 200 ") && seg.toLowerCase(Locale.ROOT).contains("content-type: video/"), seg);
            String a = c.answer(false);
            String head = c.answer(true);
            String range = c.answer(false);
            String last = c.answer(false);
            assertTrue(a.startsWith("HTTP/1.1 200 ") && a.contains("#EXTM3U"), a);
            assertTrue(head.startsWith("HTTP/1.1 200 ") && !head.contains("#EXTM3U"), head);
            assertTrue(range.startsWith("HTTP/1.1 206 ") && range.endsWith("\r\n\r\n#EXT"), range);
            assertTrue(last.startsWith("HTTP/1.1 200 ") && last.contains("#EXTM3U"), last);
            c.send(request("GET", playlist, "Connection: close"));
            String closing = c.answer(false);
            assertTrue(closing.startsWith("HTTP/1.1 200 "), closing);
            assertEquals(-1, c.in.read(), "closed after a Connection: close request");
        }
    }
}
