package dev.kino.media.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

import static dev.kino.media.MediaFixture.AES_KEY_T1;
import static dev.kino.media.MediaFixture.AES_KID_T1;
import static dev.kino.media.MediaFixture.AES_KID_T2;
import static dev.kino.media.MediaFixture.CENC_KEY_T1;
import static dev.kino.media.MediaFixture.CENC_KID_T1;
import static dev.kino.media.MediaFixture.CENC_KID_T2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** HLS key endpoint, ClearKey licences and the Widevine proxy against a local stand-in upstream. */
class KeyEndpointTest {
    @TempDir
    static Path root;
    static MediaFixture m;
    static HttpServer upstream;
    static final AtomicReference<String> seenAuth = new AtomicReference<>();
    static final AtomicReference<byte[]> seenBody = new AtomicReference<>();
    static volatile int upstreamStatus = 200;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/licence", ex -> {
            seenAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
            seenBody.set(ex.getRequestBody().readAllBytes());
            byte[] out = "LICENCE".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(upstreamStatus, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        upstream.start();
        String url = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/licence";
        m = MediaFixture.start(root, s -> {
            s.widevineUrl = url;
            s.widevineToken = "upstream-secret";
        });
    }

    @AfterAll
    static void stop() {
        m.close();
        upstream.stop(0);
    }

    private static String b64(String hex) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hex));
    }

    @Test
    void hlsKeyBytes() throws Exception {
        HttpResponse<byte[]> r = m.get(m.path("t1", "keys/" + AES_KID_T1), "Origin", MediaFixture.ORIGIN);
        assertEquals(200, r.statusCode());
        assertArrayEquals(AES_KEY_T1, r.body());
        assertEquals("application/octet-stream", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("private, no-store", r.headers().firstValue("cache-control").orElseThrow());
        assertEquals(MediaFixture.ORIGIN, r.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertEquals(200, m.get(m.path("t1", "keys/" + AES_KID_T1.toUpperCase())).statusCode());
    }

    @Test
    void keysOfOtherTitlesOrSchemesAreRefused() throws Exception {
        HttpResponse<byte[]> other = m.get(m.path("t1", "keys/" + AES_KID_T2));
        assertEquals(404, other.statusCode());
        assertEquals("no-store", other.headers().firstValue("cache-control").orElseThrow());
        assertEquals(404, m.get(m.path("t1", "keys/" + CENC_KID_T1)).statusCode(), "cenc keys are for licences");
        assertEquals(404, m.get(m.path("t1", "keys/not-a-kid")).statusCode());
        // The t1 token does not grant t2's keys.
        assertEquals(403, m.get("/v/" + m.token("t1") + "/t2/keys/" + AES_KID_T2).statusCode());
        assertEquals(405, m.send("POST", m.path("t1", "keys/" + AES_KID_T1), new byte[] {1}).statusCode());
    }

    @Test
    void clearKeyLicence() throws Exception {
        String req = "{\"kids\":[\"" + b64(CENC_KID_T1) + "\",\"" + b64(CENC_KID_T2) + "\"],\"type\":\"temporary\"}";
        HttpResponse<byte[]> r = m.send("POST", m.path("t1", "license/clearkey"), req.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("private, no-store", r.headers().firstValue("cache-control").orElseThrow());
        JsonNode json = JSON.readTree(r.body());
        assertEquals("temporary", json.path("type").asText());
        assertEquals(1, json.path("keys").size(), "only t1's key");
        JsonNode k = json.path("keys").get(0);
        assertEquals("oct", k.path("kty").asText());
        assertEquals(b64(CENC_KID_T1), k.path("kid").asText());
        assertArrayEquals(CENC_KEY_T1, Base64.getUrlDecoder().decode(k.path("k").asText()));
    }

    @Test
    void clearKeyRefusals() throws Exception {
        String otherTitle = "{\"kids\":[\"" + b64(CENC_KID_T2) + "\"],\"type\":\"temporary\"}";
        assertEquals(404, m.send("POST", m.path("t1", "license/clearkey"), otherTitle.getBytes()).statusCode());
        String aes = "{\"kids\":[\"" + b64(AES_KID_T1) + "\"],\"type\":\"temporary\"}";
        assertEquals(404, m.send("POST", m.path("t1", "license/clearkey"), aes.getBytes()).statusCode());
        assertEquals(400, m.send("POST", m.path("t1", "license/clearkey"), "nope".getBytes()).statusCode());
        assertEquals(400, m.send("POST", m.path("t1", "license/clearkey"), "{\"kids\":[\"%%\"]}".getBytes()).statusCode());
        assertEquals(405, m.get(m.path("t1", "license/clearkey")).statusCode());
        byte[] big = ("{\"kids\":[\"" + "A".repeat(9000) + "\"]}").getBytes();
        assertEquals(413, m.send("POST", m.path("t1", "license/clearkey"), big).statusCode());
    }

    @Test
    void widevineProxy() throws Exception {
        upstreamStatus = 200;
        byte[] challenge = {8, 4, 18, 0, 1, 2};
        HttpResponse<byte[]> r = m.send("POST", m.path("t1", "license/widevine"), challenge);
        assertEquals(200, r.statusCode());
        assertArrayEquals("LICENCE".getBytes(StandardCharsets.US_ASCII), r.body());
        assertEquals("private, no-store", r.headers().firstValue("cache-control").orElseThrow());
        assertEquals("Bearer upstream-secret", seenAuth.get());
        assertArrayEquals(challenge, seenBody.get());

        upstreamStatus = 500;
        HttpResponse<byte[]> failed = m.send("POST", m.path("t1", "license/widevine"), challenge);
        assertEquals(502, failed.statusCode());
        assertEquals("no-store", failed.headers().firstValue("cache-control").orElseThrow());
        String body = new String(failed.body(), StandardCharsets.UTF_8);
        assertEquals(true, body.contains("licence-upstream"), body);
        upstreamStatus = 200;
    }
}
