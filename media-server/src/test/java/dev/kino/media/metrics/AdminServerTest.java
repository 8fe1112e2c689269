package dev.kino.media.metrics;

import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminServerTest {
    @TempDir
    Path root;

    @Test
    void metricsHealthReady() throws Exception {
        try (MediaFixture m = MediaFixture.start(root)) {
            assertEquals(200, m.get(m.path("t1", "master.m3u8")).statusCode());
            assertEquals(206, m.get(m.path("t1", "video-720p/seg-00001.m4s"), "Range", "bytes=0-9").statusCode());
            assertEquals(403, m.get("/v/bad/t1/master.m3u8").statusCode());
            String base = "http://127.0.0.1:" + m.server.metricsPort();
            HttpResponse<String> metrics = m.http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            String text = metrics.body();
            assertTrue(text.contains("kino_media_requests_total{status=\"200\",kind=\"playlist\"} 1"), text);
            assertTrue(text.contains("kino_media_requests_total{status=\"206\",kind=\"segment\"} 1"), text);
            assertTrue(text.contains("kino_media_token_failures_total{reason=\"malformed\"} 1"), text);
            assertTrue(text.contains("kino_media_request_duration_seconds_count"), text);
            assertTrue(text.contains("kino_media_open_connections "), text);
            assertTrue(text.contains("# TYPE kino_media_request_duration_seconds histogram"), text);
            assertEquals(200, m.http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, m.http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
