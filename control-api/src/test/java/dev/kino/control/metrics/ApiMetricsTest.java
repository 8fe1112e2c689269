package dev.kino.control.metrics;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.support.EventStreamClient;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A control API node with its admin port (both on port 0) beside the shared one, on the same database: after a few
 * requests {@code /metrics} has the request, latency, pool, job, stream and ingest series, and the public port serves
 * none of the admin port's paths.
 */
class ApiMetricsTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static ControlApi api;
    private static Http http;

    @BeforeAll
    static void start() {
        TestApi.api(); // the shared node migrates the database
        KinoConfig config = SharedDatabase.config();
        api = ControlApi.builder(config, SecretStore.resolve(config), SharedDatabase.get(),
                        new InProcessSharedState(TestApi.CLOCK))
                .clock(TestApi.CLOCK).mailSender(TestApi.MAILS::add).passwordParams(PasswordHasher.Params.FAST_INSECURE)
                .outboxInterval(Duration.ZERO).notificationRounds(Duration.ZERO).recommendInterval(Duration.ZERO)
                .adminPort("127.0.0.1", 0).start();
        http = new Http(api.port());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static HttpResponse<String> admin(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** @return the value of the one sample line starting with {@code series} followed by a space */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no sample " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    /** @return the sample's value, 0 when the series does not exist yet */
    private static double valueOrZero(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void requestsByRouteTemplateAndStatusWithLatencyPoolJobsStreamsAndIngest() throws Exception {
        assertNotEquals(api.port(), api.adminPort());
        // the other tests of the class use the same node: count from here
        String before = admin("/metrics").body();
        String titles200 = "kino_control_http_requests_total{method=\"GET\",route=\"/api/v1/titles\",status=\"200\"}";
        String title404 = "kino_control_http_requests_total{method=\"GET\",route=\"/api/v1/titles/{id}\",status=\"404\"}";
        String unmatched = "kino_control_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}";
        String login401 = "kino_control_http_requests_total{method=\"POST\",route=\"/api/v1/auth/login\",status=\"401\"}";
        String titlesCount = "kino_control_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/titles\"}";
        String titlesInf = "kino_control_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/titles\",le=\"+Inf\"}";
        assertEquals(200, http.get("/api/v1/titles", null).status());
        assertEquals(200, http.get("/api/v1/titles", null).status());
        assertEquals(404, http.get("/api/v1/titles/" + UUID.randomUUID(), null).status());
        assertEquals(404, http.get("/api/v1/titles/" + UUID.randomUUID(), null).status());
        // two random paths: one "unmatched" series, not one per path
        assertEquals(404, http.get("/api/v1/no-such/" + UUID.randomUUID(), null).status());
        assertEquals(404, http.get("/api/v1/no-such/" + UUID.randomUUID(), null).status());
        assertEquals(401, http.post("/api/v1/auth/login", null, Map.of("login", "nobody-" + UUID.randomUUID(),
                "password", "not the password")).status());
        long ingested = api.metrics().playbackEventsIngested();
        api.metrics().playbackEventsIngested(3);
        api.metrics().playbackEventsIngested(2);

        // a request is counted when its answer's last byte is written, which the client may see a moment before
        // the write's listener runs: scrape until the last request is in (at most 5 s)
        HttpResponse<String> r = admin("/metrics");
        for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end
                && valueOrZero(r.body(), login401) - valueOrZero(before, login401) < 1; ) {
            Thread.sleep(20);
            r = admin("/metrics");
        }
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String text = r.body();
        assertEquals(2, value(text, titles200) - valueOrZero(before, titles200));
        assertEquals(2, value(text, title404) - valueOrZero(before, title404));
        assertEquals(2, value(text, unmatched) - valueOrZero(before, unmatched));
        assertEquals(1, value(text, login401) - valueOrZero(before, login401));
        assertFalse(text.contains("no-such"), "a raw path became a label:\n" + text);
        assertTrue(text.contains("# TYPE kino_control_http_request_duration_seconds histogram"), text);
        assertEquals(2, value(text, titlesCount) - valueOrZero(before, titlesCount));
        assertEquals(2, value(text, titlesInf) - valueOrZero(before, titlesInf));
        // HikariCP: the shared database's pool, as configured
        assertEquals(SharedDatabase.config().database().poolSize(),
                value(text, "kino_control_db_pool_connections{state=\"max\"}"));
        assertTrue(value(text, "kino_control_db_pool_connections{state=\"idle\"}") >= 0, text);
        assertTrue(value(text, "kino_control_db_pool_connections{state=\"active\"}") >= 0, text);
        assertTrue(value(text, "kino_control_db_pool_pending_threads") >= 0, text);
        // the job queue as the jobs table has it
        long queued = SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                "select count(*) from jobs where state = 'queued'").mapTo(Long.class).one());
        assertEquals(queued, value(text, "kino_control_jobs{state=\"queued\"}"));
        for (String state : ApiMetrics.JOB_STATES) {
            value(text, "kino_control_jobs{state=\"" + state + "\"}");
        }
        assertEquals(api.notificationHub().connected(), value(text, "kino_control_sse_connections"));
        assertEquals(ingested + 5, value(text, "kino_control_playback_events_ingested_total"));

        assertEquals(200, admin("/health").statusCode());
        assertEquals(200, admin("/ready").statusCode());
    }

    @Test
    void jobsThatEndedAreObservedFromTheJobsTableWhoeverRanThem() throws Exception {
        String count = "kino_control_packaging_duration_seconds_count{outcome=\"succeeded\"}";
        String sum = "kino_control_packaging_duration_seconds_sum{outcome=\"succeeded\"}";
        String upTo60 = "kino_control_packaging_duration_seconds_bucket{outcome=\"succeeded\",le=\"60.0\"}";
        // a job ended by a process whose clock is a day ahead: seen, and no reason to miss later jobs
        endedJob("interval '1 day' + interval '10 seconds'", "interval '1 day'");
        String before = admin("/metrics").body();
        // a job a worker process (not this node) claimed 42 s ago and has just finished
        endedJob("interval '42 seconds'", "interval '0 seconds'");
        String after = admin("/metrics").body();
        assertTrue(value(after, count) - valueOrZero(before, count) >= 1, after);
        assertTrue(value(after, upTo60) - valueOrZero(before, upTo60) >= 1, after);
        assertTrue(value(after, sum) - valueOrZero(before, sum) >= 42, after);
        // observed once: the next scrape does not count it again
        String again = admin("/metrics").body();
        assertEquals(value(after, count), value(again, count), again);
    }

    /** Inserts a succeeded job that started {@code startedAgo} before now + {@code finishedIn} and finished then. */
    private static void endedJob(String startedAgo, String finishedIn) {
        TestCatalog.Item item = TestCatalog.item("metrics", "ready");
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("""
                insert into jobs (id, media_id, state, protection, max_attempts, created_at, updated_at, started_at,
                                  finished_at)
                values (:id, :media, 'succeeded', 'cenc', 3, clock_timestamp(), clock_timestamp(),
                        clock_timestamp() + %s - %s, clock_timestamp() + %s)""".formatted(finishedIn, startedAgo,
                        finishedIn))
                .bind("id", UUID.randomUUID()).bind("media", item.mediaId()).execute());
    }

    @Test
    void anOpenNotificationStreamIsCountedUntilItCloses() throws Exception {
        TestApi.User u = TestApi.newUser();
        Http.Resp ticket = http.post("/api/v1/me/notifications/stream-ticket", u.accessToken(), Map.of());
        assertEquals(200, ticket.status(), ticket.text());
        String url = "http://127.0.0.1:" + api.port() + "/api/v1/me/notifications/stream?ticket="
                + ticket.json().get("ticket").asText();
        try (EventStreamClient stream = new EventStreamClient(url)) {
            assertEquals(200, stream.response().statusCode());
            assertEquals(1, awaitGauge("kino_control_sse_connections", 1));
        }
        assertEquals(0, awaitGauge("kino_control_sse_connections", 0));
    }

    /** @return the gauge's value once it is {@code want}, or its last value after 5 s */
    private static double awaitGauge(String series, double want) throws Exception {
        long until = System.nanoTime() + 5_000_000_000L;
        double v;
        do {
            v = value(admin("/metrics").body(), series);
            if (v == want) {
                return v;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < until);
        return v;
    }

    @Test
    void thePublicPortServesNoneOfTheAdminPaths() throws Exception {
        for (String path : new String[] {"/metrics", "/health", "/ready", "/api/v1/metrics"}) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertFalse(r.body().contains("kino_control_"), path + " on the public port: " + r.body());
            assertFalse(r.headers().firstValue("content-type").orElse("").contains("version=0.0.4"), path);
        }
        // and the admin port answers nothing but its own paths
        assertEquals(404, admin("/api/v1/titles").statusCode());
    }

    @Test
    void packagingRunsAndIngestCountsAreValidated() {
        ApiMetrics m = new ApiMetrics();
        m.packaging("succeeded", 42);
        m.packaging("failed", 0.5);
        String text = m.render();
        assertEquals(1, value(text, "kino_control_packaging_duration_seconds_count{outcome=\"succeeded\"}"));
        assertEquals(1, value(text, "kino_control_packaging_duration_seconds_bucket{outcome=\"succeeded\",le=\"60.0\"}"));
        assertEquals(0, value(text, "kino_control_packaging_duration_seconds_bucket{outcome=\"succeeded\",le=\"30.0\"}"));
        assertEquals(1, value(text, "kino_control_packaging_duration_seconds_bucket{outcome=\"failed\",le=\"5.0\"}"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.playbackEventsIngested(-1));
    }
}
