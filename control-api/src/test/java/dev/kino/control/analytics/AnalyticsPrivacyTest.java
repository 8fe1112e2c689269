package dev.kino.control.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A member's viewing analytics go out with the account's data export and away with its erasure. */
class AnalyticsPrivacyTest {
    final Jdbi jdbi = SharedDatabase.get().jdbi();
    final Http http = TestApi.http();

    /** Plays 20 s of the item through the API and rolls it up. @return the playback session */
    UUID watch(TestApi.User u, UUID media) {
        Http.Resp grant = http.post("/api/v1/playback", u.accessToken(), Map.of("mediaId", media));
        assertEquals(200, grant.status(), grant.text());
        UUID session = UUID.fromString(grant.json().get("sessionId").asText());
        Instant t = TestApi.CLOCK.instant();
        List<Object> events = new ArrayList<>();
        for (int s = 0; s <= 20; s += 10) {
            events.add(Map.of("id", UUID.randomUUID().toString(), "type", s == 0 ? "start" : "heartbeat",
                    "mediaId", media.toString(), "sessionId", session.toString(),
                    "at", t.plusSeconds(s).toEpochMilli(), "position", s));
        }
        TestApi.inProcess().elapse(Duration.ofSeconds(21));
        assertEquals(3, http.post("/api/v1/playback/events", u.accessToken(), Map.of("events", events)).json()
                .get("accepted").asInt());
        TestApi.api().analytics().flush();
        TestApi.api().analytics().rollupRound(true);
        http.delete("/api/v1/playback/sessions/" + session, u.accessToken());
        return session;
    }

    long count(String sql, UUID id) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(Long.class).one());
    }

    @Test
    void theDataExportHoldsTheAccountsSessionsAndEvents() {
        TestCatalog.Item movie = TestCatalog.published("Exported");
        TestApi.User u = TestApi.newUser();
        UUID session = watch(u, movie.mediaId());
        Http.Resp export = http.get("/api/v1/me/export", u.accessToken());
        assertEquals(200, export.status(), export.text());
        JsonNode viewing = export.json().get("viewing");
        assertEquals(1, viewing.get("sessions").size(), viewing.toString());
        assertEquals(3, viewing.get("events").size());
        assertEquals(session.toString(), viewing.get("events").get(0).get("sessionId").asText());
        assertFalse(viewing.toString().contains("127.0.0.1"), "analytics keeps no client address to export");
        assertEquals("127.0.0.0/24", viewing.get("sessions").get(0).get("clientNet").asText());
    }

    @Test
    void erasingTheAccountErasesItsViewingAnalyticsButNotTheAggregates() {
        TestCatalog.Item movie = TestCatalog.published("Erased viewing");
        TestApi.User u = TestApi.newUser();
        UUID session = watch(u, movie.mediaId());
        assertEquals(1, count("select count(*) from analytics_daily_viewers where account_id = :id", u.id()));
        long viewsBefore = count("select coalesce(sum(views), 0) from analytics_hourly where title_id = :id",
                movie.titleId());
        assertEquals(1, viewsBefore);

        Http.Resp delete = http.send(http.builder("/api/v1/me", u.accessToken())
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"currentPassword\":\"" + u.password() + "\"}")));
        assertEquals(202, delete.status(), delete.text());
        TestApi.inProcess().elapse(Duration.ofDays(14).plusMinutes(1));
        TestApi.api().accountDeletion().eraseDue();

        assertEquals(0, count("select count(*) from analytics_sessions where account_id = :id", u.id()));
        assertEquals(0, count("select count(*) from playback_events where session_id = :id", session));
        assertEquals(0, count("select count(*) from analytics_daily_viewers where account_id = :id or viewer_key = :id",
                u.id()));
        assertEquals(viewsBefore, count("select coalesce(sum(views), 0) from analytics_hourly where title_id = :id",
                movie.titleId()), "the hourly aggregates name nobody and stay");
    }
}
