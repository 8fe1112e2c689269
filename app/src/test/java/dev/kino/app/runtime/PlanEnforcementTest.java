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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan in a playback grant, enforced end to end (issue 11 §4): a 640x360 clip made by FFmpeg is packaged by the
 * job worker into its default ladder for that size (360p and 240p), published, and played through the control API
 * by an account whose plan allows 240 pixels. The origin then lists and serves only the 240p rendition (FFmpeg plays
 * it), refuses every 360p object, and answers persistent ClearKey licences only once the plan allows offline viewing;
 * a guest, who has no plan, gets the title as the packager wrote it.
 */
class PlanEnforcementTest {
    private static final String MPD_NS = "urn:mpeg:dash:schema:mpd:2011";

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

    private static String api(String path) {
        return "http://127.0.0.1:" + running.control().port() + "/api/v1" + path;
    }

    /** Points a URL built on the configured public URL (port 0 here) at the port the server really has. */
    private static String onMediaServer(String url) {
        return url.replaceFirst("^http://localhost:0", "http://127.0.0.1:" + running.media().port());
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> send(String method, String url, String bearer, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.uri() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static String text(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), r.uri() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** A plan with this cap, assigned to the account. */
    private static void subscribe(String bearer, UUID account, int maxResolution, boolean offline) throws Exception {
        JsonNode plan = ok(send("POST", api("/admin/plans"), bearer, Map.of("name", "Plan " + UUID.randomUUID(),
                "concurrentStreams", 10, "maxResolution", maxResolution, "priceMinor", 0, "currency", "EUR",
                "offline", offline)), 201);
        ok(send("PUT", api("/admin/users/" + account + "/plan"), bearer, Map.of("planId", plan.path("id").asText())), 200);
    }

    private static JsonNode grant(String bearer, UUID mediaId) throws Exception {
        return ok(send("POST", api("/playback"), bearer, Map.of("mediaId", mediaId.toString())), 200);
    }

    private static HttpResponse<String> licence(JsonNode grant, String kid, String type) throws Exception {
        return send("POST", onMediaServer(grant.path("licenceUrl").asText()), null,
                Map.of("kids", List.of(kid), "type", type));
    }

    @Test
    void theGrantsPlanIsWhatTheOriginListsServesAndLicenses() throws Exception {
        DemoSetup setup = new DemoSetup(config, running.control());
        DemoSetup.Admin admin = setup.ensureAdmin();
        Path clip = DemoClip.generate(dataDir.resolve("clip.mp4"), 640, 360, 25, 2);
        DemoSetup.DemoTitle title = setup.ensurePublished(clip, "Capped", line -> { });
        Path folder = config.media().root().resolve(title.packagedTitleId());
        byte[] masterOnDisk = Files.readAllBytes(folder.resolve("master.m3u8"));
        String written = new String(masterOnDisk, StandardCharsets.UTF_8);
        assertTrue(written.contains("video-360p.m3u8") && written.contains("video-240p.m3u8"), written);

        // A guest has no plan: the multivariant playlist as the packager wrote it.
        JsonNode guest = ok(send("POST", api("/playback"), null, Map.of("mediaId", title.mediaId().toString())), 200);
        assertFalse(guest.hasNonNull("maxResolution"), guest.toString());
        HttpResponse<byte[]> uncapped = get(onMediaServer(guest.path("hlsUrl").asText()));
        assertEquals(200, uncapped.statusCode());
        assertArrayEquals(masterOnDisk, uncapped.body(), "no cap: the bytes on disk");

        // The administrator, on a plan that allows 240 pixels and no offline viewing.
        JsonNode login = ok(send("POST", api("/auth/login"), null,
                Map.of("login", admin.username(), "password", admin.password())), 200);
        String bearer = "Bearer " + login.path("accessToken").asText();
        UUID account = UUID.fromString(JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(api("/me")))
                .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString()).body()).path("id").asText());
        subscribe(bearer, account, 240, false);
        JsonNode capped = grant(bearer, title.mediaId());
        assertEquals(240, capped.path("maxResolution").asInt());

        // HLS: only the 240p variant (and its I-frame playlist) is listed, under another entity tag.
        String master = onMediaServer(capped.path("hlsUrl").asText());
        HttpResponse<byte[]> cappedMaster = get(master);
        String listed = text(cappedMaster);
        assertTrue(listed.contains("video-240p.m3u8") && listed.contains("video-240p-iframes.m3u8"), listed);
        assertFalse(listed.contains("360p") || listed.contains("RESOLUTION=640x360"), listed);
        assertTrue(listed.contains("#EXT-X-MEDIA:TYPE=AUDIO"), "audio is not capped: " + listed);
        assertNotEquals(uncapped.headers().firstValue("ETag").orElseThrow(),
                cappedMaster.headers().firstValue("ETag").orElseThrow(), "another body, another validator");

        // Every object of the 360p rendition is refused, whatever the player asks for; the 240p ones are served.
        String base = master.substring(0, master.lastIndexOf('/') + 1);
        for (String rung : new String[]{"360p", "240p"}) {
            List<String> objects = objectsOf(folder, "video-" + rung);
            int expected = rung.equals("360p") ? 403 : 200;
            for (String object : objects) {
                HttpResponse<byte[]> r = get(base + object);
                assertEquals(expected, r.statusCode(), object);
                if (expected == 403) {
                    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), object);
                    assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("rendition-not-allowed"), object);
                }
            }
        }

        // FFmpeg plays the capped HLS stream (AES-128) from the signed URL: every picture is 240 pixels high.
        int frames = 0;
        try (org.bytedeco.javacv.FFmpegFrameGrabber grabber = new org.bytedeco.javacv.FFmpegFrameGrabber(master)) {
            grabber.start();
            org.bytedeco.javacv.Frame f;
            while ((f = grabber.grabImage()) != null) {
                assertEquals(240, f.imageHeight);
                frames++;
            }
            grabber.stop();
        }
        assertTrue(frames >= 49 && frames <= 51, "decoded " + frames + " frames of a 2 s 25 fps clip");

        // DASH: one video Representation, 240p, and the AdaptationSet does not claim more.
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setNamespaceAware(true);
        xml.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document mpd = xml.newDocumentBuilder().parse(new ByteArrayInputStream(
                text(get(onMediaServer(capped.path("dashUrl").asText()))).getBytes(StandardCharsets.UTF_8)));
        List<String> video = new ArrayList<>();
        NodeList representations = mpd.getElementsByTagNameNS(MPD_NS, "Representation");
        for (int i = 0; i < representations.getLength(); i++) {
            Element r = (Element) representations.item(i);
            if (!r.getAttribute("height").isEmpty()) {
                video.add(r.getAttribute("id") + "@" + r.getAttribute("height"));
            }
        }
        assertEquals(List.of("video-240p@240"), video);
        Element videoSet = (Element) mpd.getElementsByTagNameNS(MPD_NS, "AdaptationSet").item(0);
        assertEquals("240", videoSet.getAttribute("maxHeight"));

        // ClearKey: temporary licences as before; a persistent one only once the plan allows offline viewing.
        Matcher defaultKid = Pattern.compile("cenc:default_KID=\"([0-9a-f-]{36})\"")
                .matcher(Files.readString(folder.resolve("manifest.mpd")));
        assertTrue(defaultKid.find());
        UUID k = UUID.fromString(defaultKid.group(1));
        String kid = Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(16)
                .putLong(k.getMostSignificantBits()).putLong(k.getLeastSignificantBits()).array());
        assertEquals(200, licence(capped, kid, "temporary").statusCode());
        HttpResponse<String> refused = licence(capped, kid, "persistent-license");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("offline-not-allowed"), refused.body());

        subscribe(bearer, account, 240, true);
        HttpResponse<String> offline = licence(grant(bearer, title.mediaId()), kid, "persistent-license");
        assertEquals(200, offline.statusCode(), offline.body());
        assertEquals("persistent-license", JSON.readTree(offline.body()).path("type").asText());
    }

    /**
     * @return a video rendition's objects as a player asks for them, relative to the title: its media and I-frame
     *     playlists and every URI they name (init section, segments, I-frame files)
     */
    private static List<String> objectsOf(Path folder, String rendition) throws Exception {
        List<String> objects = new ArrayList<>(List.of(rendition + ".m3u8", rendition + "-iframes.m3u8"));
        Pattern uri = Pattern.compile("URI=\"([^\"]+)\"");
        for (String playlist : List.copyOf(objects)) {
            for (String line : Files.readAllLines(folder.resolve(playlist))) {
                Matcher m = uri.matcher(line);
                String ref = line.startsWith("#EXT-X-MAP") && m.find() ? m.group(1)
                        : !line.isBlank() && !line.startsWith("#") ? line : null;
                if (ref != null && !objects.contains(ref)) {
                    objects.add(ref);
                }
            }
        }
        assertTrue(objects.stream().anyMatch(o -> o.endsWith(".m4s")) && objects.stream().anyMatch(o -> o.endsWith(".mp4")),
                objects.toString());
        return objects;
    }
}
