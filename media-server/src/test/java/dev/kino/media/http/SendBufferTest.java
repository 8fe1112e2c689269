package dev.kino.media.http;

import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code media.sendBuffer}: with a send buffer far smaller than the segment, every answer still arrives whole and in
 * order (sendfile queues a piece, the rest follows as the client reads): parallel clients, a byte range at the end of
 * the file, and a client that stops reading for a while on a kept-alive connection.
 */
class SendBufferTest {
    @TempDir
    static Path root;
    static MediaFixture m;
    static byte[] big;

    @BeforeAll
    static void start() throws IOException {
        m = MediaFixture.start(root, s -> s.sendBuffer = 16 * 1024);
        big = new byte[3 * 1024 * 1024 + 123];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("t1/video-720p/seg-00002.m4s"), big);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    @Test
    void parallelClientsGetTheWholeSegment() throws Exception {
        String path = m.path("t1", "video-720p/seg-00002.m4s");
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(m.http.sendAsync(java.net.http.HttpRequest.newBuilder(m.uri(path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> f : all) {
            HttpResponse<byte[]> r = f.get();
            assertEquals(200, r.statusCode());
            assertArrayEquals(big, r.body());
        }
    }

    @Test
    void aRangeAtTheEndOfTheFile() throws Exception {
        HttpResponse<byte[]> r = m.get(m.path("t1", "video-720p/seg-00002.m4s"), "Range", "bytes=-1048576");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(big, big.length - 1048576, big.length), r.body());
    }

    @Test
    void aClientThatPausesReadingGetsEveryByteThenItsNextAnswer() throws Exception {
        String path = m.path("t1", "video-720p/seg-00002.m4s");
        String head = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
        try (Socket s = new Socket()) {
            // a small window from the start (set after the handshake, it would be below the segment size the server
            // already chose: then every TCP sender, nginx's too, waits out a persist timer per window)
            s.setReceiveBufferSize(8 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", m.server.port()));
            s.setSoTimeout(20_000);
            s.getOutputStream().write((head + head).getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            Thread.sleep(500); // the server fills its small buffer and waits for the client
            for (int answer = 0; answer < 2; answer++) {
                String fields = readHead(in);
                assertTrue(fields.startsWith("HTTP/1.1 200 "), fields);
                assertTrue(fields.toLowerCase(java.util.Locale.ROOT).contains("content-length: " + big.length), fields);
                long t0 = System.nanoTime();
                byte[] body = in.readNBytes(big.length);
                assertArrayEquals(big, body, "answer " + answer + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed inside a head: " + b);
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
