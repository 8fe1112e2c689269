package dev.kino.app.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kino.app.demo.DemoClip;
import dev.kino.app.demo.DemoSetup;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code serve}'s packaging in its supervised worker process ({@code packager.isolation.mode: process}), as the
 * launcher starts it: the child is a real {@code ./kino worker} JVM on this class path, configured from the same
 * inputs, on the embedded PostgreSQL of this process, under a deliberately small address-space ceiling. A small clip
 * is packaged and played; an 8K clip, which needs several hundred MiB more than the ceiling leaves, ends the child
 * for memory: its job fails at once with the ceiling in the message, the supervisor starts another child, and the
 * next job is packaged by it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerProcessTest {
    /**
     * The child's ceiling. With a 128 MiB heap the worker JVM idles at about 600 MiB of address space (its reserved
     * heap, class space and code cache, FFmpeg's libraries) and packages a 180p clip with one encoder thread at a peak
     * of about 740 MiB; a second of 8K at 10 fps peaks at about 1.35 GiB (each decoded picture is 50 MiB), measured
     * without a ceiling on this machine. Under this one it fails either way the exhaustion shows: FFmpeg's ENOMEM,
     * x264's generic error, or the JVM's own OutOfMemoryError.
     */
    static final String CEILING = "1000m";

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
        Bootstrap.Loaded loaded = Bootstrap.load(null, List.of("data.dir=" + dataDir, "control.port=0", "media.port=0",
                "metrics.port=0", "control.adminPort=0", "control.host=127.0.0.1", "media.host=127.0.0.1", "packager.preset=ultrafast",
                "packager.threads=1", "packager.isolation.heap=128m", "packager.isolation.memoryLimit=" + CEILING),
                Map.of());
        config = loaded.config();
        lifecycle = new Lifecycle();
        running = Services.all(loaded, SecretStore.resolve(config), false, 1, lifecycle);
        api = "http://127.0.0.1:" + running.control().port() + "/api/v1";
        DemoSetup.Admin admin = new DemoSetup(config, running.control()).ensureAdmin();
        bearer = "Bearer " + send("POST", "/auth/login", Map.of("login", admin.username(), "password",
                admin.password()), 200).path("accessToken").asText();
    }

    @AfterAll
    static void stop() {
        long pid = running == null || running.worker() == null ? -1 : running.worker().pid();
        if (lifecycle != null) {
            lifecycle.close();
        }
        if (pid > 0) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "the worker process " + pid + " is gone after shutdown");
        }
    }

    private static JsonNode send(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : api + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    /** Registers {@code incoming/<file>} as a new media item's source, queues a job with default attempts, waits. */
    private static JsonNode packageIncoming(String file, String packagedTitleId) throws Exception {
        Catalog store = running.control().catalog();
        UUID title = store.createTitle(new TitleInput("movie", "Isolated " + file,
                null, null, null, null, null, null, null, null, null));
        UUID media = store.createMedia(title, new MediaInput(null, null, file, packagedTitleId, null, null, null, null,
                null, "aes-128", "free", false)).id();
        send("POST", "/media/" + media + "/source", Map.of("path", file), 200);
        JsonNode job = send("POST", "/media/" + media + "/package", Map.of(), 202);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            job = send("GET", "/jobs/" + job.path("id").asText(), null, 200);
            if (List.of("failed", "succeeded", "cancelled").contains(job.path("state").asText())) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job did not end: " + job);
    }

    private static String jobLog(JsonNode job) throws Exception {
        return send("GET", "/jobs/" + job.path("id").asText() + "/log?limit=100", null, 200).toString();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "timed out waiting until " + what);
            Thread.sleep(100);
        }
    }

    private static Path incoming(String name, int width, int height, int fps, int seconds) throws Exception {
        Path dir = Files.createDirectories(config.dataDir().resolve("incoming"));
        return DemoClip.generate(dir.resolve(name), width, height, fps, seconds);
    }

    @Test
    @Order(1)
    void aSmallClipIsPackagedInTheWorkerProcessAndPlays() throws Exception {
        WorkerProcess worker = running.worker();
        await("the worker process runs", () -> worker.pid() > 0);
        long child = worker.pid();
        assertNotEquals(ProcessHandle.current().pid(), child);

        incoming("small.mp4", 320, 180, 25, 2);
        JsonNode job = packageIncoming("small.mp4", "isolated-small");
        assertEquals("succeeded", job.path("state").asText(), job + "\n" + jobLog(job));
        assertTrue(jobLog(job).contains("claimed by " + child + "@"), "the child packaged it: " + jobLog(job));

        // the title the child published plays from this process's media server through a signed URL
        send("POST", "/media/" + job.path("mediaId").asText() + "/publish", Map.of(), 200);
        JsonNode grant = send("POST", "/playback", Map.of("mediaId", job.path("mediaId").asText()), 200);
        String master = grant.path("hlsUrl").asText()
                .replaceFirst("^http://localhost:0", "http://127.0.0.1:" + running.media().port());
        HttpResponse<String> playlist = HTTP.send(HttpRequest.newBuilder(URI.create(master)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, playlist.statusCode(), master);
        assertTrue(playlist.body().startsWith("#EXTM3U"), playlist.body());
    }

    @Test
    @Order(2)
    void aWorkerThatRunsOutOfMemoryFailsItsJobAndIsReplaced() throws Exception {
        WorkerProcess worker = running.worker();
        assumeTrue(worker.ceilingKind().equals("ADDRESS_SPACE"), "needs util-linux's prlimit for the RLIMIT_AS ceiling");
        await("the worker process runs", () -> worker.pid() > 0);
        long first = worker.pid();
        int starts = worker.starts();

        incoming("huge.mp4", 7680, 4320, 10, 1);
        JsonNode job = packageIncoming("huge.mp4", "isolated-huge");
        assertEquals("failed", job.path("state").asText(), job.toString());
        String error = job.path("error").asText();
        assertTrue(error.startsWith("huge.mp4: the packaging worker ran out of memory (limit " + CEILING
                + " of address space)"), error);
        assertEquals(1, job.path("attempts").asInt(), "not retried: the same source exhausts the same ceiling");
        assertEquals(3, job.path("maxAttempts").asInt());
        assertFalse(error.contains(dataDir.toString()), error);
        assertFalse(Files.exists(config.media().root().resolve("isolated-huge")), "nothing published");
        try (var entries = Files.list(config.media().root())) {
            assertEquals(List.of(), entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-"))
                    .toList(), "no temporary folder left");
        }

        await("a new worker process runs", () -> worker.starts() > starts && worker.pid() > 0);
        assertNotEquals(first, worker.pid());
        assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false));

        incoming("after.mp4", 320, 180, 25, 2);
        JsonNode next = packageIncoming("after.mp4", "isolated-after");
        assertEquals("succeeded", next.path("state").asText(), next + "\n" + jobLog(next));
        assertTrue(jobLog(next).contains("claimed by " + worker.pid() + "@"), jobLog(next));
    }

    @Test
    @Order(3)
    void aJobWhoseWorkerProcessIsKilledIsQueuedAgainAtOnceAndPackagedByTheNextOne() throws Exception {
        WorkerProcess worker = running.worker();
        await("the worker process runs", () -> worker.pid() > 0);
        long victim = worker.pid();
        incoming("killed.mp4", 640, 360, 25, 6);
        Catalog store = running.control().catalog();
        UUID title = store.createTitle(new TitleInput("movie", "Isolated killed",
                null, null, null, null, null, null, null, null, null));
        UUID media = store.createMedia(title, new MediaInput(null, null, "killed.mp4", "isolated-killed", null, null,
                null, null, null, "aes-128", "free", false)).id();
        send("POST", "/media/" + media + "/source", Map.of("path", "killed.mp4"), 200);
        String id = send("POST", "/media/" + media + "/package", Map.of(), 202).path("id").asText();
        await("the job runs", () -> {
            try {
                return send("GET", "/jobs/" + id, null, 200).path("state").asText().equals("running");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();

        JsonNode job = send("GET", "/jobs/" + id, null, 200);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!List.of("failed", "succeeded").contains(job.path("state").asText()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            job = send("GET", "/jobs/" + id, null, 200);
        }
        String log = jobLog(job);
        assertEquals("succeeded", job.path("state").asText(), job + "\n" + log);
        assertEquals(2, job.path("attempts").asInt(), "the killed attempt counts, without waiting for its lease");
        assertTrue(log.contains("the packaging worker process stopped unexpectedly (was stopped by SIGKILL); will retry"),
                log);
        assertTrue(log.contains("claimed by " + worker.pid() + "@"), log);
        assertNotEquals(victim, worker.pid());
    }

    @Test
    @Order(4)
    void aWorkerProcessWhoseParentIsGoneStops() throws Exception {
        // what the supervisor starts, by hand: its stdin is ours; closing it is what our death would do
        Process orphan = running.worker().processBuilder().start();
        StringBuilder output = new StringBuilder();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(orphan.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                if (line.contains("packaging worker(s) started")) {
                    break;
                }
            }
            assertTrue(orphan.isAlive(), "started and waiting for jobs:\n" + output);
            orphan.getOutputStream().close();
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
            }
        } finally {
            boolean stopped = orphan.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            if (!stopped) {
                orphan.destroyForcibly();
            }
            assertTrue(stopped, "the worker stops by itself once its stdin closes");
        }
        assertEquals(0, orphan.exitValue(), output.toString());
        assertFalse(output.toString().contains("@kino ERROR"), output.toString());
    }
}
