package dev.kino.media.http;

import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request line and head limits, idle and read timeouts, the connection limit, graceful shutdown. */
class LimitsTest {
    @TempDir
    Path root;

    @Test
    void uriTooLong414AndHeadTooLarge431() throws IOException {
        try (MediaFixture m = MediaFixture.start(root)) {
            String longUri = m.path("t1", "master.m3u8") + "?" + "x".repeat(2000);
            String out = m.raw("GET " + longUri + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(out.startsWith("HTTP/1.1 414 "), out);
            assertTrue(out.contains("application/problem+json"));
            assertTrue(out.contains("no-store"));

            String big = "GET " + m.path("t1", "master.m3u8") + " HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + "y".repeat(5000) + "\r\n\r\n";
            out = m.raw(big);
            assertTrue(out.startsWith("HTTP/1.1 431 "), out);

            // Within the limits all is well, and the connection closes when asked.
            out = m.raw("GET " + m.path("t1", "master.m3u8") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(out.startsWith("HTTP/1.1 200 "), out);
        }
    }

    @Test
    void idleConnectionIsClosed() throws IOException {
        try (MediaFixture m = MediaFixture.start(root, s -> s.idleTimeout = Duration.ofMillis(300));
             Socket s = new Socket("127.0.0.1", m.server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + m.path("t1", "poster.jpg") + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = MediaFixture.readAll(s.getInputStream()); // returns once the server closes
            assertTrue(all.startsWith("HTTP/1.1 200 "), all);
            assertFalse(all.endsWith("<timeout>"), "the idle connection should have been closed");
        }
    }

    @Test
    void slowRequestHeadIsCut() throws IOException {
        try (MediaFixture m = MediaFixture.start(root, s -> s.readTimeout = Duration.ofMillis(300));
             Socket s = new Socket("127.0.0.1", m.server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /v/x/t1/master.m3u8 HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush(); // ...and never finish the head
            String all = MediaFixture.readAll(s.getInputStream());
            assertFalse(all.endsWith("<timeout>"), "the server should have closed the connection");
            assertFalse(all.contains("200 OK"));
        }
    }

    @Test
    void connectionLimit() throws IOException {
        try (MediaFixture m = MediaFixture.start(root, s -> s.maxConnections = 1);
             Socket first = new Socket("127.0.0.1", m.server.port())) {
            first.getOutputStream().write(("GET " + m.path("t1", "poster.jpg") + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            first.getInputStream().read(); // the first connection is established and served
            String out = m.raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(out.startsWith("HTTP/1.1 503 "), out);
            assertTrue(out.contains("too-many-connections"), out);
        }
    }

    @Test
    void gracefulShutdownLetsAnInFlightResponseFinish() throws Exception {
        byte[] big = new byte[8 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        MediaFixture m = MediaFixture.start(root, s -> s.shutdownGrace = Duration.ofSeconds(30));
        java.nio.file.Files.write(root.resolve("t1/video-720p/seg-00002.m4s"), big);
        try (Socket s = new Socket("127.0.0.1", m.server.port())) {
            s.setSoTimeout(20_000);
            s.setReceiveBufferSize(16 * 1024);
            s.getOutputStream().write(("GET " + m.path("t1", "video-720p/seg-00002.m4s") + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            java.io.InputStream in = s.getInputStream();
            byte[] first = new byte[1024];
            int n = in.read(first); // the response has started; most of it is still to be written
            assertTrue(n > 0);
            Thread closer = new Thread(m::close);
            closer.start();
            String rest = MediaFixture.readAll(in); // read the rest; the server closes after the last byte
            closer.join();
            String all = new String(first, 0, n, StandardCharsets.ISO_8859_1) + rest;
            int headerEnd = all.indexOf("\r\n\r\n") + 4;
            assertTrue(all.startsWith("HTTP/1.1 200 "), all.substring(0, Math.min(200, all.length())));
            assertEquals(big.length, all.length() - headerEnd, "the whole body arrived");
        }
    }

    @Test
    void gracefulShutdownClosesIdleConnectionsAndStopsAccepting() throws IOException {
        MediaFixture m = MediaFixture.start(root, s -> s.shutdownGrace = Duration.ofSeconds(5));
        try (Socket idle = new Socket("127.0.0.1", m.server.port())) {
            idle.setSoTimeout(20_000);
            idle.getOutputStream().write(("GET " + m.path("t1", "poster.jpg") + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertTrue(idle.getInputStream().read() >= 0);
            int port = m.server.port();
            m.close();
            String rest = MediaFixture.readAll(idle.getInputStream());
            assertFalse(rest.endsWith("<timeout>"));
            boolean refused;
            try (Socket again = new Socket("127.0.0.1", port)) {
                refused = false;
            } catch (IOException e) {
                refused = true;
            }
            assertTrue(refused, "no longer accepting");
            m.close(); // idempotent
        }
    }
}
