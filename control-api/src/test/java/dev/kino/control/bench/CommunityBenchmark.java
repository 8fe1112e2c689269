package dev.kino.control.bench;

import dev.kino.control.support.Http;
import dev.kino.control.support.KeepAliveClient;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The community's hot reads and writes at the API, on the real PostgreSQL (a benchmark, not a test: its name keeps it
 * out of the build; run it by name):
 *
 * <pre>
 * ./mvnw -B -q -pl control-api -am test -Dtest=CommunityBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <ul>
 *   <li>the first page of a title with 100,000 comments, newest and top;</li>
 *   <li>the first and a deep page of a forum thread with 10,000 posts;</li>
 *   <li>100 accounts voting on one comment: one at a time, arriving at random moments within one second, and all
 *   released at the same instant; each request timed, then the count checked exact.</li>
 * </ul>
 * Prints p50/p95/p99 in milliseconds per case (time to the whole answer, from a client on the same machine). The
 * vote cases use {@link KeepAliveClient} (a connection per voter opened before the clock, as {@code wrk} measures);
 * {@code -Dbench.client=httpclient} sends them with Java's HttpClient instead, as the figures before 2026-12-05
 * 22:30 UTC were taken (its per-request CPU and connection set-up inside the measured time).
 *
 * <p>The API runs with a real node's settings, not the tests': 16 blocking threads ({@code config/kino.yaml}; the
 * tests use 4) and Netty's leak detector at {@code simple} (the test JVMs run it at {@code paranoid}).
 * {@code -Dbench.blockingThreads=4 -Dbench.leakDetection=PARANOID} measures as the tests run.
 */
class CommunityBenchmark {
    static final int COMMENTS = 100_000;
    static final int POSTS = 10_000;
    static final int ROUNDS = 300;
    static final int VOTERS = 100;
    /** {@code -Dbench.votesOnly=true}: only the reaction cases (while working on the vote path). */
    static final boolean VOTES_ONLY = Boolean.getBoolean("bench.votesOnly");
    /** {@code -Dbench.bursts=N}: N more same-instant bursts, for a steadier p95 of the hardest case. */
    static final int BURSTS = Integer.getInteger("bench.bursts", 0);

    /**
     * {@code -Dbench.warmBursts=N}: N same-instant bursts on another comment before the measured cases, besides the
     * 200 votes one at a time (default 0). A node that has served for a while has its vote path compiled; a burst
     * after only sequential warm-up votes shares the two cores with the JIT compiling the concurrent path
     * ({@code -Dbench.profile.light=true} prints the compilation time per burst).
     */
    static final int WARM_BURSTS = Integer.getInteger("bench.warmBursts", 0);

    /**
     * {@code -Dbench.blockingThreads=N}: the API's blocking threads; default 16, a real node's default
     * ({@code config/kino.yaml}; the tests run with 4).
     */
    static final int BLOCKING_THREADS = Integer.getInteger("bench.blockingThreads", 16);

    /**
     * {@code -Dbench.client=httpclient}: the vote cases sent with Java's {@link java.net.http.HttpClient} (as before
     * 2026-12-05 22:30: one shared client, connections opened as needed, inside the measured time). Default
     * {@code keepalive}: {@link KeepAliveClient}, one HTTP/1.1 keep-alive connection per voter opened before the
     * clock, prepared request bytes, time from the first byte written to the last byte read (as {@code wrk}).
     */
    static final String CLIENT = System.getProperty("bench.client", "keepalive").toLowerCase(java.util.Locale.ROOT);

    static {
        // The test JVMs run Netty's leak detector at "paranoid" (a stack trace recorded per buffer access: the tests
        // catch leaks); a server runs it at the default "simple" (one buffer in 128 sampled), which is what is
        // measured unless -Dbench.leakDetection says otherwise (PARANOID: as the test suite runs).
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.valueOf(
                System.getProperty("bench.leakDetection", "SIMPLE").toUpperCase(java.util.Locale.ROOT)));
    }

    final TestApi.Node api = TestApi.node("control.blockingThreads=" + BLOCKING_THREADS);
    final Http http = api.http();

    @Test
    void run() throws Exception {
        if (!CLIENT.equals("keepalive") && !CLIENT.equals("httpclient")) {
            throw new IllegalArgumentException("-Dbench.client: keepalive or httpclient, not " + CLIENT);
        }
        System.out.printf("settings: control.blockingThreads=%d, Netty leak detection %s, vote client %s%n",
                BLOCKING_THREADS, io.netty.util.ResourceLeakDetector.getLevel(), CLIENT.equals("keepalive")
                        ? "keepalive (KeepAliveClient: a connection per voter opened before the clock)"
                        : "httpclient (java.net.http.HttpClient, shared, connections opened when needed)");
        TestCatalog.Item t = TestCatalog.published("Benchmark");
        TestApi.User author = api.newUser();
        var jdbi = SharedDatabase.get().jdbi();
        long t0 = System.nanoTime();
        jdbi.useHandle(h -> h.createUpdate("""
                insert into comments (id, title_id, author_id, body, state, score, hot, created_at)
                select gen_random_uuid(), :t, :a, 'Comment number ' || g, 'visible', (g % 50) - 10,
                       sign((g % 50) - 10) * log(greatest(abs((g % 50) - 10), 1)) + (extract(epoch from now()) - 1700000000 - g) / 45000.0,
                       now() - make_interval(secs => g)
                  from generate_series(1, :n) g""").bind("t", t.titleId()).bind("a", author.id()).bind("n", COMMENTS)
                .execute());
        jdbi.useHandle(h -> h.createUpdate("insert into comment_counts (target_type, target_id, count) values ('title', :t, :n)")
                .bind("t", t.titleId()).bind("n", COMMENTS).execute());
        jdbi.useHandle(h -> h.execute("analyze comments"));
        System.out.printf("seeded %,d comments in %.1f s%n", COMMENTS, (System.nanoTime() - t0) / 1e9);

        String thread = http.get("/api/v1/titles/" + t.titleId() + "/thread", null).json().get("id").asText();
        jdbi.useHandle(h -> h.createUpdate("""
                insert into forum_posts (id, thread_id, seq, author_id, body, state, created_at)
                select gen_random_uuid(), cast(:th as uuid), g, :a, 'Post number ' || g, 'visible', now() - make_interval(secs => :n - g)
                  from generate_series(1, :n) g""").bind("th", thread).bind("a", author.id()).bind("n", POSTS).execute());
        jdbi.useHandle(h -> h.createUpdate("update forum_threads set post_count = :n, last_seq = :n where id = cast(:th as uuid)")
                .bind("n", POSTS).bind("th", thread).execute());
        jdbi.useHandle(h -> h.execute("analyze forum_posts"));

        String user = author.accessToken();
        if (!VOTES_ONLY) {
            report("title comments, first page, newest (100,000 comments)",
                    time(() -> http.get("/api/v1/titles/" + t.titleId() + "/comments?limit=20", user)));
            report("title comments, first page, top (100,000 comments)",
                    time(() -> http.get("/api/v1/titles/" + t.titleId() + "/comments?sort=top&limit=20", user)));
            report("forum thread, first page (10,000 posts)",
                    time(() -> http.get("/api/v1/forum/threads/" + thread + "/posts?limit=20", user)));
            String deep = http.get("/api/v1/forum/threads/" + thread + "/posts?limit=100", user).json().get("next").asText();
            report("forum thread, page after post 100 (10,000 posts)",
                    time(() -> http.get("/api/v1/forum/threads/" + thread + "/posts?limit=20&cursor=" + deep, user)));
        }

        // voters on one comment: warm the vote path up on another comment, then one at a time, 100 arriving within
        // one second (random moments, as 100 people online at once vote), and 100 released at the same instant
        List<String> comments = new ArrayList<>();
        http.get("/api/v1/titles/" + t.titleId() + "/comments?limit=5", user).json().get("items")
                .forEach(c -> comments.add(c.get("id").asText()));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < VOTERS; i++) {
            tokens.add(api.newUser().accessToken());
        }
        BurstProfile.prepare(); // the Flight Recorder's start-up (when profiling) before the warm-up, not in a burst
        votes(comments.get(4), tokens, "like", -1);
        votes(comments.get(4), tokens, "dislike", -1);
        for (int i = 0; i < WARM_BURSTS; i++) {
            votes(comments.get(4), tokens, i % 2 == 0 ? "like" : "dislike", 0);
        }
        report("one voter at a time on one comment", votes(comments.get(0), tokens, "like", -1));
        for (String value : List.of("like", "dislike")) {
            report(VOTERS + " voters on one comment within 1 s, " + value, votes(comments.get(1), tokens, value, 1000));
            String name = VOTERS + " voters on one comment at the same instant, " + value;
            report(name, votes(comments.get(2), tokens, value, 0, () -> BurstProfile.start(name, jdbi)));
        }
        if (BURSTS > 0) {
            // more samples of the hardest case: bursts alternating likes and dislikes (each vote a change)
            List<Double> all = new ArrayList<>();
            // one profile over all of them (more samples, a warmer path; it also holds the count checks and the
            // connections opened between bursts: the thread "main")
            try (BurstProfile p = BurstProfile.start(BURSTS + " more bursts", jdbi)) {
                List<String> each = new ArrayList<>();
                for (int i = 0; i < BURSTS; i++) {
                    List<Double> burst = new ArrayList<>(votes(comments.get(2), tokens, i % 2 == 0 ? "like" : "dislike", 0));
                    all.addAll(burst);
                    Collections.sort(burst);
                    each.add(String.format("%.1f", pct(burst, 95)));
                }
                // the spread between bursts (one slow burst sets the p95 over all of them)
                System.out.printf("BENCH p95 of each of the %d bursts, ms: %s%n", BURSTS, String.join(", ", each));
            }
            report(BURSTS + " more bursts of " + VOTERS + " at the same instant, alternating", all);
        }
        System.out.printf("%nBENCH TABLE %s UTC, load average (1 min) %.2f, commit %s, vote client %s, %d blocking threads,"
                        + " warm-up: 200 votes one at a time + %d same-instant bursts%n",
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("bench.commit", "(-Dbench.commit=)"), CLIENT, BLOCKING_THREADS, WARM_BURSTS);
        System.out.println("| case | n | p50 | p95 | p99 | max | target p95 < 20 ms |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        ROWS.forEach(System.out::println);
    }

    /**
     * Every token votes once on one comment; the count is then checked exact.
     *
     * @param spreadMs -1: one after another; 0: all released at one instant; otherwise each at a random moment
     *                 (seeded) within that many milliseconds
     * @return each vote's time to the whole answer, ms
     */
    List<Double> votes(String target, List<String> tokens, String value, int spreadMs) throws Exception {
        return votes(target, tokens, value, spreadMs, () -> null);
    }

    /** What is profiled: the votes only (the connections are opened and the voters' threads started before). */
    interface Profiled {
        BurstProfile start() throws Exception;
    }

    List<Double> votes(String target, List<String> tokens, String value, int spreadMs, Profiled profiled)
            throws Exception {
        List<Double> ms = new ArrayList<>();
        // with KeepAliveClient: each voter's connection and request bytes ready before the clock, closed after
        List<KeepAliveClient> connections = new ArrayList<>();
        List<byte[]> requests = new ArrayList<>();
        if (CLIENT.equals("keepalive")) {
            for (String token : tokens) {
                connections.add(new KeepAliveClient(api.api().port()));
                requests.add(KeepAliveClient.request("PUT", "/api/v1/comments/" + target + "/reaction", token,
                        "{\"value\":\"" + value + "\"}"));
            }
        }
        try {
            if (spreadMs < 0) {
                for (int i = 0; i < tokens.size(); i++) {
                    ms.add(vote(i, connections, requests, target, tokens.get(i), value));
                }
            } else {
                BurstProfile profile = null;
                ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
                java.util.Random random = new java.util.Random(42);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Double>> done = new ArrayList<>();
                for (int i = 0; i < tokens.size(); i++) {
                    long at = spreadMs == 0 ? 0 : random.nextInt(spreadMs);
                    int voter = i;
                    done.add(pool.submit(() -> {
                        go.await();
                        if (at > 0) {
                            Thread.sleep(at);
                        }
                        return vote(voter, connections, requests, target, tokens.get(voter), value);
                    }));
                }
                // (each submit above started its voter's thread: a fixed pool makes one per task up to its size)
                profile = profiled.start();
                go.countDown();
                try {
                    for (Future<Double> f : done) {
                        ms.add(f.get());
                    }
                } finally {
                    if (profile != null) {
                        profile.close();
                    }
                }
                pool.shutdown();
            }
        } finally {
            connections.forEach(KeepAliveClient::close);
        }
        var counts = http.get("/api/v1/comments/" + target, null).json().get("reactions");
        assertEquals(tokens.size(), counts.get(value + "s").asInt(), "the count is exact: " + counts);
        return ms;
    }

    /** One vote, sent on voter i's own connection (keepalive) or the shared HttpClient; its status checked 200. */
    double vote(int i, List<KeepAliveClient> connections, List<byte[]> requests, String target, String token,
                String value) {
        if (CLIENT.equals("keepalive")) {
            long s = System.nanoTime();
            KeepAliveClient.Answer a = connections.get(i).exchange(requests.get(i));
            double took = (System.nanoTime() - s) / 1e6;
            assertEquals(200, a.status(), a.text());
            return took;
        }
        long s = System.nanoTime();
        Http.Resp r = http.send(http.builder("/api/v1/comments/" + target + "/reaction", token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\"}")));
        double took = (System.nanoTime() - s) / 1e6;
        assertEquals(200, r.status(), r.text());
        return took;
    }

    interface Call {
        Http.Resp call();
    }

    static List<Double> time(Call c) {
        for (int i = 0; i < 50; i++) {
            assertEquals(200, c.call().status()); // warm up
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            long s = System.nanoTime();
            Http.Resp r = c.call();
            ms.add((System.nanoTime() - s) / 1e6);
            assertEquals(200, r.status(), r.text());
        }
        return ms;
    }

    /** The table printed at the end (Markdown, to paste into BENCHMARK.md). */
    static final List<String> ROWS = new ArrayList<>();

    static void report(String what, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        ROWS.add(String.format("| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s |", what, sorted.size(),
                pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.get(sorted.size() - 1),
                pct(sorted, 95) < 20 ? "met" : String.format("**not met: %.1f×**", pct(sorted, 95) / 20)));
        System.out.printf("BENCH %-60s n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms%n", what, sorted.size(),
                pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.get(sorted.size() - 1));
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    @SuppressWarnings("unused")
    private static UUID id(String s) {
        return UUID.fromString(s);
    }
}
