package dev.kino.app.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kino.app.demo.DemoClip;
import dev.kino.app.demo.DemoSetup;
import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile sources through the control API's job path, as an editor meets it: the source is registered and a
 * packaging job queued over HTTP, the real worker runs the real packager, and the job the editor reads back has
 * failed with the packager's one-line reason, naming the file but no folder of the server, at its first attempt
 * (a refusal is not retried); nothing is published. Other failures name the title, not its folder.
 */
class HostileSourceJobTest {
    @TempDir
    static Path dataDir;

    private static Lifecycle lifecycle;
    private static Services.Running running;
    private static KinoConfig config;
    private static String api;
    private static String bearer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        config = KinoConfig.from(ConfigLoader.withShippedDefaults()
                .flag("data.dir=" + dataDir).flag("control.port=0").flag("media.port=0").flag("metrics.port=0").flag("control.adminPort=0")
                .flag("control.host=127.0.0.1").flag("media.host=127.0.0.1")
                .flag("packager.limits.maxDuration=2s").load());
        lifecycle = new Lifecycle();
        running = Services.all(config, SecretStore.resolve(config), false, 1, lifecycle);
        api = "http://127.0.0.1:" + running.control().port() + "/api/v1";
        DemoSetup.Admin admin = new DemoSetup(config, running.control()).ensureAdmin();
        JsonNode login = send("POST", "/auth/login", Map.of("login", admin.username(), "password", admin.password()), 200);
        bearer = "Bearer " + login.path("accessToken").asText();
    }

    @AfterAll
    static void stop() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    private static JsonNode send(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** Registers {@code incoming/<file>} as a new media item's source, queues a job (3 attempts), waits for its end. */
    private static JsonNode packageIncoming(String file, String packagedTitleId) throws Exception {
        Catalog catalog = running.control().catalog();
        UUID title = catalog.createTitle(new TitleInput("movie", "Hostile " + file,
                null, null, null, null, null, null, null, null, null));
        UUID media = catalog.createMedia(title, new MediaInput(null, null, file, packagedTitleId, null, null, null, null,
                null, "aes-128+cenc", "free", false)).id();
        send("POST", "/media/" + media + "/source", Map.of("path", file), 200);
        JsonNode job = send("POST", "/media/" + media + "/package", Map.of(), 202);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            job = send("GET", "/jobs/" + job.path("id").asText(), null, 200);
            if (List.of("failed", "succeeded", "cancelled").contains(job.path("state").asText())) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job did not end: " + job);
    }

    private static void assertRefused(JsonNode job, String expectedStart, String packagedTitleId) {
        assertEquals("failed", job.path("state").asText(), job.toString());
        String error = job.path("error").asText();
        assertTrue(error.startsWith(expectedStart), error);
        assertFalse(error.contains("\n"), "one line: " + error);
        assertFalse(error.contains(dataDir.toString()), "no server folder in what editors see: " + error);
        assertEquals(1, job.path("attempts").asInt(), "a refusal is not retried: " + job);
        assertEquals(3, job.path("maxAttempts").asInt());
        assertFalse(Files.exists(config.media().root().resolve(packagedTitleId)), "nothing published");
    }

    @Test
    void aTargetThatExistsFailsTheJobNamingTheTitleNotTheFolder() throws Exception {
        Path incoming = Files.createDirectories(config.dataDir().resolve("incoming"));
        DemoClip.generate(incoming.resolve("short.mp4"), 160, 96, 25, 1);
        Files.createDirectories(config.media().root().resolve("hostile-exists"));
        JsonNode job = packageIncoming("short.mp4", "hostile-exists");
        assertEquals("failed", job.path("state").asText(), job.toString());
        assertEquals("hostile-exists: hostile-exists already exists; remove it first", job.path("error").asText());
        assertEquals(3, job.path("attempts").asInt(), "not a refusal: retried up to maxAttempts");
    }

    @Test
    void pngRenamedMp4FailsTheJobWithTheReason() throws Exception {
        Path incoming = Files.createDirectories(config.dataDir().resolve("incoming"));
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "png", incoming.resolve("poster.mp4").toFile());
        JsonNode job = packageIncoming("poster.mp4", "hostile-png");
        assertRefused(job, "poster.mp4: not a video file: FFmpeg reads it as \"piped png sequence\" (png_pipe), an"
                + " image format; the containers accepted are MP4/MOV/3GP", "hostile-png");
    }

    @Test
    void sourceBeyondTheConfiguredDurationFailsTheJobWithTheReason() throws Exception {
        Path incoming = Files.createDirectories(config.dataDir().resolve("incoming"));
        DemoClip.generate(incoming.resolve("long.mp4"), 160, 96, 25, 3);
        JsonNode job = packageIncoming("long.mp4", "hostile-long");
        assertRefused(job, "long.mp4: it lasts 3.0 s, longer than the 2 s accepted (packager.limits.maxDuration)",
                "hostile-long");
    }
}
