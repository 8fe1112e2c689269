package dev.kino.app.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kino.app.demo.DemoClip;
import dev.kino.app.demo.DemoSetup;
import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.secret.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system in one JVM, as {@code ./kino demo} runs it: embedded PostgreSQL, control API, media server
 * and a packaging worker. A generated clip goes through the job queue and the packager, is published, playback
 * is authorised through the API, and the signed URLs are followed on the media server down to a decrypted
 * segment and a ClearKey licence.
 */
class AllInOneTest {
    @TempDir
    static Path dataDir;

    private static Lifecycle lifecycle;
    private static Services.Running running;
    private static KinoConfig config;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        config = KinoConfig.from(ConfigLoader.withShippedDefaults()
                .flag("data.dir=" + dataDir).flag("control.port=0").flag("media.port=0").flag("metrics.port=0").flag("control.adminPort=0")
                .flag("control.host=127.0.0.1").flag("media.host=127.0.0.1").load());
        Secrets secrets = SecretStore.resolve(config);
        lifecycle = new Lifecycle();
        running = Services.all(config, secrets, false, 1, lifecycle);
    }

    @AfterAll
    static void stop() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    private static byte[] bytes(String url) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    /** Points a URL built on the configured public URL (port 0 here) at the port the server really has. */
    private static String onMediaServer(String url) {
        return url.replaceFirst("^http://localhost:0", "http://127.0.0.1:" + running.media().port());
    }

    @Test
    void packagesPublishesAuthorisesAndServesEncryptedPlayback() throws Exception {
        DemoSetup setup = new DemoSetup(config, running.control());
        DemoSetup.Admin admin = setup.ensureAdmin();
        assertNotNull(admin.password(), "the first run creates the admin with a generated password");
        assertEquals(null, setup.ensureAdmin().password(), "a second run keeps it and does not print it again");

        Path clip = DemoClip.generate(dataDir.resolve("clip.mp4"), 320, 180, 25, 4);
        DemoSetup.DemoTitle title = setup.ensurePublished(clip, "All in one", line -> { });
        assertEquals(title, setup.ensurePublished(clip, "All in one", line -> { }), "idempotent");

        // A guest may play a free, published item: the API answers signed URLs on the media server.
        HttpResponse<String> grant = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + running.control().port() + "/api/v1/playback"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mediaId\":\"" + title.mediaId() + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, grant.statusCode(), grant.body());
        JsonNode g = JSON.readTree(grant.body());
        String master = onMediaServer(g.path("hlsUrl").asText());
        assertTrue(master.endsWith("/" + title.packagedTitleId() + "/master.m3u8"), master);

        // HLS AES-128: multivariant → media playlist → key → first segment decrypts to a CMAF fragment.
        String multivariant = get(master);
        String variant = multivariant.lines().filter(l -> l.endsWith(".m3u8") && l.startsWith("video-")).findFirst().orElseThrow();
        String base = master.substring(0, master.lastIndexOf('/') + 1);
        String media = get(base + variant);
        Matcher key = Pattern.compile("#EXT-X-KEY:METHOD=AES-128,URI=\"([^\"]+)\",IV=0x([0-9a-fA-F]{32})").matcher(media);
        assertTrue(key.find(), media);
        assertTrue(media.indexOf("#EXT-X-MAP") < media.indexOf("#EXT-X-KEY"), "clear init section before the key");
        byte[] contentKey = bytes(base + key.group(1));
        assertEquals(16, contentKey.length);
        String firstSegment = media.lines().filter(l -> l.endsWith(".m4s")).findFirst().orElseThrow();
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(contentKey, "AES"),
                new IvParameterSpec(HexFormat.of().parseHex(key.group(2))));
        byte[] clear = aes.doFinal(bytes(base + firstSegment));
        String boxes = new String(clear, 4, 4, StandardCharsets.US_ASCII);
        assertTrue(boxes.equals("styp") || boxes.equals("moof"), "decrypted segment starts with " + boxes);

        // FFmpeg (through JavaCV) decodes the whole AES-128 HLS stream from the signed URL: 4 s at 25 fps.
        int frames = 0;
        try (org.bytedeco.javacv.FFmpegFrameGrabber grabber = new org.bytedeco.javacv.FFmpegFrameGrabber(master)) {
            grabber.start();
            org.bytedeco.javacv.Frame f;
            while ((f = grabber.grabImage()) != null) {
                frames++;
            }
            grabber.stop();
        }
        assertTrue(frames >= 99 && frames <= 101, "decoded " + frames + " frames of a 4 s 25 fps clip");

        // DASH CENC: the MPD names the KID; the ClearKey licence endpoint answers its key for this token.
        String mpd = get(onMediaServer(g.path("dashUrl").asText()));
        Matcher kid = Pattern.compile("cenc:default_KID=\"([0-9a-f-]{36})\"").matcher(mpd);
        assertTrue(kid.find(), mpd);
        UUID kidUuid = UUID.fromString(kid.group(1));
        java.nio.ByteBuffer kb = java.nio.ByteBuffer.allocate(16).putLong(kidUuid.getMostSignificantBits())
                .putLong(kidUuid.getLeastSignificantBits());
        String kidB64 = Base64.getUrlEncoder().withoutPadding().encodeToString(kb.array());
        HttpResponse<String> licence = HTTP.send(HttpRequest.newBuilder(URI.create(onMediaServer(g.path("licenceUrl").asText())))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kids\":[\"" + kidB64 + "\"],\"type\":\"temporary\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, licence.statusCode(), licence.body());
        JsonNode keys = JSON.readTree(licence.body()).path("keys");
        assertEquals(1, keys.size());
        assertEquals(kidB64, keys.get(0).path("kid").asText());
        assertEquals(16, Base64.getUrlDecoder().decode(keys.get(0).path("k").asText()).length);
        assertTrue(licence.headers().firstValue("Cache-Control").orElse("").contains("no-store"));

        // The published folder holds no clear key: only the wrapped ones.
        List<String> names;
        try (var files = Files.walk(config.media().root().resolve(title.packagedTitleId()))) {
            names = files.map(p -> p.getFileName().toString()).toList();
        }
        assertTrue(names.contains("keys.wrapped.json"), names.toString());
        byte[] wrappedFile = Files.readAllBytes(config.media().root().resolve(title.packagedTitleId()).resolve("keys.wrapped.json"));
        assertTrue(indexOf(wrappedFile, contentKey) < 0, "the content key is not stored in clear");
        HttpResponse<String> hidden = HTTP.send(HttpRequest.newBuilder(URI.create(base + "keys.wrapped.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, hidden.statusCode(), "wrapped keys are never served");
        assertArrayEquals(contentKey, bytes(base + key.group(1)), "the key endpoint is stable");

        // The catalogue shows the packager's poster without a playback token.
        String apiBase = "http://127.0.0.1:" + running.control().port() + "/api/v1";
        String titleId = JSON.readTree(get(apiBase + "/media/" + title.mediaId())).path("titleId").asText();
        HttpResponse<byte[]> poster = HTTP.send(HttpRequest.newBuilder(URI.create(apiBase + "/titles/" + titleId + "/poster")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, poster.statusCode());
        assertEquals("image/jpeg", poster.headers().firstValue("Content-Type").orElseThrow());
        assertEquals((byte) 0xFF, poster.body()[0]);
        assertEquals((byte) 0xD8, poster.body()[1]);
        assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(apiBase + "/titles/" + UUID.randomUUID() + "/poster")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());

        // A take-down through the control API reaches the media server: the same signed URL answers 404.
        String api = "http://127.0.0.1:" + running.control().port() + "/api/v1";
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"" + admin.username() + "\",\"password\":\""
                        + admin.password() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String bearer = "Bearer " + JSON.readTree(login.body()).path("accessToken").asText();
        for (String verb : new String[]{"takedown", "publish"}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/media/" + title.mediaId() + "/" + verb))
                    .header("Authorization", bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), verb + ": " + r.body());
            int expected = verb.equals("takedown") ? 404 : 200;
            int status = 0;
            for (int i = 0; i < 100 && status != expected; i++) {  // at most 10 s: "within seconds"
                status = HTTP.send(HttpRequest.newBuilder(URI.create(master)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != expected) {
                    Thread.sleep(100);
                }
            }
            assertEquals(expected, status, "after " + verb);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
