package dev.kino.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.Validation;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestConfigs;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime alone: routing, JSON, problems and pagination on a real server with test routes. */
class ControlApiServerTest {
    record Greeting(String name, int times) {
    }

    record Item(int n) {
    }

    /** Answers of {@code /api/v1/later} requests not given yet, in arrival order. */
    static final java.util.concurrent.BlockingQueue<java.util.concurrent.CompletableFuture<Response>> LATER =
            new java.util.concurrent.LinkedBlockingQueue<>();

    @TempDir
    static Path dir;
    static ControlApiServer server;
    static Http http;

    @BeforeAll
    static void start() {
        Router router = new Router();
        router.route(HttpMethod.POST, "/api/v1/greet").summary("Greet").request(Greeting.class).response(200, Greeting.class)
                .handler(req -> {
                    Greeting g = req.body(Greeting.class);
                    Validation v = new Validation();
                    v.required("name", g.name());
                    v.check("times", g.times() >= 1 && g.times() <= 3, "must be 1 to 3");
                    v.throwIfInvalid();
                    return Response.ok(g);
                });
        router.route(HttpMethod.GET, "/api/v1/things/{id}").summary("Thing").response(200, Item.class)
                .handler(req -> Response.ok(Map.of("id", req.pathParam("id"))));
        router.route(HttpMethod.DELETE, "/api/v1/things/{id}").summary("Delete thing").response(204, null)
                .handler(req -> Response.noContent());
        router.route(HttpMethod.GET, "/api/v1/things/special").summary("Special thing").response(200, Item.class)
                .handler(req -> Response.ok(Map.of("special", true)));
        router.route(HttpMethod.GET, "/api/v1/secret").summary("Secret").authenticated().response(200, Item.class)
                .handler(req -> Response.ok(Map.of("who", req.principal(String.class))));
        router.route(HttpMethod.GET, "/api/v1/limited").summary("Limited").errors(429).response(200, null)
                .handler(req -> {
                    throw ApiException.of(ProblemType.RATE_LIMITED, "slow down").withHeader("Retry-After", "7");
                });
        router.route(HttpMethod.GET, "/api/v1/boom").summary("Boom").response(200, null)
                .handler(req -> {
                    throw new IllegalStateException("secret internals");
                });
        router.route(HttpMethod.GET, "/api/v1/later").summary("Later").errors(409).response(200, Item.class)
                .handler(req -> {
                    java.util.concurrent.CompletableFuture<Response> f = new java.util.concurrent.CompletableFuture<>();
                    LATER.add(f);
                    return Response.later(f);
                });
        List<Item> all = IntStream.range(0, 45).mapToObj(Item::new).toList();
        router.route(HttpMethod.GET, "/api/v1/items").summary("Items").page(Item.class)
                .handler(req -> {
                    Page.Cursor c = Page.request(req);
                    int from = c.after() == null ? 0 : Integer.parseInt(c.after().get(0)) + 1;
                    List<Item> rows = all.subList(Math.min(from, all.size()), Math.min(from + c.fetch(), all.size()));
                    return Response.ok(Page.of(c, rows, i -> List.of(String.valueOf(i.n()))));
                });
        OpenApi.register(router, "test", "1", "http://localhost");
        Authenticator auth = token -> {
            if (token.equals("good")) {
                return "alice";
            }
            throw ApiException.of(ProblemType.INVALID_TOKEN, "bad token");
        };
        server = ControlApiServer.start(TestConfigs.config(dir, "control.maxRequestBytes=2048").control(), router, auth);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLaterAnswerHoldsNoThreadAndIsWrittenWhenItCompletes() throws Exception {
        // twice as many later answers pending as the server has blocking threads (the tests' 4): were a thread held
        // per pending answer, the plain request below would wait behind them
        int pending = 8;
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < pending; i++) {
            answers.add(client.sendAsync(http.builder("/api/v1/later", null).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        List<java.util.concurrent.CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < pending; i++) {
            futures.add(LATER.poll(10, java.util.concurrent.TimeUnit.SECONDS));
            assertNotNull(futures.get(i), "request " + i + " reached its handler");
        }
        assertEquals("1", http.get("/api/v1/things/1", null).json().get("id").asText());
        assertTrue(answers.stream().noneMatch(java.util.concurrent.CompletableFuture::isDone), "nothing answered yet");
        // completed from other threads: an answer, a problem, a problem wrapped as a dependent stage wraps it, a bug
        for (int i = 0; i < pending - 3; i++) {
            int n = i;
            new Thread(() -> futures.get(n).complete(Response.ok(new Item(n)))).start();
        }
        futures.get(pending - 3).completeExceptionally(new dev.kino.control.ConflictException("taken"));
        futures.get(pending - 2).completeExceptionally(new java.util.concurrent.CompletionException(
                new dev.kino.control.ConflictException("taken too")));
        futures.get(pending - 1).completeExceptionally(new IllegalStateException("secret internals"));
        // the handlers ran in whatever order the connections were served: match answers by what they carry
        List<Integer> items = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        for (var answer : answers) {
            java.net.http.HttpResponse<String> r = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
            statuses.add(r.statusCode());
            if (r.statusCode() == 200) {
                items.add(dev.kino.control.http.Json.MAPPER.readTree(r.body()).get("n").asInt());
            } else {
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
                assertTrue(!r.body().contains("secret internals"), r.body());
            }
        }
        java.util.Collections.sort(items);
        java.util.Collections.sort(statuses);
        assertEquals(List.of(0, 1, 2, 3, 4), items);
        assertEquals(List.of(200, 200, 200, 200, 200, 409, 409, 500), statuses);

    }

    @Test
    void jsonRoundTrip() {
        Http.Resp r = http.post("/api/v1/greet", null, new Greeting("kino", 2));
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("content-type"));
        assertEquals("no-store", r.header("cache-control"));
        assertEquals("kino", r.json().get("name").asText());
    }

    @Test
    void literalSegmentBeatsParameter() {
        assertEquals(true, http.get("/api/v1/things/special", null).json().get("special").asBoolean());
        assertEquals("42", http.get("/api/v1/things/42", null).json().get("id").asText());
    }

    @Test
    void unknownPathIs404Problem() {
        Http.Resp r = http.get("/api/v1/nothing", null);
        assertEquals(404, r.status());
        assertEquals("application/problem+json", r.header("content-type"));
        JsonNode p = r.json();
        assertEquals("https://kino.dev/problems/not-found", p.get("type").asText());
        assertEquals(404, p.get("status").asInt());
        assertEquals("Not found", p.get("title").asText());
        assertEquals("/api/v1/nothing", p.get("instance").asText());
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Http.Resp r = http.post("/api/v1/things/1", null, Map.of());
        assertEquals(405, r.status());
        assertEquals("DELETE, GET", r.header("allow"));
        assertEquals("method-not-allowed", r.problem());
    }

    @Test
    void nonJsonBodyIs415() {
        Http.Resp r = http.raw("POST", "/api/v1/greet", "text/plain", "hi".getBytes());
        assertEquals(415, r.status());
        assertEquals("unsupported-media-type", r.problem());
    }

    @Test
    void malformedJsonIs400NamingTheProblem() {
        Http.Resp r = http.raw("POST", "/api/v1/greet", "application/json", "{\"name\": \"x\",".getBytes());
        assertEquals(400, r.status());
        assertEquals("malformed-json", r.problem());
        assertTrue(r.json().get("detail").asText().contains("line 1"), r.text());
    }

    @Test
    void wrongFieldTypeAndUnknownFieldAre400NamingTheField() {
        Http.Resp r = http.raw("POST", "/api/v1/greet", "application/json", "{\"name\":\"x\",\"times\":\"many\"}".getBytes());
        assertEquals(400, r.status());
        assertTrue(r.json().get("detail").asText().contains("'times'"), r.text());
        r = http.raw("POST", "/api/v1/greet", "application/json", "{\"name\":\"x\",\"times\":1,\"extra\":1}".getBytes());
        assertEquals(400, r.status());
        assertTrue(r.json().get("detail").asText().contains("'extra'"), r.text());
    }

    @Test
    void validationIs422WithEveryFieldError() {
        Http.Resp r = http.post("/api/v1/greet", null, new Greeting("", 9));
        assertEquals(422, r.status());
        assertEquals("https://kino.dev/problems/validation", r.json().get("type").asText());
        JsonNode errors = r.json().get("errors");
        assertEquals(2, errors.size());
        assertEquals("name", errors.get(0).get("field").asText());
        assertEquals("times", errors.get(1).get("field").asText());
    }

    @Test
    void oversizedBodyIs413Problem() {
        byte[] big = ("{\"name\":\"" + "x".repeat(5000) + "\",\"times\":1}").getBytes();
        Http.Resp r = http.raw("POST", "/api/v1/greet", "application/json", big);
        assertEquals(413, r.status());
        assertEquals("payload-too-large", r.problem());
        // the connection is still usable afterwards
        assertEquals(200, http.post("/api/v1/greet", null, new Greeting("kino", 1)).status());
    }

    @Test
    void authenticatedRouteNeedsBearerToken() {
        Http.Resp r = http.get("/api/v1/secret", null);
        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"kino\"", r.header("www-authenticate"));
        r = http.get("/api/v1/secret", "bad");
        assertEquals(401, r.status());
        assertTrue(r.header("www-authenticate").contains("invalid_token"));
        r = http.get("/api/v1/secret", "good");
        assertEquals("alice", r.json().get("who").asText());
    }

    @Test
    void rateLimitedCarriesRetryAfter() {
        Http.Resp r = http.get("/api/v1/limited", null);
        assertEquals(429, r.status());
        assertEquals("7", r.header("retry-after"));
    }

    @Test
    void unexpectedErrorIs500WithoutInternals() {
        Http.Resp r = http.get("/api/v1/boom", null);
        assertEquals(500, r.status());
        assertTrue(!r.text().contains("secret internals"));
        assertTrue(r.json().get("detail").asText().contains("reference"));
    }

    @Test
    void cursorPaginationWalksEveryItemOnce() {
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Resp r = http.get("/api/v1/items?limit=20" + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertEquals(200, r.status());
            r.json().get("items").forEach(i -> seen.add(i.get("n").asInt()));
            cursor = r.json().path("next").isMissingNode() ? null : r.json().get("next").asText();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(IntStream.range(0, 45).boxed().toList(), seen);
    }

    @Test
    void paginationBounds() {
        assertEquals(422, http.get("/api/v1/items?limit=0", null).status());
        assertEquals(422, http.get("/api/v1/items?limit=101", null).status());
        assertEquals(422, http.get("/api/v1/items?limit=abc", null).status());
        assertEquals(400, http.get("/api/v1/items?cursor=%21%21", null).status());
        Http.Resp r = http.get("/api/v1/items", null);
        assertEquals(Page.DEFAULT_LIMIT, r.json().get("items").size());
        assertNotNull(r.json().get("next"));
        assertNull(http.get("/api/v1/items?limit=100", null).json().get("next"));
    }
}
