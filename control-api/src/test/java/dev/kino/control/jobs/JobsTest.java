package dev.kino.control.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.common.packaging.Protection;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.PackagingException;
import dev.kino.packager.SourceRefusedException;
import dev.kino.packager.job.PackagedTrack;
import dev.kino.packager.job.PackagingProgress;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.job.PackagingRunner;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.media.TrackKind;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job queue and workers: competition, dead workers, retries, cancellation, and the job routes. */
class JobsTest {
    static final Duration LEASE = Duration.ofMinutes(1);
    static Jdbi jdbi;
    static MutableClock clock;
    static Catalog store;
    static JobQueue queue;
    static FeatureServer server;
    static Http http;
    static String admin;
    static String user;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        // far in the future, so jobs of this class are never behind other classes' leases
        clock = new MutableClock(Instant.now().plus(Duration.ofDays(1)));
        store = new Catalog(jdbi, clock);
        queue = new JobQueue(store.lifecycle());
        server = FeatureServer.start(SharedDatabase.config(), r -> JobRoutes.register(r, queue, Protection.AES_128,
                FeatureServer.access(jdbi)));
        http = server.http();
        admin = TestAccounts.admin(jdbi).token();
        user = TestAccounts.user(jdbi).token();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A media item with a source, ready to package. */
    static UUID media(boolean withSource) {
        UUID title = jdbi.inTransaction(h -> store.createTitle(h, new TitleInput("movie", "Job " + UUID.randomUUID(), null,
                null, null, null, null, null, null, null, null)));
        UUID id = store.createMedia(title, new MediaInput(null, null, null, null, null, null, null, null, null, null, null, null)).id();
        if (withSource) {
            store.lifecycle().replaceSource(id, "/incoming/" + id + ".mkv");
        }
        return id;
    }

    static UUID enqueue(UUID media, Map<String, Object> body) {
        Http.Resp r = http.post("/api/v1/media/" + media + "/package", admin, body);
        assertEquals(202, r.status(), r.text());
        assertEquals("queued", r.json().path("state").asText());
        return UUID.fromString(r.json().path("id").asText());
    }

    static JsonNode job(UUID id) {
        return http.get("/api/v1/jobs/" + id, admin).json();
    }

    static String mediaState(UUID media) {
        return store.media(media).orElseThrow().state().wire();
    }

    /** What a stand-in packager reports: two video renditions, Japanese audio, English subtitles, 24 min. */
    static PackagingResult result() {
        return new PackagingResult("t", Path.of("/tmp/kino-media/t"), 1440.2, Protection.BOTH, List.of(
                new PackagedTrack("video-720p", TrackKind.VIDEO, "und", "avc1.64001f", 1280, 720, 3_000_000),
                new PackagedTrack("video-360p", TrackKind.VIDEO, "und", "avc1.64001e", 640, 360, 800_000),
                new PackagedTrack("audio-jpn", TrackKind.AUDIO, "ja", "mp4a.40.2", 0, 0, 128_000),
                new PackagedTrack("subs-eng", TrackKind.TEXT, "en", PackagedTrack.WEBVTT, 0, 0, 0)),
                List.of(), "libx264", 1, List.of(), List.of());
    }

    static PackagingProgress progress(double fraction) {
        return new PackagingProgress(PackagingProgress.Phase.TRANSCODING, fraction, 1);
    }

    JobWorker worker(String name, PackagingRunner packager) {
        return new JobWorker(name, queue, store, packager, Path.of("/tmp/kino-media"), LadderSpec.defaults(), LEASE,
                Duration.ZERO, clock);
    }

    @Test
    void twoCompetingWorkersNeverRunTheSameJob() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        List<UUID> media = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID m = media(true);
            media.add(m);
            jobs.add(enqueue(m, Map.of("ladder", List.of("720p", "360p"))));
        }
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        PackagingRunner service = (req, l, cancel) -> {
            runs.computeIfAbsent(req.titleId(), k -> new AtomicInteger()).incrementAndGet();
            assertEquals(List.of(720, 360), req.ladder().rungs().stream().map(r -> r.height()).toList());
            l.progress(progress(0.5));
            Thread.yield();
            l.progress(progress(1));
            return result();
        };
        JobWorker a = worker("a", service);
        JobWorker b = worker("b", service);
        CountDownLatch go = new CountDownLatch(1);
        Thread ta = new Thread(() -> drain(go, a));
        Thread tb = new Thread(() -> drain(go, b));
        ta.start();
        tb.start();
        go.countDown();
        ta.join(60_000);
        tb.join(60_000);
        for (int i = 0; i < jobs.size(); i++) {
            UUID j = jobs.get(i);
            assertEquals(1, runs.get(store.media(media.get(i)).orElseThrow().packagedTitleId()).get(),
                    "job " + j + " ran once");
            JsonNode v = job(j);
            assertEquals("succeeded", v.path("state").asText());
            assertEquals(1, v.path("attempts").asInt());
            assertEquals(1.0, v.path("progress").asDouble());
        }
        for (UUID m : media) {
            assertEquals("ready", mediaState(m));
            MediaStore.MediaRow row = store.media(m).orElseThrow();
            assertEquals(List.of("video-720p", "video-360p"), row.renditions());
            assertEquals(List.of("ja"), row.audioLanguages());
            assertEquals(List.of("en"), row.subtitleLanguages());
            assertEquals(1440, row.durationSeconds());
        }
    }

    static void drain(CountDownLatch go, JobWorker w) {
        try {
            go.await();
        } catch (InterruptedException e) {
            return;
        }
        while (w.runOnce()) {
            Thread.yield();
        }
    }

    @Test
    void aDeadWorkersJobIsRetriedAfterItsLeaseExpires() {
        UUID m = media(true);
        UUID j = enqueue(m, Map.of());
        JobQueue.Claimed dead = queue.claim("dead", LEASE).orElseThrow();
        assertEquals(j, dead.id());
        assertEquals("packaging", mediaState(m));
        JobWorker b = worker("b", (req, l, cancel) -> result());
        assertFalse(b.runOnce(), "the lease is still live");
        clock.advance(LEASE.plusSeconds(1));
        assertTrue(b.runOnce());
        JsonNode v = job(j);
        assertEquals("succeeded", v.path("state").asText());
        assertEquals(2, v.path("attempts").asInt());
        assertEquals("ready", mediaState(m));
        // the dead worker wakes up: its result is refused
        assertFalse(queue.succeed(dead, "dead", result()));
        JsonNode log = http.get("/api/v1/jobs/" + j + "/log", admin).json();
        assertTrue(log.toString().contains("claimed by dead"), log.toString());
        assertTrue(log.toString().contains("claimed by b (attempt 2 of 3)"), log.toString());

        // on its last attempt, a dead worker's job fails; an admin retries it
        UUID m2 = media(true);
        UUID j2 = enqueue(m2, Map.of("maxAttempts", 1));
        queue.claim("dead", LEASE).orElseThrow();
        clock.advance(LEASE.plusSeconds(1));
        assertFalse(b.runOnce());
        assertEquals("failed", job(j2).path("state").asText());
        assertEquals("failed", mediaState(m2));
        assertEquals(409, http.post("/api/v1/jobs/" + j + "/retry", admin, Map.of()).status(), "succeeded");
        Http.Resp retry = http.post("/api/v1/jobs/" + j2 + "/retry", admin, Map.of());
        assertEquals(200, retry.status(), retry.text());
        assertEquals("queued", retry.json().path("state").asText());
        assertTrue(b.runOnce());
        assertEquals("succeeded", job(j2).path("state").asText());
    }

    @Test
    void failuresRetryUntilMaxAttempts() {
        UUID m = media(true);
        UUID j = enqueue(m, Map.of("maxAttempts", 2, "protection", "cenc"));
        JobWorker w = worker("w", (req, l, cancel) -> {
            l.log("ffmpeg: moov atom not found");
            throw new IllegalStateException("corrupt source");
        });
        assertTrue(w.runOnce());
        assertEquals("queued", job(j).path("state").asText());
        assertEquals("queued", mediaState(m));
        assertTrue(w.runOnce());
        JsonNode v = job(j);
        assertEquals("failed", v.path("state").asText());
        assertEquals("corrupt source", v.path("error").asText());
        assertEquals("cenc", v.path("protection").asText());
        assertEquals("failed", mediaState(m));
        Http.Resp log = http.get("/api/v1/jobs/" + j + "/log?limit=2", admin);
        assertEquals(2, log.json().path("items").size());
        assertTrue(log.json().path("next").isTextual());
        assertEquals(1, http.get("/api/v1/jobs?mediaId=" + m, admin).json().path("items").size());
    }

    @Test
    void aRefusedSourceFailsAtOnceWithItsReason() {
        UUID m = media(true);
        UUID j = enqueue(m, Map.of());
        AtomicInteger runs = new AtomicInteger();
        JobWorker w = worker("w", (req, l, cancel) -> {
            runs.incrementAndGet();
            throw new SourceRefusedException(req.inputs().get(0), "not a video file: FFmpeg reads it as \"piped png"
                    + " sequence\" (png_pipe), an image format");
        });
        assertTrue(w.runOnce());
        JsonNode v = job(j);
        assertEquals("failed", v.path("state").asText(), "no retry: the same file is refused again");
        assertEquals(1, v.path("attempts").asInt());
        assertEquals(3, v.path("maxAttempts").asInt());
        assertEquals(m + ".mkv: not a video file: FFmpeg reads it as \"piped png sequence\" (png_pipe), an image format",
                v.path("error").asText());
        assertEquals("failed", mediaState(m));
        assertFalse(w.runOnce(), "nothing left to run");
        assertEquals(1, runs.get());
        assertTrue(http.get("/api/v1/jobs/" + j + "/log", admin).text().contains("; not retried"));
    }

    @Test
    void jobErrorsNameTheFileAndTitleButNoFolderOfTheServer() {
        UUID m = media(true);
        UUID j = enqueue(m, Map.of("maxAttempts", 1));
        String source = store.media(m).orElseThrow().sourcePath();
        JobWorker w = worker("w", (req, l, cancel) -> {
            throw new PackagingException(req.titleId() + ": packaging failed: java.nio.file.AccessDeniedException: "
                    + req.outRoot().resolve(".tmp-" + req.titleId() + "-0a1b2c/video-360p/init.mp4") + " (reading "
                    + source + " from /srv/kino/incoming/elsewhere.mkv)");
        });
        assertTrue(w.runOnce());
        JsonNode v = job(j);
        assertEquals("failed", v.path("state").asText());
        String title = store.media(m).orElseThrow().packagedTitleId();
        assertEquals(title + ": packaging failed: AccessDeniedException: .tmp-" + title
                + "-0a1b2c/video-360p/init.mp4 (reading " + m + ".mkv from elsewhere.mkv)", v.path("error").asText());

        // the packager's own messages, already path-free, are kept as they are
        Path root = Path.of("/srv/kino/media");
        Path src = Path.of("/srv/kino/incoming/film.mkv");
        assertEquals("film.mkv: no such file", JobWorker.editorMessage(new PackagingException(src + ": no such file"),
                src, root));
        assertEquals("t1: t1 already exists; remove it first", JobWorker.editorMessage(new PackagingException(
                "t1: " + root.resolve("t1") + " already exists; remove it first"), src, root));
        assertEquals("t1: cannot publish to t1: FileSystemException: media root: Read-only file system",
                JobWorker.editorMessage(new PackagingException("t1: cannot publish to " + root.resolve("t1")
                        + ": java.nio.file.FileSystemException: " + root + ": Read-only file system"), src, root));
        assertEquals("IllegalStateException", JobWorker.editorMessage(new IllegalStateException(), src, root));
        assertEquals("no rung matches [4320p]; see https://kino.example/docs/ladder", JobWorker.editorMessage(
                new IllegalArgumentException("no rung matches [4320p];\nsee https://kino.example/docs/ladder"), src, root));
    }

    @Test
    void theJobsOfOneWorkerProcessAreFoundAndSettled() {
        UUID m1 = media(true);
        UUID j1 = enqueue(m1, Map.of());
        clock.advance(Duration.ofMillis(1)); // claims take the oldest job first
        UUID m2 = media(true);
        UUID j2 = enqueue(m2, Map.of());
        clock.advance(Duration.ofMillis(1));
        UUID m3 = media(true);
        UUID j3 = enqueue(m3, Map.of());
        JobQueue.Claimed c1 = queue.claim("4242@node#1", LEASE).orElseThrow();
        JobQueue.Claimed c2 = queue.claim("4242@node#2", LEASE).orElseThrow();
        JobQueue.Claimed c3 = queue.claim("42421@node#1", LEASE).orElseThrow();
        assertEquals(List.of(j1, j2, j3), List.of(c1.id(), c2.id(), c3.id()));

        List<JobQueue.Held> held = queue.heldBy("4242@node#");
        assertEquals(Map.of(j1, "4242@node#1", j2, "4242@node#2"), held.stream()
                .collect(java.util.stream.Collectors.toMap(h -> h.job().id(), JobQueue.Held::worker)));
        JobQueue.Held h1 = held.stream().filter(h -> h.job().id().equals(j1)).findFirst().orElseThrow();
        JobQueue.Held h2 = held.stream().filter(h -> h.job().id().equals(j2)).findFirst().orElseThrow();
        assertEquals(c1, h1.job());

        queue.fail(h1.job(), h1.worker(), "x.mkv: the packaging worker ran out of memory (limit 4g)", true);
        queue.fail(h2.job(), h2.worker(), "the packaging worker process stopped unexpectedly", false);
        assertEquals("failed", job(j1).path("state").asText());
        assertEquals("failed", mediaState(m1));
        assertEquals("queued", job(j2).path("state").asText(), "another attempt, now rather than after the lease");
        assertEquals("queued", mediaState(m2));
        assertEquals("running", job(j3).path("state").asText(), "another process's job is untouched");
        assertEquals(List.of(), queue.heldBy("4242@node#"));
        queue.fail(c3, "42421@node#1", "done", true);
        queue.cancel(j2); // nothing left queued for the other classes sharing the database
        assertTrue(JobWorkers.workerIdPrefix(ProcessHandle.current().pid()).matches("\\d+@.+#"));
    }

    @Test
    void cancelQueuedAndRunningJobs() throws Exception {
        UUID m = media(true);
        UUID j = enqueue(m, Map.of());
        assertEquals(409, http.post("/api/v1/media/" + m + "/package", admin, Map.of()).status(), "already queued");
        Http.Resp c = http.post("/api/v1/jobs/" + j + "/cancel", admin, Map.of());
        assertEquals(200, c.status());
        assertEquals("cancelled", c.json().path("state").asText());
        assertEquals("uploaded", mediaState(m));
        assertEquals(409, http.post("/api/v1/jobs/" + j + "/cancel", admin, Map.of()).status());

        UUID m2 = media(true);
        UUID j2 = enqueue(m2, Map.of());
        CountDownLatch started = new CountDownLatch(1);
        Semaphore tick = new Semaphore(0);
        JobWorker w = worker("w", (req, l, cancel) -> {
            started.countDown();
            for (int i = 0; i < 1000; i++) {
                tick.acquireUninterruptibly();
                l.progress(progress(i / 1000.0));
                if (cancel.isCancelled()) {
                    throw new PackagingCancelledException(req.titleId() + ": packaging cancelled");
                }
            }
            return result();
        });
        Thread t = new Thread(w::runOnce);
        t.start();
        assertTrue(started.await(30, TimeUnit.SECONDS));
        assertEquals("running", job(j2).path("state").asText());
        Http.Resp rc = http.post("/api/v1/jobs/" + j2 + "/cancel", admin, Map.of());
        assertEquals(200, rc.status());
        assertTrue(rc.json().path("cancelRequested").asBoolean());
        tick.release(1000);
        t.join(30_000);
        assertEquals("cancelled", job(j2).path("state").asText());
        assertEquals("uploaded", mediaState(m2));
    }

    @Test
    void errors() {
        UUID noSource = media(false);
        assertEquals(409, http.post("/api/v1/media/" + noSource + "/package", admin, Map.of()).status());
        assertEquals(404, http.post("/api/v1/media/" + UUID.randomUUID() + "/package", admin, Map.of()).status());
        assertEquals(422, http.post("/api/v1/media/" + noSource + "/package", admin, Map.of("ladder", List.of("huge"), "maxAttempts", 0)).status());
        assertEquals(403, http.post("/api/v1/media/" + noSource + "/package", user, Map.of()).status());
        assertEquals(403, http.get("/api/v1/jobs", user).status());
        assertEquals(401, http.get("/api/v1/jobs", null).status());
        assertEquals(404, http.get("/api/v1/jobs/" + UUID.randomUUID(), admin).status());
        assertEquals(404, http.get("/api/v1/jobs/" + UUID.randomUUID() + "/log", admin).status());
        assertEquals(422, http.get("/api/v1/jobs?state=weird", admin).status());
    }
}
