package dev.kino.control.bench;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.notifications.StreamTickets;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 10,000 concurrent notification streams (SSE) on one control-API node (not a unit test: its name keeps it out of
 * the normal build). 10,000 accounts follow a series, each with a stream open through a single-use ticket; a new episode
 * is published on the node (in process: all its connections are streams); the node starts the fan-out at once
 * (batches of 1,000 followers, three statements each) and the hub delivers. Figures: the node's memory per open stream (heap after GC and process RSS, before and after the
 * streams), and the time from the publish request to each stream's event (p50/p99/max, and how many arrived).
 * The client is a separate JVM ({@link SseLoadClient}): 10,000 sockets on each side do not fit one process's limit.
 *
 * <pre>
 * ./mvnw -B -o test -pl control-api -am -Dtest=NotificationStreamBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * ({@code -Dbench.streams=N} for another count.)
 */
class NotificationStreamBenchmark {
    static final int STREAMS = Integer.getInteger("bench.streams", 10_000);

    @Test
    void tenThousandStreams() throws Exception {
        KinoConfig config = SharedDatabase.config();
        SharedState state = new InProcessSharedState(TestApi.CLOCK);
        // the defaults of a real node: background rounds every second, heartbeats every 15 s, catch-up every 2 s
        ControlApi api = ControlApi.builder(config, SecretStore.resolve(config), SharedDatabase.get(), state)
                .clock(TestApi.CLOCK).mailSender(m -> { }).passwordParams(PasswordHasher.Params.FAST_INSECURE)
                .outboxInterval(Duration.ZERO).recommendInterval(Duration.ZERO).start();
        Jdbi jdbi = SharedDatabase.get().jdbi();
        try {
            TestCatalog.Item show = TestCatalog.published("Benchmark series " + UUID.randomUUID());
            String tag = UUID.randomUUID().toString().substring(0, 8);
            jdbi.useHandle(h -> h.createUpdate("""
                    insert into accounts (id, email, username, password_hash, tokens_valid_after, created_at, updated_at)
                    select gen_random_uuid(), 's' || g || '-' || :tag || '@example.org', 's' || g || '_' || :tag, 'x',
                           now(), now(), now() from generate_series(1, :n) g""")
                    .bind("tag", tag).bind("n", STREAMS).execute());
            List<UUID> accounts = jdbi.withHandle(h -> h.createQuery(
                    "select id from accounts where username like '%\\_' || :tag").bind("tag", tag).mapTo(UUID.class).list());
            assertEquals(STREAMS, accounts.size());
            jdbi.useHandle(h -> h.createUpdate("""
                    insert into follows (account_id, target_type, target_id, created_at)
                    select id, 'title', :t, now() from accounts where username like '%\\_' || :tag""")
                    .bind("t", show.titleId()).bind("tag", tag).execute());
            TestCatalog.Item episode = TestCatalog.item("episode 2", "ready");
            jdbi.useHandle(h -> h.createUpdate("update media_items set title_id = :t, episode_number = 2 where id = :m")
                    .bind("t", show.titleId()).bind("m", episode.mediaId()).execute());

            StreamTickets tickets = new StreamTickets(state.blocking(Duration.ofSeconds(5)));
            Path ticketFile = Files.createTempFile("kino-sse-tickets", ".txt");
            Path timesFile = Files.createTempFile("kino-sse-times", ".txt");
            List<String> lines = new ArrayList<>(STREAMS);
            for (UUID a : accounts) {
                lines.add(tickets.issue(a));
            }
            Files.write(ticketFile, lines);

            long heapBefore = heapAfterGc();
            long rssBefore = rss();
            Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), SseLoadClient.class.getName(),
                    "127.0.0.1", String.valueOf(api.port()), ticketFile.toString(), timesFile.toString(), "120")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            long openStart = System.nanoTime();
            String line = out.readLine();
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            if (line == null || !line.startsWith("READY")) {
                throw new AssertionError("client: " + line);
            }
            System.out.println("client: " + line);
            Thread.sleep(3_000); // let the opening replays and the first catch-up settle
            long heapAfter = heapAfterGc();
            long rssAfter = rss();
            int connected = api.notificationHub().connected();

            OutputStream go = client.getOutputStream();
            Instant t0 = Instant.now();
            // in process on this node (all its 10,000 connections are streams): what the publish route calls after
            // authorising; the fan-out is then this node's background work
            api.catalog().lifecycle().publish(episode.mediaId());
            go.write("GO\n".getBytes(StandardCharsets.US_ASCII));
            go.flush();
            String done = out.readLine();
            client.waitFor(60, TimeUnit.SECONDS);

            long start = t0.getEpochSecond() * 1_000_000L + t0.getNano() / 1_000;
            long[] ms = Files.readAllLines(timesFile).stream().mapToLong(Long::parseLong).filter(t -> t > 0)
                    .map(t -> (t - start) / 1_000).sorted().toArray();
            System.out.printf("%nSSE streams: %d opened in %.1f s (hub counts %d)%n", STREAMS, openSeconds, connected);
            System.out.printf("memory: heap after GC %d -> %d MiB (%.1f KiB per stream), RSS %d -> %d MiB (%.1f KiB per stream)%n",
                    heapBefore >> 20, heapAfter >> 20, (heapAfter - heapBefore) / 1024.0 / STREAMS,
                    rssBefore >> 20, rssAfter >> 20, (rssAfter - rssBefore) / 1024.0 / STREAMS);
            System.out.printf("publish -> event on each stream (%s): received %d of %d; p50 %d ms, p99 %d ms, max %d ms%n",
                    done, ms.length, STREAMS, pct(ms, 50), pct(ms, 99), ms.length == 0 ? -1 : ms[ms.length - 1]);
            System.out.printf("cores %d, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
            Files.deleteIfExists(ticketFile);
            Files.deleteIfExists(timesFile);
        } finally {
            api.close();
            state.close();
        }
    }

    static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** @return this process's resident set size, bytes (Linux {@code /proc/self/status}) */
    static long rss() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
