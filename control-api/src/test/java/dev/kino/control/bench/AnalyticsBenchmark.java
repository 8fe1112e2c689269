package dev.kino.control.bench;

import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.analytics.Analytics;
import dev.kino.control.analytics.PostgresEventSink;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.db.Database;
import dev.kino.control.support.TestPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Playback analytics under load (issue 16; a benchmark, not a test: its name keeps it out of the build):
 *
 * <pre>
 * ./mvnw -B -o test -pl control-api -am -Dtest=AnalyticsBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <ol>
 *   <li><b>Ingest.</b> A whole control-API node with the shipped defaults ({@code control.blockingThreads},
 *   {@code database.poolSize}, write-behind queue of {@value Analytics#QUEUE_CAPACITY} events, Netty leak detection
 *   {@code simple} as on a server) on its own embedded PostgreSQL with {@code synchronous_commit=on} (a commit is on
 *   disk when it returns; {@code -Dbench.synchronousCommit=off} for the embedded database's default). Viewers
 *   ({@code -Dbench.viewers}, default 300: a third accounts with a bearer token, the rest guests) each get a real
 *   playback session from {@code POST /api/v1/playback}; clients post what a web player posts: batches of 10–20
 *   events (heartbeats every 10 s of media time with the rendition and bitrate, a start with its startup time, stalls,
 *   rendition switches) to {@code POST /api/v1/playback/events}. Every event must be accepted (the binding rules hold:
 *   an account's events carry its token). First closed loop: {@code -Dbench.clients} (32) clients as fast as they
 *   can for {@code -Dbench.seconds} (60), each waiting out a 503's {@code Retry-After} as players do; then open
 *   loop at fixed offered rates (fractions of the best durable rate just measured, or
 *   {@code -Dbench.rates=a,b,...} events/s, {@code none} for the closed loop only) for {@code -Dbench.stepSeconds}
 *   (30) each, latency counted from the moment each batch was due (no coordinated omission). After each step the
 *   write-behind drains. Sustained is the highest step with no 503 and no growing backlog (accepted minus stored at
 *   the end of the step within half a second of the offered rate).</li>
 *   <li><b>Reports.</b> {@code -Dbench.events} (50,000,000) raw events generated straight in PostgreSQL over the
 *   90-day retention (one statement per day partition): 2,000 titles (a quarter series of 12 episodes), one viewer per
 *   500 events (80 % accounts), sessions of a start, heartbeats every 10 s (geometric length, mean 100 events), a
 *   stall in one session in five, an error in one in fifty; title popularity long-tailed (the n-th most popular item
 *   drawn with probability ~ 1/n^0.9: the most popular series gets a fifth of the sessions); plus the engagement
 *   features' rows (comments, reactions, ratings, watchlist adds, follows) and subscriptions with paid invoices,
 *   scaled with the events. Then the rollup job the workers run ({@code analytics-rollups},
 *   {@link Analytics#rollupJob}) over all of it, then each report route over HTTP for 1, 7, 30 and 90 days, by day
 *   and by week, p50/p95 over {@code -Dbench.requests} (20) requests (fewer when a case passes 60 s).</li>
 * </ol>
 * {@code -Dbench.parts=ingest} or {@code reports} runs one part. The PostgreSQL data directory is deleted at the end.
 * Prints a markdown section (machine, command, tables) to paste into {@code control-api/BENCHMARK.md}.
 */
class AnalyticsBenchmark {
    static final int SECONDS = Integer.getInteger("bench.seconds", 60);
    static final int STEP_SECONDS = Integer.getInteger("bench.stepSeconds", 30);
    static final long EVENTS = Long.getLong("bench.events", 50_000_000L);
    static final int VIEWERS = Integer.getInteger("bench.viewers", 300);
    static final int CLIENTS = Integer.getInteger("bench.clients", 32);
    static final int REQUESTS = Integer.getInteger("bench.requests", 20);
    static final String PARTS = System.getProperty("bench.parts", "ingest,reports");
    static final String SYNC = System.getProperty("bench.synchronousCommit", "on");
    static final String RATES = System.getProperty("bench.rates", "");
    /** {@code -Dbench.batch=MIN-MAX}: events per request (default 10-20; the web player's 10 s flush is 1-2). */
    static final int BATCH_MIN = Integer.parseInt(System.getProperty("bench.batch", "10-20").split("-")[0]);
    static final int BATCH_MAX = Integer.parseInt(System.getProperty("bench.batch", "10-20").split("-")[1]);
    static final double BATCH_MEAN = (BATCH_MIN + BATCH_MAX) / 2.0;
    static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
    static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36 SamsungBrowser/5.0 TV Safari/537.36"};

    /** The markdown printed at the end. */
    final StringBuilder md = new StringBuilder();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(8)).build();
    ControlApi api;
    Jdbi jdbi;
    String base;
    final AtomicLong stored = new AtomicLong();
    InProcessSharedState state;
    /** Name tag of the last {@link #catalogue}. */
    String tag;

    @Test
    void run() throws Exception {
        // The test JVMs run Netty's leak detector at "paranoid" (a stack trace per buffer access); a server runs the
        // default "simple" (one buffer in 128 sampled), which is what is measured.
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.valueOf(
                System.getProperty("bench.leakDetection", "SIMPLE").toUpperCase(Locale.ROOT)));
        Path dir = Files.createTempDirectory("kino-analytics-bench");
        long started = System.nanoTime();
        try {
            KinoConfig config = KinoConfig.from(ConfigLoader.withDefaults(Files.readString(Path.of("../config/kino.yaml")))
                    .flag("data.dir=" + dir).flag("control.host=127.0.0.1").flag("control.port=0").load());
            // durable commits unless told otherwise; generation writes tens of GB of WAL: fewer checkpoints (the
            // write path is the same). The whole temporary directory, data included, is deleted at the end.
            TestPostgres server = TestPostgres.start(dir.resolve("postgres"),
                    Map.of("synchronous_commit", SYNC, "max_wal_size", "4GB"));
            Database db = Database.connect(server, config.database().poolSize());
            try {
                jdbi = db.jdbi();
                state = new InProcessSharedState(Clock.systemUTC());
                api = ControlApi.builder(config, SecretStore.resolve(config), db, state)
                        .clock(Clock.systemUTC()).mailSender(m -> { }).passwordParams(PasswordHasher.Params.FAST_INSECURE)
                        .outboxInterval(Duration.ZERO).notificationRounds(Duration.ZERO).recommendInterval(Duration.ZERO)
                        .analyticsRounds(Duration.ZERO).start();
                base = "http://127.0.0.1:" + api.port();
                // the node counts stored events into /metrics through this hook; here they feed the backlog figure
                api.analytics().onStored(stored::addAndGet);
                header(config);
                if (PARTS.contains("ingest")) {
                    ingest();
                }
                if (PARTS.contains("reports")) {
                    reports();
                }
            } finally {
                if (api != null) {
                    api.close();
                }
                db.close();
            }
        } finally {
            deleteTree(dir);
            md.append("\nWhole run: ").append(String.format(Locale.ROOT, "%.1f min", (System.nanoTime() - started) / 60e9))
                    .append("; the PostgreSQL data directory was deleted afterwards.\n");
            System.out.println("\n----- markdown -----\n" + md + "----- end -----");
        }
    }

    void header(KinoConfig config) {
        String pgVersion = jdbi.withHandle(h -> h.createQuery("show server_version").mapTo(String.class).one());
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(cpuModel()).append("), ")
                .append(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o
                        ? (o.getTotalMemorySize() >> 30) + " GiB RAM" : "")
                .append(", Java ").append(Runtime.version()).append(", PostgreSQL ").append(pgVersion)
                .append(" (embedded, on the same cores as the API and the load clients; synchronous_commit=")
                .append(SYNC).append(", max_wal_size=4GB, otherwise defaults)").append(".\n\n")
                .append("Node: control.blockingThreads=").append(config.control().blockingThreads())
                .append(", database.poolSize=").append(config.database().poolSize())
                .append(", write-behind queue ").append(Analytics.QUEUE_CAPACITY)
                .append(" events, Netty leak detection ").append(io.netty.util.ResourceLeakDetector.getLevel())
                .append(".\n\nCommand: `./mvnw -B -o test -pl control-api -am -Dtest=AnalyticsBenchmark"
                        + " -Dsurefire.failIfNoSpecifiedTests=false")
                .append(" -Dbench.events=").append(EVENTS).append(" -Dbench.seconds=").append(SECONDS)
                .append(" -Dbench.stepSeconds=").append(STEP_SECONDS).append(" -Dbench.clients=").append(CLIENTS)
                .append(" -Dbench.viewers=").append(VIEWERS).append(" -Dbench.batch=").append(BATCH_MIN).append('-')
                .append(BATCH_MAX).append(" -Dbench.parts=").append(PARTS).append("`\n\n");
    }

    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Ingest

    /** A viewer with a playback session, and where its player is. Used by one client thread at a time. */
    static final class Viewer {
        final UUID session;
        final UUID media;
        final String token;
        final String agent;
        final int duration;
        final Random rnd;
        double position;
        boolean started;
        boolean stalled;
        int rendition = 1;

        Viewer(UUID session, UUID media, String token, String agent, int duration, long seed) {
            this.session = session;
            this.media = media;
            this.token = token;
            this.agent = agent;
            this.duration = duration;
            this.rnd = new Random(seed);
        }

        static final String[] RENDITIONS = {"360p", "720p", "1080p"};
        static final int[] KBPS = {800, 2800, 5000};

        /** @return the JSON of the next batch a web player would send, and its event count, ending now */
        synchronized Batch next(long nowMs) {
            int n = BATCH_MIN + rnd.nextInt(BATCH_MAX - BATCH_MIN + 1);
            long at = nowMs - n * 10_000L;
            StringBuilder sb = new StringBuilder(n * 260).append("{\"events\":[");
            for (int i = 0; i < n; i++) {
                String type;
                String extra = "";
                double r = rnd.nextDouble();
                if (!started) {
                    type = "start";
                    extra = ",\"startupMs\":" + (250 + rnd.nextInt(2000));
                    started = true;
                } else if (stalled) {
                    type = "stall-end";
                    stalled = false;
                } else if (position + 10 >= duration) {
                    type = "seek";
                    position = 0;
                } else if (r < 0.03) {
                    type = "stall-start";
                    stalled = true;
                } else if (r < 0.06) {
                    type = "switch";
                    rendition = rnd.nextInt(RENDITIONS.length);
                    extra = ",\"bitrate\":" + KBPS[rendition];
                } else {
                    type = "heartbeat";
                    extra = ",\"bitrate\":" + KBPS[rendition];
                    position += 10;
                }
                if (i > 0) {
                    sb.append(',');
                }
                sb.append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"type\":\"").append(type)
                        .append("\",\"mediaId\":\"").append(media).append("\",\"sessionId\":\"").append(session)
                        .append("\",\"at\":").append(at + i * 10_000L + rnd.nextInt(300)).append(",\"position\":")
                        .append(position).append(",\"rendition\":\"").append(RENDITIONS[rendition]).append('"')
                        .append(extra).append('}');
            }
            return new Batch(sb.append("]}").toString(), n);
        }
    }

    record Batch(String json, int events) {
    }

    /** What one load step saw. */
    static final class Step {
        final String name;
        final List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final List<Long> backlog = Collections.synchronizedList(new ArrayList<>());
        double seconds;
        double drainSeconds;
        long rows;
        double offered;

        Step(String name) {
            this.name = name;
        }

        List<Double> ms() {
            List<Double> out = new ArrayList<>();
            synchronized (latencies) {
                latencies.forEach(a -> {
                    for (long v : a) {
                        out.add(v / 1e6);
                    }
                });
            }
            Collections.sort(out);
            return out;
        }
    }

    void ingest() throws Exception {
        long t0 = System.nanoTime();
        List<UUID[]> media = catalogue(20, 2400, 0);
        List<Viewer> viewers = new ArrayList<>();
        Random rnd = new Random(7);
        var state = this.state.blocking(Duration.ofSeconds(5));
        for (int i = 0; i < VIEWERS; i++) {
            String token = null;
            if (i % 3 == 0) {
                String name = "v" + i + "x" + UUID.randomUUID().toString().substring(0, 6);
                state.resetRateLimit("register:ip:127.0.0.1");
                HttpResponse<String> r = post("/api/v1/auth/register", null, "{\"email\":\"" + name
                        + "@example.org\",\"username\":\"" + name + "\",\"password\":\"correct horse battery staple\"}", null);
                assertEquals(201, r.statusCode(), r.body());
                state.resetRateLimit("login:ip:127.0.0.1");
                r = post("/api/v1/auth/login", null, "{\"login\":\"" + name
                        + "\",\"password\":\"correct horse battery staple\"}", null);
                assertEquals(200, r.statusCode(), r.body());
                token = field(r.body(), "accessToken");
            }
            UUID m = media.get(i % media.size())[1];
            HttpResponse<String> g = post("/api/v1/playback", token, "{\"mediaId\":\"" + m + "\"}", null);
            assertEquals(200, g.statusCode(), g.body());
            viewers.add(new Viewer(UUID.fromString(field(g.body(), "sessionId")), m, token,
                    AGENTS[rnd.nextInt(AGENTS.length)], 2400, i));
        }
        System.out.printf("ingest: %d viewers with playback sessions in %.1f s%n", viewers.size(), (System.nanoTime() - t0) / 1e9);
        // warm-up: the JIT, the pool, the first partition
        Step warm = closedLoop("warm-up", viewers, 8, 10);
        System.out.printf("warm-up: %d events accepted%n", warm.accepted.get());

        List<Step> steps = new ArrayList<>();
        Step max = closedLoop("closed loop, " + CLIENTS + " clients", viewers, CLIENTS, SECONDS);
        steps.add(max);
        // the open-loop ladder is set by the best durable rate seen (the warm-up's too: an overloaded closed loop
        // may store less than a lighter one)
        double durable = Math.max(max.rows / (max.seconds + max.drainSeconds),
                warm.rows / (warm.seconds + warm.drainSeconds));
        List<Double> rates = new ArrayList<>();
        if (RATES.equals("none")) {
            rates.clear();
        } else if (!RATES.isBlank()) {
            for (String s : RATES.split(",")) {
                rates.add(Double.parseDouble(s.trim()));
            }
        } else {
            for (double f : new double[] {0.5, 0.75, 1.0, 1.25}) {
                rates.add(Math.max(100, Math.round(durable * f / 100) * 100.0));
            }
        }
        for (double rate : rates) {
            steps.add(openLoop(viewers, rate, STEP_SECONDS));
        }

        md.append("## Ingest: `POST /api/v1/playback/events`\n\n")
                .append(viewers.size()).append(" viewers (").append((viewers.size() + 2) / 3)
                .append(" accounts, the rest guests) with real playback sessions, batches of ").append(BATCH_MIN)
                .append("–").append(BATCH_MAX).append(" events (mean ").append(BATCH_MEAN).append(")."
                        + " Accepted: events the API acknowledged per second of the step; stored: rows counted in"
                        + " `playback_events` after the step and its drain, per second of both; backlog: accepted"
                        + " minus stored at the end of the step (before the drain). Latency: from the moment a batch"
                        + " was due (open loop) or sent (closed loop) to the whole answer.\n\n")
                .append("| step | offered ev/s | accepted ev/s | stored ev/s | drain s | backlog at end | 503s |"
                        + " p50 ms | p95 ms | p99 ms | max ms | sustained |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        double sustained = 0;
        for (Step s : steps) {
            List<Double> ms = s.ms();
            long end = s.backlog.isEmpty() ? 0 : s.backlog.get(s.backlog.size() - 1);
            boolean ok = s.offered > 0 && s.unavailable.get() == 0 && s.refused.get() == 0 && s.failed.get() == 0
                    && end <= Math.max(2_000, s.offered / 2);
            if (ok) {
                sustained = Math.max(sustained, s.accepted.get() / s.seconds);
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.1f | %,d | %,d | %.1f | %.1f | %.1f | %.1f | %s |%n",
                    s.name, s.offered > 0 ? String.format(Locale.ROOT, "%,.0f", s.offered) : "as fast as possible",
                    s.accepted.get() / s.seconds, s.rows / (s.seconds + s.drainSeconds), s.drainSeconds, end,
                    s.unavailable.get(), pct(ms, 50), pct(ms, 95), pct(ms, 99), ms.isEmpty() ? 0 : ms.get(ms.size() - 1),
                    s.offered == 0 ? "–" : ok ? "yes" : "no"));
            assertEquals(0, s.refused.get(), s.name + ": every event must be accepted (the binding rules hold)");
        }
        md.append(sustained > 0 ? String.format(Locale.ROOT, "%nSustained (highest open-loop step without 503s or a"
                + " growing backlog): **%,.0f events/s**.%n%n", sustained)
                : String.format(Locale.ROOT, "%nNo open-loop step was sustained (each had 503s or a growing backlog).%n%n"));
        System.out.println(md);
    }

    /** Closed loop: {@code clients} threads each posting its next batch as soon as the last one is answered. */
    Step closedLoop(String name, List<Viewer> viewers, int clients, int seconds) throws Exception {
        Step s = new Step(name);
        long rows0 = rows();
        long stored0 = stored.get();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sampler = sampler(s, stored0, stop);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int first = c;
            Thread t = new Thread(() -> {
                long[] buf = new long[1 << 16];
                int n = 0;
                for (int i = first; !stop.get(); i += clients) {
                    Viewer v = viewers.get(i % viewers.size());
                    long st = System.nanoTime();
                    long retryAfter = send(s, v, v.next(System.currentTimeMillis()));
                    if (n == buf.length) {
                        s.latencies.add(buf);
                        buf = new long[buf.length];
                        n = 0;
                    }
                    buf[n++] = System.nanoTime() - st;
                    if (retryAfter > 0) {
                        // as a player does (the web player keeps a refused batch for its next flush, 10 s later):
                        // a client resending at once turns a full queue into a storm of requests that takes the
                        // CPU from the writer draining it
                        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(retryAfter));
                    }
                }
                s.latencies.add(java.util.Arrays.copyOf(buf, n));
            }, "bench-client-" + c);
            t.start();
            threads.add(t);
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        finish(s, start, rows0, stored0, sampler);
        return s;
    }

    /** Open loop: a batch due every 1/(rate/mean batch) s whatever the answers, sent by a pool of 256 client threads. */
    Step openLoop(List<Viewer> viewers, double rate, int seconds) throws Exception {
        Step s = new Step(String.format(Locale.ROOT, "open loop, %,.0f ev/s", rate));
        s.offered = rate;
        long rows0 = rows();
        long stored0 = stored.get();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sampler = sampler(s, stored0, stop);
        ExecutorService pool = Executors.newFixedThreadPool(256);
        long period = Math.round(1e9 / (rate / BATCH_MEAN));
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<long[]> lat = new ArrayList<>();
        for (long i = 0; ; i++) {
            long due = start + i * period;
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Viewer v = viewers.get((int) (i % viewers.size()));
            pool.execute(() -> {
                send(s, v, v.next(System.currentTimeMillis()));
                s.latencies.add(new long[] {System.nanoTime() - due});
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES));
        stop.set(true);
        finish(s, start, rows0, stored0, sampler);
        return s;
    }

    Thread sampler(Step s, long stored0, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                s.backlog.add(s.accepted.get() - (stored.get() - stored0));
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-backlog");
        t.start();
        return t;
    }

    void finish(Step s, long start, long rows0, long stored0, Thread sampler) throws Exception {
        s.seconds = (System.nanoTime() - start) / 1e9;
        sampler.join();
        s.backlog.add(s.accepted.get() - (stored.get() - stored0));
        long drain = System.nanoTime();
        while (stored.get() - stored0 < s.accepted.get() && System.nanoTime() - drain < 600e9) {
            Thread.sleep(20);
        }
        s.drainSeconds = (System.nanoTime() - drain) / 1e9;
        s.rows = rows() - rows0;
        List<Double> ms = s.ms();
        System.out.printf(Locale.ROOT, "BENCH %-32s %.1f s: sent %,d accepted %,d (%,.0f/s) rows %,d (%,.0f/s incl. %.1f s drain)"
                        + " 503s %d refused %d failed %d backlog %s p50 %.1f p99 %.1f max %.1f ms%n",
                s.name, s.seconds, s.sent.get(), s.accepted.get(), s.accepted.get() / s.seconds, s.rows,
                s.rows / (s.seconds + s.drainSeconds), s.drainSeconds, s.unavailable.get(), s.refused.get(),
                s.failed.get(), s.backlog, pct(ms, 50), pct(ms, 99), ms.isEmpty() ? 0 : ms.get(ms.size() - 1));
    }

    /** @return the 503's {@code Retry-After} in seconds, else 0 */
    long send(Step s, Viewer v, Batch b) {
        s.sent.addAndGet(b.events());
        try {
            HttpResponse<String> r = post("/api/v1/playback/events", v.token, b.json(), v.agent);
            if (r.statusCode() == 200) {
                Matcher m = ACCEPTED.matcher(r.body());
                int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
                s.accepted.addAndGet(n);
                if (n != b.events()) {
                    s.refused.addAndGet(b.events() - n);
                    if (s.refused.get() < 50) {
                        System.out.println("refused: " + r.body());
                    }
                }
            } else if (r.statusCode() == 503) {
                s.unavailable.incrementAndGet();
                return r.headers().firstValueAsLong("Retry-After").orElse(1);
            } else {
                s.failed.incrementAndGet();
                System.out.println("failed: " + r.statusCode() + " " + r.body());
            }
        } catch (Exception e) {
            s.failed.incrementAndGet();
            System.out.println("failed: " + e);
        }
        return 0;
    }

    HttpResponse<String> post(String path, String token, String json, String agent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (agent != null) {
            b.header("User-Agent", agent);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10)).GET()
                .header("Authorization", "Bearer " + token);
        if (accept != null) {
            b.header("Accept", accept);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    long rows() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from playback_events").mapTo(Long.class).one());
    }

    /**
     * Titles and published free media items straight in SQL.
     *
     * @return {title id, media id} per item, the most popular first
     */
    List<UUID[]> catalogue(int titles, int duration, int series) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        this.tag = tag;
        jdbi.useHandle(h -> {
            h.createUpdate("""
                    insert into titles (id, kind, original_title, sort_title, year, created_at, updated_at)
                    select gen_random_uuid(), case when g <= :series then 'series' else 'movie' end,
                           'Bench ' || :tag || ' ' || g, 'bench ' || :tag || ' ' || lpad(g::text, 6, '0'), 2000 + g % 25,
                           now() - interval '1 year', now() - interval '1 year'
                      from generate_series(1, :n) g""").bind("n", titles).bind("series", series).bind("tag", tag).execute();
            h.createUpdate("""
                    insert into media_items (id, title_id, episode_number, name, packaged_title_id, renditions,
                                             audio_languages, duration_seconds, has_dash, protection, access, state,
                                             published_at, created_at, updated_at)
                    select gen_random_uuid(), t.id, case when t.kind = 'series' then e end,
                           case when t.kind = 'series' then 'Episode ' || e else 'Feature' end,
                           'p-' || gen_random_uuid(), '{360p,720p,1080p}', '{en}',
                           case when t.kind = 'series' then :d / 2 else :d end, true, 'cenc', 'free', 'published',
                           now() - interval '1 year', now() - interval '1 year', now() - interval '1 year'
                      from titles t cross join generate_series(1, 12) e
                     where t.original_title like 'Bench ' || :tag || ' %' and (t.kind = 'series' or e = 1)""")
                    .bind("tag", tag).bind("d", duration).execute();
        });
        return jdbi.withHandle(h -> h.createQuery("""
                        select t.id as t, m.id as m from titles t join media_items m on m.title_id = t.id
                         where t.original_title like 'Bench ' || :tag || ' %' order by t.sort_title, m.episode_number""")
                .bind("tag", tag).map((rs, ctx) -> new UUID[] {rs.getObject("t", UUID.class), rs.getObject("m", UUID.class)})
                .list());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reports

    void reports() throws Exception {
        // a clean slate: the ingest part's rows would otherwise be rolled up too
        jdbi.useHandle(h -> h.execute("truncate playback_events, analytics_sessions, analytics_hourly,"
                + " analytics_qoe_hourly, analytics_daily_viewers"));
        long viewers = Math.max(2_000, EVENTS / 500);
        double scale = EVENTS / 50_000_000.0;
        md.append("## Reports over ").append(String.format(Locale.ROOT, "%,d", EVENTS)).append(" generated events\n\n");
        List<String[]> gen = new ArrayList<>();

        long t = System.nanoTime();
        List<UUID[]> media = catalogue(2_000, 5_400, 500);
        gen.add(new String[] {"catalogue: 2,000 titles, " + media.size() + " media items", secs(t)});

        t = System.nanoTime();
        jdbi.useHandle(h -> h.createUpdate("""
                insert into accounts (id, email, username, password_hash, email_verified_at, tokens_valid_after,
                                      created_at, updated_at)
                select gen_random_uuid(), 'bench' || g || '@example.org', 'bench' || g, 'x', now(), now(),
                       now() - make_interval(secs => random() * 120 * 86400), now()
                  from generate_series(1, :n) g""").bind("n", viewers).execute());
        gen.add(new String[] {String.format(Locale.ROOT, "%,d accounts (signed up over 120 days)", viewers), secs(t)});

        // the generation's plan: media items by popularity rank, accounts by number
        t = System.nanoTime();
        jdbi.useHandle(h -> {
            h.execute("create unlogged table bench_media as select row_number() over (order by t.sort_title, m.episode_number) - 1 as r,"
                    + " m.id, m.title_id, m.duration_seconds from media_items m join titles t on t.id = m.title_id"
                    + " where t.original_title like 'Bench " + tag + " %'");
            h.execute("create unique index on bench_media (r)");
            h.execute("create unlogged table bench_accounts as select row_number() over (order by id) - 1 as r, id"
                    + " from accounts where username like 'bench%'");
            h.execute("create unique index on bench_accounts (r)");
            h.execute("analyze bench_media");
            h.execute("analyze bench_accounts");
        });
        int items = jdbi.withHandle(h -> h.createQuery("select count(*) from bench_media").mapTo(Integer.class).one());
        long accounts = jdbi.withHandle(h -> h.createQuery("select count(*) from bench_accounts").mapTo(Long.class).one());
        long sessions = EVENTS / 100;
        // sessions: popularity ~ 1/rank^0.9 (inverse transform of a continuous power law on [1, items + 1]: the top
        // 12 items, the most popular series, get a fifth of the sessions, the bottom half 12 %), start over
        // the 88 days before the last 3 hours, length geometric with mean 100 events (capped by the duration)
        jdbi.useHandle(h -> h.createUpdate("""
                create unlogged table bench_sessions as
                select gen_random_uuid() as session_id, m.id as media_id, m.title_id, m.duration_seconds,
                       case when random() < 0.8 then (select a.id from bench_accounts a where a.r = x.acc) end as account_id,
                       x.started, x.n, case when random() < 0.2 then 1 + floor(random() * (x.n - 2))::int end as stall_k,
                       random() < 0.02 as err, floor(random() * 5)::int as device, floor(random() * 3)::int as rendition
                  from (select floor(power(1 + random() * (power(:items + 1, 0.1) - 1), 10))::int - 1 as rank,
                               floor(random() * :accounts)::bigint as acc,
                               now() - interval '3 hours' - make_interval(secs => random() * 88 * 86400) as started,
                               greatest(3, least(1 + ceil(ln(1 - random()) / ln(1 - 1 / 99.0))::int, 540)) as n
                          from generate_series(1, :s)) x
                  join bench_media m on m.r = least(x.rank, :items - 1)""")
                .bind("items", items).bind("accounts", accounts).bind("s", sessions).execute());
        jdbi.useHandle(h -> h.execute("""
                insert into analytics_sessions (session_id, account_id, viewer_key, media_id, title_id, duration_seconds,
                                                started_at, expires_at, client_net, device_class, last_event_at,
                                                last_received_at, events_version)
                select session_id, account_id, coalesce(account_id, md5(session_id::text)::uuid), media_id, title_id,
                       duration_seconds, started, started + interval '6 hours',
                       '198.51.' || (hashtext(session_id::text) & 255) || '.0/24',
                       (array['desktop', 'mobile', 'tablet', 'tv', 'other'])[device + 1],
                       started + make_interval(secs => (n - 1) * 10), started + make_interval(secs => (n - 1) * 10 + 1), 1
                  from bench_sessions"""));
        jdbi.useHandle(h -> {
            h.execute("create index on bench_sessions (started)");
            h.execute("analyze bench_sessions");
        });
        long events = jdbi.withHandle(h -> h.createQuery("select sum(n) from bench_sessions").mapTo(Long.class).one());
        gen.add(new String[] {String.format(Locale.ROOT, "%,d playback sessions (%,d items, %,d events planned)",
                sessions, items, events), secs(t)});

        // the day partitions, as the writer and the rollup job make them
        new PostgresEventSink(jdbi, Clock.systemUTC()).prepare(Instant.now().minus(Duration.ofDays(89)),
                Instant.now().plus(Duration.ofDays(1)));
        t = System.nanoTime();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long inserted = 0;
        for (LocalDate d = today.minusDays(89); !d.isAfter(today); d = d.plusDays(1)) {
            LocalDate day = d;
            inserted += jdbi.withHandle(h -> h.createUpdate("""
                    insert into playback_events (event_id, at, session_id, media_id, type, position, rendition, detail,
                                                 received_at)
                    select gen_random_uuid(), e.at, s.session_id, s.media_id, e.type, e.position,
                           (array['360p', '720p', '1080p'])[s.rendition + 1],
                           case e.type when 'start' then jsonb_build_object('startupMs', 300 + (hashtext(s.session_id::text) & 2047))
                                       when 'heartbeat' then jsonb_build_object('bitrate', (array[800, 2800, 5000])[s.rendition + 1])
                                       when 'error' then jsonb_build_object('message', 'MEDIA_ERR_DECODE') end,
                           e.at + interval '2 seconds'
                      from bench_sessions s
                     cross join lateral (
                        select s.started + make_interval(secs => k * 10 + case when k = s.stall_k + 1 then -6 else 0 end) as at,
                               case when k = 0 then 'start'
                                    when k = s.n - 1 then case when s.err then 'error' else 'end' end
                                    when k = s.stall_k then 'stall-start'
                                    when k = s.stall_k + 1 then 'stall-end'
                                    else 'heartbeat' end as type,
                               least(k * 10, s.duration_seconds)::double precision as position
                          from generate_series(0, s.n - 1) k) e
                     where s.started >= :f and s.started < :t""")
                    .bind("f", java.sql.Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant()))
                    .bind("t", java.sql.Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))
                    .execute());
            if (day.getDayOfMonth() % 10 == 0) {
                System.out.printf(Locale.ROOT, "generated up to %s: %,d events, %.0f s%n", day, inserted,
                        (System.nanoTime() - t) / 1e9);
            }
        }
        gen.add(new String[] {String.format(Locale.ROOT, "%,d raw events over 90 day partitions (%,.0f rows/s)",
                inserted, inserted / ((System.nanoTime() - t) / 1e9)), secs(t)});

        t = System.nanoTime();
        features(scale, today);
        gen.add(new String[] {"engagement rows and subscriptions (see the sizes)", secs(t)});
        t = System.nanoTime();
        jdbi.useHandle(h -> h.execute("analyze"));
        gen.add(new String[] {"analyze", secs(t)});

        // the workers' periodic job, as JobWorkers runs it: one call is one round over every dirty session
        t = System.nanoTime();
        Analytics.rollupJob(jdbi, Duration.ofDays(90), Clock.systemUTC()).run();
        double rollup = (System.nanoTime() - t) / 1e9;
        long dirty = jdbi.withHandle(h -> h.createQuery(
                "select count(*) from analytics_sessions where events_version > summarized_version").mapTo(Long.class).one());
        assertEquals(0, dirty, "the rollup summarised every session");
        gen.add(new String[] {String.format(Locale.ROOT, "rollup job (`analytics-rollups`) over all of it: %,d sessions,"
                + " %,.0f sessions/s, %,.0f events/s", sessions, sessions / rollup, inserted / rollup), secs(t)});
        // what autovacuum would have done by the time anyone reads a report (the raw events are not read by them)
        t = System.nanoTime();
        jdbi.useHandle(h -> h.execute("vacuum analyze analytics_sessions, analytics_hourly, analytics_qoe_hourly,"
                + " analytics_daily_viewers, accounts, comments, reactions, ratings, watchlist_entries, follows,"
                + " subscriptions, invoices"));
        gen.add(new String[] {"vacuum analyze of the rollups and the features' tables", secs(t)});

        md.append("| step | time |\n|---|---:|\n");
        gen.forEach(g -> md.append("| ").append(g[0]).append(" | ").append(g[1]).append(" |\n"));
        md.append('\n');
        sizes();
        System.out.println(md);

        String admin = admin();
        UUID top = media.get(0)[0];
        UUID tail = media.get(media.size() - 1)[0];
        md.append("Report routes over HTTP (admin token; JSON unless CSV), p50/p95 in ms over n requests after one"
                + " unmeasured request:\n\n| route | range | interval | n | p50 ms | p95 ms | bytes |\n"
                + "|---|---|---|---:|---:|---:|---:|\n");
        for (int days : new int[] {1, 7, 30, 90}) {
            for (String iv : days == 1 ? new String[] {"day"} : new String[] {"day", "week"}) {
                String q = "?from=" + today.minusDays(days - 1) + "&to=" + today + "&interval=" + iv;
                report("overview", "/api/v1/admin/analytics/overview" + q, days, iv, admin, null);
                report("titles/{id} (most viewed)", "/api/v1/admin/analytics/titles/" + top + q, days, iv, admin, null);
                report("titles/{id} (least viewed)", "/api/v1/admin/analytics/titles/" + tail + q, days, iv, admin, null);
                report("qoe", "/api/v1/admin/analytics/qoe" + q, days, iv, admin, null);
                report("qoe?titleId (most viewed)", "/api/v1/admin/analytics/qoe" + q + "&titleId=" + top, days, iv, admin, null);
                report("engagement", "/api/v1/admin/analytics/engagement" + q, days, iv, admin, null);
                report("subscriptions", "/api/v1/admin/analytics/subscriptions" + q, days, iv, admin, null);
            }
        }
        String q = "?from=" + today.minusDays(29) + "&to=" + today + "&interval=day";
        report("overview CSV (titles)", "/api/v1/admin/analytics/overview" + q + "&table=titles", 30, "day", admin, "text/csv");
        report("qoe CSV (series)", "/api/v1/admin/analytics/qoe" + q, 30, "day", admin, "text/csv");
        report("engagement CSV (cohorts)", "/api/v1/admin/analytics/engagement" + q + "&table=cohorts", 30, "day", admin,
                "text/csv");
        md.append('\n');
    }

    void report(String name, String path, int days, String iv, String token, String accept) throws Exception {
        HttpResponse<String> first = get(path, token, accept);
        assertEquals(200, first.statusCode(), path + ": " + first.body());
        List<Double> ms = new ArrayList<>();
        long budget = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < REQUESTS && (ms.size() < 3 || System.nanoTime() < budget); i++) {
            long s = System.nanoTime();
            HttpResponse<String> r = get(path, token, accept);
            ms.add((System.nanoTime() - s) / 1e6);
            assertEquals(200, r.statusCode(), r.body());
        }
        Collections.sort(ms);
        String row = String.format(Locale.ROOT, "| %s | %d day%s | %s | %d | %.1f | %.1f | %,d |", name, days,
                days == 1 ? "" : "s", iv, ms.size(), pct(ms, 50), pct(ms, 95), first.body().length());
        System.out.println("BENCH " + row);
        md.append(row).append('\n');
    }

    String admin() throws Exception {
        var state = this.state.blocking(Duration.ofSeconds(5));
        String name = "benchadmin" + UUID.randomUUID().toString().substring(0, 6);
        state.resetRateLimit("register:ip:127.0.0.1");
        HttpResponse<String> r = post("/api/v1/auth/register", null, "{\"email\":\"" + name + "@example.org\",\"username\":\""
                + name + "\",\"password\":\"correct horse battery staple\"}", null);
        assertEquals(201, r.statusCode(), r.body());
        jdbi.useHandle(h -> h.createUpdate("insert into account_roles (account_id, role_name) select id, 'admin'"
                + " from accounts where username = :u on conflict do nothing").bind("u", name).execute());
        state.resetRateLimit("login:ip:127.0.0.1");
        r = post("/api/v1/auth/login", null, "{\"login\":\"" + name + "\",\"password\":\"correct horse battery staple\"}", null);
        assertEquals(200, r.statusCode(), r.body());
        return field(r.body(), "accessToken");
    }

    /** The engagement features' rows and subscriptions, in proportion to the events (50 M: 0.5 M comments, ...). */
    void features(double scale, LocalDate today) {
        long comments = Math.max(5_000, Math.round(500_000 * scale));
        long reactions = Math.max(10_000, Math.round(1_000_000 * scale));
        long ratings = Math.max(2_000, Math.round(200_000 * scale));
        long watchlist = Math.max(3_000, Math.round(300_000 * scale));
        long follows = Math.max(1_000, Math.round(100_000 * scale));
        jdbi.useHandle(h -> {
            String when = "now() - make_interval(secs => random() * 100 * 86400)";
            h.createUpdate("insert into comments (id, title_id, author_id, body, hot, created_at)"
                    + " select gen_random_uuid(), m.title_id, a.id, 'Comment ' || x.g, 0, " + when
                    + " from (select g, floor(power(random(), 10) * (select count(*) from bench_media))::int as mr"
                    + "         from generate_series(1, :n) g) x"
                    + " join bench_media m on m.r = x.mr"
                    + " join bench_accounts a on a.r = x.g % (select count(*) from bench_accounts)")
                    .bind("n", comments).execute();
            // distinct (account, title) pairs: account g mod accounts, title by g div accounts
            h.createUpdate("insert into reactions (target_type, target_id, account_id, value, created_at, updated_at)"
                    + " select 'title', m.title_id, a.id, case when random() < 0.8 then 1 else -1 end, " + when + ", now()"
                    + " from generate_series(0, :n - 1) g"
                    + " join bench_accounts a on a.r = g % (select count(*) from bench_accounts)"
                    + " join bench_media m on m.r = (g / (select count(*) from bench_accounts))::int * 7 % (select count(*) from bench_media)"
                    + " on conflict do nothing").bind("n", reactions).execute();
            h.createUpdate("insert into ratings (title_id, account_id, score, created_at, updated_at)"
                    + " select distinct on (m.title_id, a.id) m.title_id, a.id, 1 + floor(random() * 10)::int, " + when + ", now()"
                    + " from generate_series(0, :n - 1) g"
                    + " join bench_accounts a on a.r = g % (select count(*) from bench_accounts)"
                    + " join bench_media m on m.r = (g / (select count(*) from bench_accounts))::int * 11 % (select count(*) from bench_media)"
                    + " on conflict do nothing").bind("n", ratings).execute();
            h.createUpdate("insert into watchlist_entries (account_id, title_id, added_at)"
                    + " select distinct on (a.id, m.title_id) a.id, m.title_id, " + when
                    + " from generate_series(0, :n - 1) g"
                    + " join bench_accounts a on a.r = g % (select count(*) from bench_accounts)"
                    + " join bench_media m on m.r = (g / (select count(*) from bench_accounts))::int * 13 % (select count(*) from bench_media)"
                    + " on conflict do nothing").bind("n", watchlist).execute();
            h.createUpdate("insert into follows (account_id, target_type, target_id, created_at)"
                    + " select distinct on (a.id, m.title_id) a.id, 'title', m.title_id, " + when
                    + " from generate_series(0, :n - 1) g"
                    + " join bench_accounts a on a.r = g % (select count(*) from bench_accounts)"
                    + " join bench_media m on m.r = (g / (select count(*) from bench_accounts))::int * 17 % (select count(*) from bench_media)"
                    + " on conflict do nothing").bind("n", follows).execute();
            h.execute("""
                    insert into plans (id, name, concurrent_streams, max_resolution, price_minor, currency, created_at, updated_at)
                    values (gen_random_uuid(), 'Bench basic', 1, 720, 599, 'EUR', now(), now()),
                           (gen_random_uuid(), 'Bench standard', 2, 1080, 999, 'EUR', now(), now()),
                           (gen_random_uuid(), 'Bench premium', 4, 2160, 1499, 'EUR', now(), now())""");
            // a third of the accounts subscribe; each pays once a month since it subscribed
            h.execute("""
                    insert into subscriptions (account_id, plan_id, status, current_period_end, created_at, updated_at)
                    select a.id, (select id from plans where name like 'Bench %' order by price_minor offset (a.r % 3) limit 1),
                           (array['active', 'active', 'active', 'active', 'past_due', 'cancelled', 'expired'])[1 + a.r % 7],
                           now() + interval '20 days', now() - make_interval(days => (a.r % 100)::int), now()
                      from bench_accounts a where a.r % 3 = 0""");
            h.execute("""
                    insert into invoices (id, account_id, provider, provider_ref, status, currency, amount_due_minor,
                                          amount_paid_minor, issued_at, paid_at, provider_event_at, updated_at)
                    select gen_random_uuid(), s.account_id, 'bench', gen_random_uuid()::text, 'paid', 'EUR', p.price_minor,
                           p.price_minor, s.created_at + make_interval(days => k * 30), s.created_at + make_interval(days => k * 30),
                           s.created_at + make_interval(days => k * 30), now()
                      from subscriptions s join plans p on p.id = s.plan_id
                     cross join generate_series(0, 3) k
                     where p.name like 'Bench %' and s.created_at + make_interval(days => k * 30) < now()""");
        });
    }

    void sizes() {
        md.append("Table sizes (`pg_total_relation_size`, indexes included; `playback_events` summed over its partitions):\n\n"
                + "| table | rows | size |\n|---|---:|---:|\n");
        for (String table : List.of("playback_events", "analytics_sessions", "analytics_hourly", "analytics_qoe_hourly",
                "analytics_daily_viewers", "accounts", "comments", "reactions", "ratings", "watchlist_entries", "follows",
                "subscriptions", "invoices")) {
            Map<String, Object> r = jdbi.withHandle(h -> h.createQuery("select (select count(*) from " + table + ") as n,"
                    + " coalesce((select sum(pg_total_relation_size(relid)) from pg_partition_tree('" + table + "')),"
                    + " pg_total_relation_size('" + table + "')) as b")
                    .mapToMap().one());
            long bytes = ((Number) r.get("b")).longValue();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s |%n", table, ((Number) r.get("n")).longValue(),
                    bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                            : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20))));
        }
        md.append('\n');
    }

    static String secs(long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        return s >= 120 ? String.format(Locale.ROOT, "%.1f min", s / 60) : String.format(Locale.ROOT, "%.1f s", s);
    }

    static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.out.println("cannot delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            System.out.println("cannot delete " + dir + ": " + e);
        }
    }
}
