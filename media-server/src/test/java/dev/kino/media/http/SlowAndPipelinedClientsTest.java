package dev.kino.media.http;

import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 §2 and issue 10 §1 on the media port and the admin port (real server, raw sockets): dripped heads and
 * bodies are cut after the read timeout, oversized heads and URIs get 431/414, a refused gzip gets identity,
 * pipelined requests are answered in order, and HTTP/1.1 without Host is 400.
 */
class SlowAndPipelinedClientsTest {
    @TempDir
    Path root;

    /** Sends one byte a second; @return seconds until the server closed, or infinity if it never did. */
    static double drip(int port, String head, String dripped) throws IOException, InterruptedException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            for (int i = 0; i < dripped.length(); i++) {
                try {
                    out.write(dripped.charAt(i));
                    out.flush();
                } catch (IOException closed) {
                    return (System.nanoTime() - start) / 1e9;
                }
                s.setSoTimeout(1000);
                try {
                    if (s.getInputStream().read() < 0) {
                        return (System.nanoTime() - start) / 1e9;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // sent a byte, waited a second: drip on
                } catch (IOException reset) {
                    return (System.nanoTime() - start) / 1e9;
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }

    static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return MediaFixture.readAll(in);
        }
    }

    static List<Integer> statuses(String raw) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(raw);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void drippedHeadsAndBodiesAreCutOnTheMediaAndAdminPorts() throws Exception {
        try (MediaFixture m = MediaFixture.start(root, s -> s.readTimeout = Duration.ofSeconds(2))) {
            String filler = "y".repeat(30);
            for (int port : new int[] {m.server.port(), m.server.metricsPort()}) {
                double head = drip(port, "GET /ready HTTP/1.1\r\nHost: x\r\nX-Slow: ", filler);
                assertTrue(head >= 1 && head < 6, "head cut after " + head + " s on port " + port);
                double body = drip(port, "POST /ready HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n", filler);
                assertTrue(body < 8, "body cut after " + body + " s on port " + port);
            }
        }
    }

    /**
     * The head timer is armed once per connection and follows each new head: a head dripped after an earlier request
     * on the same connection is cut a read timeout after it began, neither when the check armed for the earlier head
     * comes due (too early) nor never.
     */
    @Test
    void aLaterDrippedHeadOnAKeptAliveConnectionIsCutAfterItsOwnTimeout() throws Exception {
        try (MediaFixture m = MediaFixture.start(root, c -> c.readTimeout = Duration.ofSeconds(2));
             Socket s = new Socket("127.0.0.1", m.server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + m.path("t1", "master.m3u8") + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String head = "";
            while (!head.endsWith("\r\n\r\n")) {
                head += (char) in.read();
            }
            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            Matcher len = Pattern.compile("(?i)content-length: (\\d+)\r\n").matcher(head);
            assertTrue(len.find(), head);
            in.readNBytes(Integer.parseInt(len.group(1)));
            Thread.sleep(1500); // the check armed for the first head comes due 0.5 s into the next one
            out.write("GET /ready HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            double cut = Double.POSITIVE_INFINITY;
            s.setSoTimeout(1000);
            for (int i = 0; i < 10 && cut == Double.POSITIVE_INFINITY; i++) {
                try {
                    out.write('y');
                    out.flush();
                    if (in.read() < 0) {
                        cut = (System.nanoTime() - start) / 1e9;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // drip on
                } catch (IOException closed) {
                    cut = (System.nanoTime() - start) / 1e9;
                }
            }
            assertTrue(cut >= 1.5 && cut < 6, "the second head cut after " + cut + " s");
        }
    }

    @Test
    void oversizedHeadAndUriOnTheAdminPort() throws IOException {
        try (MediaFixture m = MediaFixture.start(root)) {
            int admin = m.server.metricsPort();
            String out = raw(admin, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(5000) + "\r\n\r\n");
            assertTrue(out.startsWith("HTTP/1.1 431 "), out);
            out = raw(admin, "GET /metrics?" + "x".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(out.startsWith("HTTP/1.1 414 "), out);
            out = raw(admin, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(out.startsWith("HTTP/1.1 200 "), out);
        }
    }

    @Test
    void refusedGzipGetsAnIdentityPlaylist() throws IOException {
        try (MediaFixture m = MediaFixture.start(root)) {
            String path = m.path("t1", "master.m3u8");
            String refused = m.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0, *\r\n"
                    + "Connection: close\r\n\r\n");
            assertTrue(refused.startsWith("HTTP/1.1 200 "), refused);
            assertFalse(refused.toLowerCase().contains("content-encoding"), refused);
            assertTrue(refused.contains("\r\n\r\n#EXTM3U"), refused);
            String wanted = m.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: x-gzip\r\n"
                    + "Connection: close\r\n\r\n");
            assertTrue(wanted.toLowerCase().contains("content-encoding: gzip"), wanted);
        }
    }

    @Test
    void pipelinedRequestsInOrderAndMissingHost() throws IOException {
        try (MediaFixture m = MediaFixture.start(root)) {
            String out = m.raw("GET " + m.path("t1", "master.m3u8") + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET " + m.path("t1", "nothing-here.m3u8") + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET " + m.path("t1", "poster.jpg") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(List.of(200, 404, 200), statuses(out), out);

            out = m.raw("GET " + m.path("t1", "master.m3u8") + " HTTP/1.1\r\n\r\n");
            assertTrue(out.startsWith("HTTP/1.1 400 "), out);
            out = raw(m.server.metricsPort(), "GET /health HTTP/1.1\r\n\r\n");
            assertTrue(out.startsWith("HTTP/1.1 400 "), out);
        }
    }
}
