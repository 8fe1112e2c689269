package dev.kino.control.media;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.TitleTakedowns;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.CatalogRoutes;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chunked uploads, source registration and publish / take-down on a real server and database. */
class MediaRoutesTest {
    static final int MIB = 1024 * 1024;
    static Jdbi jdbi;
    static KinoConfig config;
    static SharedState state;
    static FeatureServer server;
    static Http http;
    static String admin;
    static String admin2;
    static String user;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        config = SharedDatabase.config();
        state = new InProcessSharedState();
        Catalog catalog = new Catalog(jdbi, Clock.systemUTC());
        Uploads uploads = new Uploads(jdbi, config.dataDir(), config.control().maxUploadBytes(),
                config.control().maxRequestBytes(), Clock.systemUTC());
        server = FeatureServer.start(config, r -> {
            CatalogRoutes.register(r, catalog, FeatureServer.access(jdbi));
            MediaRoutes.register(r, catalog, uploads, new IncomingFiles(config.dataDir()),
                    new Takedowns(state, Duration.ofSeconds(5)), FeatureServer.access(jdbi));
        });
        http = server.http();
        admin = TestAccounts.admin(jdbi).token();
        admin2 = TestAccounts.admin(jdbi).token();
        user = TestAccounts.user(jdbi).token();
    }

    @AfterAll
    static void stop() {
        server.close();
        state.close();
    }

    static Http.Resp chunk(String token, String upload, long offset, byte[] bytes) {
        return http.send(http.builder("/api/v1/uploads/" + upload + "/chunks/" + offset, token)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    static String sha(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static byte[] bytes(int seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String startUpload(String token, String name, long size, String sha) {
        Http.Resp r = http.post("/api/v1/uploads", token, Map.of("filename", name, "size", size, "sha256", sha));
        assertEquals(201, r.status(), r.text());
        return r.json().path("id").asText();
    }

    @Test
    void resumableUploadWithErrorsThenSourceRegistration() throws Exception {
        byte[] a = bytes(1, 1000);
        byte[] b = bytes(2, 500);
        String id = startUpload(admin, "Episode 1.mkv", 1500, sha(a, b));
        assertEquals(0, http.get("/api/v1/uploads/" + id, admin).json().path("received").asLong());
        assertEquals(404, http.get("/api/v1/uploads/" + id, admin2).status(), "another account's upload");
        assertEquals(404, chunk(admin2, id, 0, a).status());
        assertEquals(403, chunk(user, id, 0, a).status());
        assertEquals(415, http.send(http.builder("/api/v1/uploads/" + id + "/chunks/0", admin)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(a))).status());
        assertEquals(422, chunk(admin, id, -1, a).status());
        assertEquals(409, chunk(admin, id, 10, a).status(), "gap");
        assertEquals(200, chunk(admin, id, 0, a).status());
        // the connection dropped: ask where to resume, resend the stored chunk (harmless), continue
        assertEquals(1000, http.get("/api/v1/uploads/" + id, admin).json().path("received").asLong());
        assertEquals(1000, chunk(admin, id, 0, a).json().path("received").asLong());
        assertEquals(413, chunk(admin, id, 1000, bytes(3, 501)).status(), "beyond the declared size");
        JsonNode done = chunk(admin, id, 1000, b).json();
        assertEquals("complete", done.path("state").asText(), done.toString());
        assertEquals(409, chunk(admin, id, 1500, b).status(), "complete takes no more");
        Path file = config.dataDir().resolve("uploads").resolve(id + "-Episode_1.mkv");
        assertTrue(Files.isRegularFile(file));
        assertEquals(1500, Files.size(file));

        // validation
        assertEquals(422, http.post("/api/v1/uploads", admin, Map.of("filename", "../x", "size", 0, "sha256", "zz")).status());
        assertEquals(422, http.post("/api/v1/uploads", admin, Map.of("filename", "x", "size", config.control().maxUploadBytes() + 1,
                "sha256", sha(a))).status());

        // register as a source: upload of someone else → 404; own → uploaded state with source
        UUID title = UUID.fromString(http.post("/api/v1/titles", admin, Map.of("kind", "movie", "originalTitle", "Src")).json().path("id").asText());
        String media = http.post("/api/v1/titles/" + title + "/media", admin, Map.of()).json().path("id").asText();
        assertEquals(404, http.post("/api/v1/media/" + media + "/source", admin2, Map.of("uploadId", id)).status());
        assertEquals(422, http.post("/api/v1/media/" + media + "/source", admin, Map.of()).status());
        Http.Resp ok = http.post("/api/v1/media/" + media + "/source", admin, Map.of("uploadId", id));
        assertEquals(200, ok.status(), ok.text());
        assertTrue(ok.json().path("hasSource").asBoolean());
        assertEquals(404, http.post("/api/v1/media/" + UUID.randomUUID() + "/source", admin, Map.of("uploadId", id)).status());

        // a file already on the server: only inside <data.dir>/incoming
        Path incoming = config.dataDir().resolve("incoming");
        Files.createDirectories(incoming.resolve("batch"));
        Files.write(incoming.resolve("batch/film.mp4"), a);
        Path outside = Files.createTempFile("outside", ".mp4");
        assertEquals(200, http.post("/api/v1/media/" + media + "/source", admin, Map.of("path", "batch/film.mp4")).status());
        assertEquals(422, http.post("/api/v1/media/" + media + "/source", admin, Map.of("path", "../../../../etc/passwd")).status());
        assertEquals(422, http.post("/api/v1/media/" + media + "/source", admin, Map.of("path", outside.toString())).status());
        assertEquals(422, http.post("/api/v1/media/" + media + "/source", admin, Map.of("path", "batch")).status());
        Path link = incoming.resolve("link-" + UUID.randomUUID() + ".mp4");
        Files.createSymbolicLink(link, outside);
        assertEquals(422, http.post("/api/v1/media/" + media + "/source", admin, Map.of("path", link.getFileName().toString())).status());
    }

    @Test
    void checksumMismatchFailsTheUpload() throws Exception {
        byte[] a = bytes(5, 2000);
        String id = startUpload(admin, "bad.mp4", 2000, sha(bytes(6, 2000)));
        Http.Resp r = chunk(admin, id, 0, a);
        assertEquals(422, r.status(), r.text());
        assertTrue(r.json().path("detail").asText().contains("checksum"));
        JsonNode u = http.get("/api/v1/uploads/" + id, admin).json();
        assertEquals("failed", u.path("state").asText());
        assertEquals(409, chunk(admin, id, 0, a).status());
        assertFalse(Files.exists(config.dataDir().resolve("uploads/.partial/" + id + ".part")));
        // abort
        String other = startUpload(admin, "gone.mp4", 10, sha(bytes(7, 10)));
        assertEquals(204, http.delete("/api/v1/uploads/" + other, admin).status());
        assertEquals(409, http.delete("/api/v1/uploads/" + other, admin).status());
    }

    /** 64 MiB in 1 MiB chunks: the server holds one chunk at a time, so the heap does not grow with the file. */
    @Test
    void largeUploadIsStreamed() throws Exception {
        int chunks = 64;
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < chunks; i++) {
            md.update(bytes(100 + i, MIB));
        }
        String id = startUpload(admin, "big.mkv", (long) chunks * MIB, HexFormat.of().formatHex(md.digest()));
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        JsonNode last = null;
        for (int i = 0; i < chunks; i++) {
            Http.Resp r = chunk(admin, id, (long) i * MIB, bytes(100 + i, MIB));
            assertEquals(200, r.status(), r.text());
            last = r.json();
        }
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        assertEquals("complete", last.path("state").asText());
        assertEquals((long) chunks * MIB, Files.size(config.dataDir().resolve("uploads").resolve(id + "-big.mkv")));
        assertTrue(after - before < 32L * MIB, "heap grew by " + (after - before) / MIB + " MiB");
    }

    @Test
    void publishTakeDownAndIllegalTransitions() throws Exception {
        LinkedBlockingQueue<String> takenDown = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> restored = new LinkedBlockingQueue<>();
        state.subscribe(TitleTakedowns.CHANNEL, (ch, msg) -> TitleTakedowns.Change.parse(msg)
                .ifPresent(c -> (c.takenDown() ? takenDown : restored).add(c.titleId()))).toCompletableFuture().get();
        UUID title = UUID.fromString(http.post("/api/v1/titles", admin, Map.of("kind", "movie", "originalTitle", "Pub")).json().path("id").asText());
        String folder = "pub-" + UUID.randomUUID();
        String ready = http.post("/api/v1/titles/" + title + "/media", admin, Map.of("packagedTitleId", folder, "packaged", true))
                .json().path("id").asText();
        UUID t2 = UUID.fromString(http.post("/api/v1/titles", admin, Map.of("kind", "movie", "originalTitle", "Raw")).json().path("id").asText());
        String raw = http.post("/api/v1/titles/" + t2 + "/media", admin, Map.of()).json().path("id").asText();

        assertEquals(409, http.post("/api/v1/media/" + raw + "/publish", admin, Map.of()).status(), "uploaded → published");
        assertEquals(409, http.post("/api/v1/media/" + raw + "/takedown", admin, Map.of()).status());
        assertEquals(409, http.post("/api/v1/media/" + ready + "/unpublish", admin, Map.of()).status(), "not published");
        assertEquals(409, http.post("/api/v1/media/" + ready + "/takedown", admin, Map.of()).status(), "ready → taken_down");
        assertEquals(403, http.post("/api/v1/media/" + ready + "/publish", user, Map.of()).status());
        assertEquals(404, http.post("/api/v1/media/" + UUID.randomUUID() + "/publish", admin, Map.of()).status());

        Http.Resp p = http.post("/api/v1/media/" + ready + "/publish", admin, Map.of());
        assertEquals(200, p.status(), p.text());
        assertEquals("published", p.json().path("state").asText());
        assertEquals(409, http.delete("/api/v1/media/" + ready, admin).status());

        Http.Resp d = http.post("/api/v1/media/" + ready + "/takedown", admin, Map.of());
        assertEquals(200, d.status(), d.text());
        assertEquals("taken_down", d.json().path("state").asText());
        assertEquals(folder, takenDown.poll(10, TimeUnit.SECONDS));
        assertTrue(state.blocking(Duration.ofSeconds(5)).isMember(TitleTakedowns.SET_KEY, folder), "durable set for restarted servers");
        assertEquals(200, http.post("/api/v1/media/" + ready + "/takedown", admin, Map.of()).status(), "idempotent re-broadcast");
        assertEquals(folder, takenDown.poll(10, TimeUnit.SECONDS));
        assertEquals(404, http.get("/api/v1/media/" + ready, null).status());

        assertEquals(200, http.post("/api/v1/media/" + ready + "/publish", admin, Map.of()).status());
        assertEquals(folder, restored.poll(10, TimeUnit.SECONDS));
        assertFalse(state.blocking(Duration.ofSeconds(5)).isMember(TitleTakedowns.SET_KEY, folder));
        assertEquals(200, http.post("/api/v1/media/" + ready + "/unpublish", admin, Map.of()).status());
        assertEquals(List.of(), List.copyOf(takenDown));
    }
}
