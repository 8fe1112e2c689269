package dev.kino.control.jobs;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.packaging.Protection;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.packager.Clips;
import dev.kino.packager.Packager;
import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.SubtitleClips;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingProgress;
import dev.kino.packager.job.PackagingRunner;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.transcode.TranscodeOptions;
import dev.kino.protocol.token.MediaPaths;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_SUBRIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job worker calling the real packager on media made in-process by FFmpeg: the typed result reaches the
 * catalogue (renditions, BCP 47 audio and subtitle languages, DASH), and a cancelled job's packaging run really
 * stops, publishing nothing.
 */
class PackagingJobTest {
    static final Duration LEASE = Duration.ofMinutes(1);
    static final Packager PACKAGER = new Packager(new ContentKeyWrapper(new byte[16]),
            TranscodeOptions.defaults().withPreset("ultrafast"));
    static Jdbi jdbi;
    static MutableClock clock;
    static Catalog store;
    static JobQueue queue;

    @TempDir
    Path mediaRoot;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        // two days ahead, so jobs of this class are never behind other classes' leases (JobsTest is one day ahead)
        clock = new MutableClock(Instant.now().plus(Duration.ofDays(2)));
        store = new Catalog(jdbi, clock);
        queue = new JobQueue(store.lifecycle());
    }

    static UUID media(Path source) {
        UUID title = jdbi.inTransaction(h -> store.createTitle(h, new TitleInput("movie", "Packaging " + UUID.randomUUID(),
                null, null, null, null, null, null, null, null, null)));
        UUID id = store.createMedia(title, new MediaInput(null, null, null, null, null, null, null, null, null, null,
                null, null)).id();
        store.lifecycle().replaceSource(id, source.toString());
        return id;
    }

    JobWorker worker(PackagingRunner packager) {
        return new JobWorker("packaging-test", queue, store, packager, mediaRoot,
                LadderSpec.defaults().withSegmentSeconds(2), LEASE, Duration.ZERO, clock);
    }

    List<String> published() throws Exception {
        try (Stream<Path> s = Files.list(mediaRoot)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    List<String> log(UUID job) {
        return jdbi.withHandle(h -> h.createQuery("select line from job_log where job_id = :id order by id")
                .bind("id", job).mapTo(String.class).list());
    }

    @Test
    void theTypedTracksOfARealRunReachTheCatalogue(@TempDir Path dir) throws Exception {
        // English and French audio (ISO 639-2 in the container), a Ukrainian SubRip stream
        Path source = dir.resolve("two-languages.mkv");
        SubtitleClips.mux(source, "matroska", Clips.mkvTwoLanguages(), List.of(new SubtitleClips.Sub(AV_CODEC_ID_SUBRIP,
                "ukr", null, List.of(new SubtitleClips.Event(500, 1500, "Привіт")))));
        UUID m = media(source);
        UUID job = queue.enqueue(m, new JobQueue.JobInput(List.of("240p"), "cenc", null), Protection.AES_128, null).id();
        assertTrue(worker(PACKAGER).runOnce());

        assertEquals("succeeded", queue.get(job).state(), log(job).toString());
        MediaStore.MediaRow row = store.media(m).orElseThrow();
        assertEquals("ready", row.state().wire());
        assertEquals(List.of("video-240p"), row.renditions());
        assertEquals(List.of("en", "fr"), row.audioLanguages(), "BCP 47, from the packager's typed audio tracks");
        assertEquals(List.of("uk"), row.subtitleLanguages(), "BCP 47, from the packager's typed text tracks");
        assertEquals(3, row.durationSeconds());
        assertTrue(row.hasDash(), "cenc writes an MPD");
        // the output folder is the one the packager computed: <media.root>/<packaged title id>
        assertEquals(List.of(row.packagedTitleId()), published());
        assertTrue(Files.isRegularFile(mediaRoot.resolve(row.packagedTitleId()).resolve(MediaPaths.DASH_MANIFEST)));
        List<String> lines = log(job);
        assertTrue(lines.stream().anyMatch(l -> l.equals("packaging two-languages.mkv as " + row.packagedTitleId()
                + " (cenc)")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("published " + row.packagedTitleId() + ": 3.0 s of video")
                && l.endsWith("tracks video-240p audio-eng audio-fre subs-ukr")), lines.toString());
    }

    @Test
    void cancellingARunningJobStopsItsPackagingRun() throws Exception {
        UUID m = media(Clips.mp4());
        UUID job = queue.enqueue(m, new JobQueue.JobInput(List.of("360p"), "aes-128+cenc", null), Protection.NONE,
                null).id();
        List<PackagingProgress> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        // The real packager; at its first transcoding progress an admin cancels the job (what POST
        // /jobs/{id}/cancel does). The worker's heartbeat on that same report must stop the run.
        PackagingRunner cancelledMidway = (request, listener, cancel) -> {
            try {
                return PACKAGER.run(request, new PackagingListener() {
                    @Override
                    public void progress(PackagingProgress p) {
                        seen.add(p);
                        if (p.phase() == PackagingProgress.Phase.TRANSCODING
                                && seen.stream().filter(x -> x.phase() == PackagingProgress.Phase.TRANSCODING).count() == 1) {
                            assertEquals("running", queue.cancel(job).state());
                        }
                        listener.progress(p);
                    }

                    @Override
                    public void log(String message) {
                        listener.log(message);
                    }
                }, cancel);
            } catch (RuntimeException e) {
                thrown.set(e);
                throw e;
            }
        };
        assertTrue(worker(cancelledMidway).runOnce());

        assertInstanceOf(PackagingCancelledException.class, thrown.get());
        assertEquals(PackagingProgress.Phase.CANCELLED, seen.get(seen.size() - 1).phase());
        assertTrue(seen.stream().noneMatch(p -> p.phase() == PackagingProgress.Phase.WRITING
                || p.phase() == PackagingProgress.Phase.DONE), "stopped while transcoding: " + seen);
        assertEquals("cancelled", queue.get(job).state());
        assertEquals("uploaded", store.media(m).orElseThrow().state().wire());
        assertEquals(List.of(), published(), "no title folder and no temporary folder");
        assertTrue(log(job).contains("cancelled"), log(job).toString());
    }

    @Test
    void aWorkerStoppedAtShutdownAbandonsItsRunAndLeavesTheJobToItsLease() throws Exception {
        UUID m = media(Clips.small());
        UUID job = queue.enqueue(m, new JobQueue.JobInput(null, "none", null), Protection.NONE, null).id();
        JobWorker[] w = new JobWorker[1];
        w[0] = worker((request, listener, cancel) -> PACKAGER.run(request, p -> {
            if (p.phase() == PackagingProgress.Phase.TRANSCODING) {
                w[0].stop();
            }
            listener.progress(p);
        }, cancel));
        assertTrue(w[0].runOnce());
        assertFalse(w[0].runOnce(), "a stopped worker claims nothing more");

        assertEquals("running", queue.get(job).state(), "not cancelled: another worker takes it after the lease");
        assertEquals(List.of(), published());
        clock.advance(LEASE.plusSeconds(1));
        assertTrue(worker(PACKAGER).runOnce());
        assertEquals("succeeded", queue.get(job).state(), log(job).toString());
        assertEquals(2, queue.get(job).attempts());
        assertEquals(List.of(store.media(m).orElseThrow().packagedTitleId()), published());
    }
}
