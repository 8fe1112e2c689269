package dev.kino.control.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report routes on the whole control API: who may read them (analytics.read, not a role name), the figures of
 * a play made through the API (grant, player events, rollup), CSV answers, parameter problems and the OpenAPI
 * document.
 */
class AnalyticsReportsTest {
    static final List<String> REPORTS = List.of("/api/v1/admin/analytics/overview", "/api/v1/admin/analytics/qoe",
            "/api/v1/admin/analytics/engagement", "/api/v1/admin/analytics/subscriptions");
    static final List<String> JSON_ONLY = List.of("/api/v1/admin/analytics/now");
    static Jdbi jdbi;
    static Http http;
    static TestApi.User admin;
    static TestApi.User analyst;
    static TestApi.User member;
    static TestCatalog.Item movie;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        http = TestApi.http();
        admin = TestApi.withRole(TestApi.newUser(), "admin");
        jdbi.useHandle(h -> h.execute("insert into roles (name, description, permissions) values ('analyst',"
                + " 'reads the analytics', '{analytics.read}') on conflict do nothing"));
        analyst = TestApi.withRole(TestApi.newUser(), "analyst");
        member = TestApi.newUser();
        movie = TestCatalog.published("Reports");
    }

    static String today() {
        return LocalDate.ofInstant(TestApi.CLOCK.instant(), ZoneOffset.UTC).toString();
    }

    @Test
    void theReportsNeedAnalyticsReadWhateverTheRole() {
        List<String> all = new ArrayList<>(REPORTS);
        all.add("/api/v1/admin/analytics/titles/" + movie.titleId());
        all.addAll(JSON_ONLY);
        for (String path : all) {
            assertEquals(401, http.get(path, null).status(), path);
            Http.Resp denied = http.get(path, member.accessToken());
            assertEquals(403, denied.status(), path + " " + denied.text());
            assertTrue(denied.header("Content-Type").startsWith("application/problem+json"));
            assertEquals(200, http.get(path, analyst.accessToken()).status(), path);
            assertEquals(200, http.get(path, admin.accessToken()).status(), path);
        }
    }

    @Test
    void aPlayThroughTheApiShowsInTheTitleReport() {
        TestApi.User viewer = TestApi.newUser();
        Http.Resp grant = http.post("/api/v1/playback", viewer.accessToken(), Map.of("mediaId", movie.mediaId()));
        assertEquals(200, grant.status(), grant.text());
        UUID session = UUID.fromString(grant.json().get("sessionId").asText());
        Instant t = TestApi.CLOCK.instant();
        List<Object> events = new ArrayList<>();
        for (int s = 0; s <= 30; s += 10) {
            events.add(Map.of("id", UUID.randomUUID().toString(), "type", s == 0 ? "start" : "heartbeat",
                    "mediaId", movie.mediaId().toString(), "sessionId", session.toString(),
                    "at", t.plusSeconds(s).toEpochMilli(), "position", s, "rendition", "360p"));
        }
        TestApi.inProcess().elapse(Duration.ofSeconds(31)); // the player sends its batch as its last event happens
        Http.Resp sent = http.post("/api/v1/playback/events", viewer.accessToken(), Map.of("events", events));
        assertEquals(4, sent.json().get("accepted").asInt(), sent.text());
        TestApi.api().analytics().flush();
        TestApi.api().analytics().rollupRound(true);

        Http.Resp r = http.get("/api/v1/admin/analytics/titles/" + movie.titleId() + "?from=" + today() + "&to="
                + today(), analyst.accessToken());
        assertEquals(200, r.status(), r.text());
        JsonNode totals = r.json().get("totals");
        assertEquals(1, totals.get("views").asInt(), r.text());
        assertEquals(1, totals.get("uniqueViewers").asInt());
        assertEquals(30, totals.get("watchSeconds").asInt());
        JsonNode retention = r.json().get("retention");
        assertEquals(100, retention.size());
        assertEquals(1.0, retention.get(0).asDouble()); // 30 s of the 600 s item: the first 5 %
        assertEquals(1.0, retention.get(4).asDouble());
        assertEquals(0.0, retention.get(5).asDouble());

        Http.Resp engagement = http.get("/api/v1/admin/analytics/engagement?from=" + today() + "&to=" + today(),
                analyst.accessToken());
        assertTrue(engagement.json().get("dailyActiveUsers").asLong() >= 1, engagement.text());
    }

    @Test
    void everyReportAnswersCsvOnAsking() throws Exception {
        List<String> all = new ArrayList<>(REPORTS);
        all.add("/api/v1/admin/analytics/titles/" + movie.titleId());
        for (String path : all) {
            HttpResponse<byte[]> r = http.sendBytes(http.builder(path, analyst.accessToken())
                    .header("Accept", "text/csv").GET());
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), path);
            String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("\r\n") && !text.startsWith("{"), path + ": " + text);
        }
        HttpResponse<byte[]> retention = http.sendBytes(http.builder("/api/v1/admin/analytics/titles/"
                + movie.titleId() + "?table=retention", analyst.accessToken()).header("Accept", "text/csv").GET());
        assertTrue(new String(retention.body()).startsWith("scope,bucket_percent,share\r\n"));
    }

    @Test
    void badParametersAreProblemsNamingEachField() {
        Http.Resp r = http.get("/api/v1/admin/analytics/overview?from=2025-13-01&interval=year&table=nope",
                analyst.accessToken());
        assertEquals(422, r.status(), r.text());
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertTrue(fields.containsAll(List.of("from", "interval", "table")), r.text());
        assertEquals(422, http.get("/api/v1/admin/analytics/qoe?from=2025-03-05&to=2025-03-04",
                analyst.accessToken()).status());
        assertEquals(422, http.get("/api/v1/admin/analytics/qoe?titleId=nope", analyst.accessToken()).status());
        assertEquals(404, http.get("/api/v1/admin/analytics/titles/" + UUID.randomUUID(), analyst.accessToken())
                .status());
    }

    @Test
    void theOpenApiDocumentHasEveryRouteAndTheCsvAnswers() {
        JsonNode paths = http.get("/api/v1/openapi.json", null).json().get("paths");
        assertTrue(paths.has("/api/v1/playback/events"));
        for (String p : REPORTS) {
            JsonNode ok = paths.get(p).get("get").get("responses").get("200").get("content");
            assertTrue(ok.has("application/json") && ok.has("text/csv"), p + ": " + ok);
        }
        assertTrue(paths.has("/api/v1/admin/analytics/titles/{id}"));
        assertTrue(paths.has("/api/v1/admin/analytics/now"));
    }
}
