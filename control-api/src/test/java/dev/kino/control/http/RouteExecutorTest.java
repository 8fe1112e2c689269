package dev.kino.control.http;

import dev.kino.control.UnavailableException;
import dev.kino.control.metrics.ApiMetrics;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestConfigs;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes with an executor of their own ({@link Router.RouteBuilder#executor}) on a real server: the handler runs on
 * that executor's threads, a full queue is answered 503 problem+json with {@code Retry-After}, errors map to their
 * problems as on the blocking pool, and pipelined answers keep request order. Pools are held full by tasks waiting on
 * a latch, never by timing.
 */
class RouteExecutorTest {
    @TempDir
    static Path dir;
    static ControlApiServer server;
    static Http http;
    static final ApiMetrics METRICS = new ApiMetrics();
    /** One thread, one queue place, the JDK's abort policy: a plain rejection. */
    static ThreadPoolExecutor small;
    /** One thread, one queue place, a rejection whose cause names the queue (as {@code SearchThreadPools}'). */
    static ThreadPoolExecutor named;

    @BeforeAll
    static void start() {
        small = pool("route-small");
        named = pool("route-named");
        named.setRejectedExecutionHandler((task, pool) -> {
            throw new RejectedExecutionException("full", new UnavailableException(
                    "too many lookups at once (test.queue); retry shortly", 7, null));
        });
        Router router = new Router();
        router.route(HttpMethod.GET, "/api/v1/where").summary("The thread this route runs on").response(200, null)
                .executor(small).handler(req -> Response.ok(Map.of("thread", Thread.currentThread().getName())));
        router.route(HttpMethod.GET, "/api/v1/where/blocking").summary("The thread a plain route runs on")
                .response(200, null)
                .handler(req -> Response.ok(Map.of("thread", Thread.currentThread().getName())));
        router.route(HttpMethod.GET, "/api/v1/named").summary("A route whose pool names its queue when full")
                .response(200, null).executor(named).handler(req -> Response.ok(Map.of("ok", true)));
        router.route(HttpMethod.GET, "/api/v1/fails/{how}").summary("Fails as asked").response(200, null)
                .errors(404, 422).executor(small).handler(req -> {
                    switch (req.pathParam("how")) {
                        case "missing" -> throw ApiException.of(ProblemType.NOT_FOUND, "no such thing here");
                        case "invalid" -> throw ApiException.invalid("size", "must be 1 to 3");
                        case "later" -> {
                            return Response.later(java.util.concurrent.CompletableFuture.failedFuture(
                                    new dev.kino.control.NotFoundException("gone by the time it was read")));
                        }
                        default -> throw new IllegalStateException("a bug");
                    }
                });
        router.route(HttpMethod.GET, "/api/v1/mine").summary("Needs a token").authenticated().response(200, null)
                .executor(small).handler(req -> Response.ok(Map.of("who", req.principal(String.class),
                        "thread", Thread.currentThread().getName())));
        router.route(HttpMethod.GET, "/api/v1/slow/{n}").summary("Answers its number after a while").response(200, null)
                .executor(small).handler(req -> {
                    try {
                        // long enough for a later pipelined request to overtake it if order were not kept
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Response.ok(Map.of("n", req.pathParam("n")));
                });
        router.route(HttpMethod.GET, "/api/v1/fast/{n}").summary("Answers its number at once").response(200, null)
                .handler(req -> Response.ok(Map.of("n", req.pathParam("n"))));
        router.route(HttpMethod.GET, "/api/v1/caller-runs").summary("A misconfigured executor").response(200, null)
                .executor(Runnable::run).handler(req -> Response.ok(Map.of("thread", Thread.currentThread().getName())));
        server = ControlApiServer.start(TestConfigs.config(dir).control(), router, token -> {
            if (!token.equals("good")) {
                throw ApiException.of(ProblemType.INVALID_TOKEN, "bad token");
            }
            return "alice";
        }, CursorKey.random(), METRICS);
        http = new Http(server.port());
    }

    private static ThreadPoolExecutor pool(String name) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                r -> new Thread(r, name + "-" + n.incrementAndGet()));
    }

    @AfterAll
    static void stop() {
        server.close();
        small.shutdownNow();
        named.shutdownNow();
    }

    /** Holds the pool's one thread and its one queue place until the returned latch is released. */
    private static CountDownLatch fill(ThreadPoolExecutor pool) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> {
            running.countDown();
            await(release);
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        pool.execute(() -> await(release));
        assertEquals(1, pool.getQueue().size());
        return release;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theHandlerRunsOnTheRoutesExecutorAndOtherRoutesOnTheBlockingPool() {
        Http.Resp own = http.get("/api/v1/where", null);
        assertEquals(200, own.status(), own.text());
        assertTrue(own.json().path("thread").asText().startsWith("route-small-"), own.text());
        Http.Resp plain = http.get("/api/v1/where/blocking", null);
        assertEquals(200, plain.status(), plain.text());
        assertTrue(plain.json().path("thread").asText().startsWith("kino-control-blocking-"), plain.text());
    }

    @Test
    void aFullQueueIs503ProblemWithRetryAfterAndOtherRoutesStillAnswer() throws Exception {
        CountDownLatch release = fill(small);
        try {
            Http.Resp refused = http.get("/api/v1/where", null);
            assertEquals(503, refused.status(), refused.text());
            assertEquals("1", refused.header("Retry-After"));
            assertTrue(refused.header("Content-Type").startsWith("application/problem+json"), refused.text());
            assertEquals("/api/v1/where", refused.json().path("instance").asText());
            assertEquals(503, refused.json().path("status").asInt());
            // the blocking pool and the other routes' executors are not held by this one
            assertEquals(200, http.get("/api/v1/where/blocking", null).status());
            assertEquals(200, http.get("/api/v1/named", null).status());
        } finally {
            release.countDown();
        }
        assertEquals(200, http.get("/api/v1/where", null).status());
        // counted under the route's template: the route was matched, its pool refused it
        String line = "kino_control_http_requests_total{method=\"GET\",route=\"/api/v1/where\",status=\"503\"}";
        String metrics = METRICS.render();
        for (long end = System.nanoTime() + 5_000_000_000L; !metrics.contains(line) && System.nanoTime() < end; ) {
            Thread.sleep(20); // counted once the answer's write completes, which the client may see first
            metrics = METRICS.render();
        }
        assertTrue(metrics.contains(line), metrics);
    }

    @Test
    void aRejectionThatNamesItsQueueIsAnsweredWithThatProblem() throws Exception {
        CountDownLatch release = fill(named);
        try {
            Http.Resp refused = http.get("/api/v1/named", null);
            assertEquals(503, refused.status(), refused.text());
            assertEquals("7", refused.header("Retry-After"));
            assertEquals("too many lookups at once (test.queue); retry shortly",
                    refused.json().path("detail").asText(), refused.text());
        } finally {
            release.countDown();
        }
        assertEquals(200, http.get("/api/v1/named", null).status());
    }

    @Test
    void errorsOnTheRoutesExecutorMapToTheirProblemsAsOnTheBlockingPool() {
        Http.Resp missing = http.get("/api/v1/fails/missing", null);
        assertEquals(404, missing.status());
        assertEquals("no such thing here", missing.json().path("detail").asText());
        assertTrue(missing.header("Content-Type").startsWith("application/problem+json"));
        Http.Resp invalid = http.get("/api/v1/fails/invalid", null);
        assertEquals(422, invalid.status());
        assertEquals("size", invalid.json().path("errors").path(0).path("field").asText(), invalid.text());
        Http.Resp later = http.get("/api/v1/fails/later", null);
        assertEquals(404, later.status(), later.text());
        assertEquals("gone by the time it was read", later.json().path("detail").asText());
        Http.Resp bug = http.get("/api/v1/fails/bug", null);
        assertEquals(500, bug.status());
        assertTrue(bug.json().path("detail").asText().startsWith("unexpected error; reference "), bug.text());
        assertTrue(!bug.text().contains("IllegalStateException") && !bug.text().contains("a bug"), bug.text());
        // routing and the text checks answer as before for a path an executor's route would match
        Http.Resp wrongMethod = http.delete("/api/v1/where", null);
        assertEquals(405, wrongMethod.status());
        assertEquals("GET", wrongMethod.header("Allow"));
        Http.Resp control = http.get("/api/v1/where?x=%01", null);
        assertEquals(400, control.status(), control.text());
        assertTrue(control.json().path("detail").asText().contains("'x'"), control.text());
        Http.Resp badUtf8 = http.get("/api/v1/where?x=%C3%28", null);
        assertEquals(400, badUtf8.status(), badUtf8.text());
    }

    @Test
    void authenticationRunsOnTheRoutesExecutor() {
        Http.Resp none = http.get("/api/v1/mine", null);
        assertEquals(401, none.status());
        assertNotNull(none.header("WWW-Authenticate"));
        Http.Resp bad = http.get("/api/v1/mine", "forged");
        assertEquals(401, bad.status());
        assertEquals("Bearer realm=\"kino\", error=\"invalid_token\"", bad.header("WWW-Authenticate"));
        Http.Resp good = http.get("/api/v1/mine", "good");
        assertEquals(200, good.status(), good.text());
        assertEquals("alice", good.json().path("who").asText());
        assertTrue(good.json().path("thread").asText().startsWith("route-small-"), good.text());
    }

    @Test
    void pipelinedRequestsOnDifferentExecutorsAreAnsweredInOrder() throws Exception {
        String out = SlowAndPipelinedClientsTest.rawTo(server.port(), "GET /api/v1/slow/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/v1/fast/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/v1/slow/3 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/v1/no-such HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/v1/fast/5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(List.of(200, 200, 200, 404, 200), SlowAndPipelinedClientsTest.statuses(out), out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"n\":\"(\\d)\"}").matcher(out);
        StringBuilder order = new StringBuilder();
        while (m.find()) {
            order.append(m.group(1));
        }
        assertEquals("1235", order.toString(), out);
    }

    @Test
    void anExecutorThatRunsTheRequestOnTheEventLoopIsRefusedNotBlockingIt() {
        Http.Resp r = http.get("/api/v1/caller-runs", null);
        assertEquals(503, r.status(), r.text());
        assertEquals("1", r.header("Retry-After"));
        assertTrue(r.header("Content-Type").startsWith("application/problem+json"));
    }
}
