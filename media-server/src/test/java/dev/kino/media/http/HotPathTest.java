package dev.kino.media.http;

import dev.kino.media.MediaFixture;
import dev.kino.protocol.token.IpRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * What the fast path remembers (small files in memory, authentic tokens) never outlives what it may: a re-published
 * file is served within seconds, a take-down at once, and a remembered token is still checked for time, path and
 * address on every request.
 */
class HotPathTest {
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

    @Test
    void aRepublishedPlaylistIsServedWithinTheMetadataLifetime() throws Exception {
        Path playlist = root.resolve("t1").resolve("video-720p").resolve("index.m3u8");
        String token = m.token("t1");
        String path = "/v/" + token + "/t1/video-720p/index.m3u8";
        HttpResponse<byte[]> first = m.get(path);
        assertEquals(200, first.statusCode());
        assertEquals(200, m.get(path).statusCode()); // now from memory
        String republished = "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4,\nseg-00001.m4s\n#EXT-X-ENDLIST\n";
        Files.writeString(playlist, republished);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        HttpResponse<byte[]> now;
        do {
            Thread.sleep(200);
            now = m.get(path);
        } while (!new String(now.body(), StandardCharsets.UTF_8).equals(republished) && Instant.now().isBefore(deadline));
        assertEquals(republished, new String(now.body(), StandardCharsets.UTF_8), "served within seconds");
        assertNotEquals(first.headers().firstValue("etag").orElseThrow(), now.headers().firstValue("etag").orElseThrow());
    }

    @Test
    void aTakeDownStopsWhatIsInMemoryAtOnce() throws Exception {
        String path = "/v/" + m.token("t2") + "/t2/master.m3u8";
        assertEquals(200, m.get(path).statusCode());
        assertEquals(200, m.get(path).statusCode());
        m.takedowns.takeDown("t2");
        assertEquals(404, m.get(path).statusCode());
    }

    @Test
    void aRememberedTokenIsCheckedForTimePathAndAddressEveryTime() throws Exception {
        try (MediaFixture strict = MediaFixture.start(root.resolve("strict"), s -> s.clockSkew = Duration.ZERO)) {
            long now = Instant.now().getEpochSecond();
            String shortLived = strict.signer.sign(MediaFixture.claims("t1").notBefore(now - 5).expiresAt(now + 2).build());
            assertEquals(200, strict.get("/v/" + shortLived + "/t1/master.m3u8").statusCode());
            assertEquals(403, strict.get("/v/" + shortLived + "/t2/master.m3u8").statusCode(), "another title");
            Thread.sleep(3_100);
            assertEquals(410, strict.get("/v/" + shortLived + "/t1/master.m3u8").statusCode(), "expired since");
        }
        String bound = m.signer.sign(MediaFixture.claims("t1").clientRange(IpRange.parse("203.0.113.0/24")).build());
        assertEquals(403, m.get("/v/" + bound + "/t1/master.m3u8").statusCode());
        assertEquals(403, m.get("/v/" + bound + "/t1/master.m3u8").statusCode(), "still refused once remembered");
    }

    @Test
    void oneOpenSegmentServesManyConnectionsAtOnceAndARepublishedOneIsReopened() throws Exception {
        Path segment = root.resolve("t1").resolve("video-720p").resolve("seg-00001.m4s");
        byte[] before = Files.readAllBytes(segment);
        String path = "/v/" + m.token("t1") + "/t1/video-720p/seg-00001.m4s";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<byte[]>> bodies = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                bodies.add(pool.submit(() -> m.get(path).body()));
            }
            for (var f : bodies) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(before, f.get(), "every transfer whole");
            }
        } finally {
            pool.shutdown();
        }
        byte[] after = MediaFixture.filled(before.length + 10, 0x5a);
        Path tmp = segment.resolveSibling("seg.tmp");
        Files.write(tmp, after);
        Files.move(tmp, segment, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        byte[] now;
        do {
            Thread.sleep(200);
            now = m.get(path).body();
        } while (now.length != after.length && Instant.now().isBefore(deadline));
        org.junit.jupiter.api.Assertions.assertArrayEquals(after, now, "the re-published segment within seconds");
        Files.write(segment, before);
    }
}
