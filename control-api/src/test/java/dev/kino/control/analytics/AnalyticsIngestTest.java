package dev.kino.control.analytics;

import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/playback/events} on the whole control API and its database: per-event refusals with reasons,
 * idempotency per event id, the binding to the caller's playback session, and no client address stored.
 */
class AnalyticsIngestTest {
    static Jdbi jdbi;
    static Http http;
    static TestCatalog.Item movie;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        http = TestApi.http();
        movie = TestCatalog.published("Ingest");
    }

    /** @return the playback session id of a grant for the item */
    static UUID play(String token, UUID media) {
        Http.Resp r = http.post("/api/v1/playback", token, Map.of("mediaId", media));
        assertEquals(200, r.status(), r.text());
        return UUID.fromString(r.json().get("sessionId").asText());
    }

    static Map<String, Object> event(String type, UUID media, UUID session, Instant at, double position) {
        Map<String, Object> e = new HashMap<>();
        e.put("id", UUID.randomUUID().toString());
        e.put("type", type);
        e.put("mediaId", media.toString());
        e.put("sessionId", session.toString());
        e.put("at", at.toEpochMilli());
        e.put("position", position);
        e.put("rendition", "360p");
        return e;
    }

    static Http.Resp send(String token, List<?> events) {
        return http.post("/api/v1/playback/events", token, Map.of("events", events));
    }

    static long stored(UUID session) {
        TestApi.api().analytics().flush();
        return jdbi.withHandle(h -> h.createQuery("select count(*) from playback_events where session_id = :s")
                .bind("s", session).mapTo(Long.class).one());
    }

    static Map<Integer, String> refused(Http.Resp r) {
        Map<Integer, String> out = new HashMap<>();
        r.json().get("refused").forEach(n -> out.put(n.get("index").asInt(), n.get("reason").asText()));
        return out;
    }

    @Test
    void aBatchKeepsItsGoodEventsAndNamesTheRefusedOnesByIndex() {
        UUID session = play(null, movie.mediaId());
        Instant now = TestApi.CLOCK.instant();
        UUID other = TestCatalog.published("Other").mediaId();
        List<Object> batch = new ArrayList<>();
        batch.add(event("start", movie.mediaId(), session, now, 0));                           // 0 good
        Map<String, Object> noId = event("heartbeat", movie.mediaId(), session, now, 1);
        noId.remove("id");
        batch.add(noId);                                                                      // 1 malformed
        batch.add(event("heartbeat", movie.mediaId(), session, now.plus(Duration.ofHours(1)), 2)); // 2 future
        batch.add(event("heartbeat", movie.mediaId(), session, now.minus(Duration.ofDays(3)), 3)); // 3 too old
        batch.add(event("heartbeat", UUID.randomUUID(), session, now, 4));                   // 4 unknown media
        batch.add(event("heartbeat", movie.mediaId(), UUID.randomUUID(), now, 5));           // 5 unknown session
        batch.add(event("heartbeat", other, session, now, 6));                               // 6 another item
        Map<String, Object> badType = event("rewind", movie.mediaId(), session, now, 7);
        batch.add(badType);                                                                   // 7 malformed
        batch.add("not an object");                                                           // 8 malformed
        Map<String, Object> negative = event("heartbeat", movie.mediaId(), session, now, -1);
        batch.add(negative);                                                                  // 9 malformed
        batch.add(event("pause", movie.mediaId(), session, now.plusSeconds(1), 1));           // 10 good

        Http.Resp r = send(null, batch);
        assertEquals(200, r.status(), r.text());
        assertEquals(2, r.json().get("accepted").asInt(), r.text());
        assertEquals(Map.of(1, "malformed", 2, "in-the-future", 3, "too-old", 4, "unknown-media",
                5, "unknown-session", 6, "session-media-mismatch", 7, "malformed", 8, "malformed", 9, "malformed"),
                refused(r), r.text());
        r.json().get("refused").forEach(n -> assertTrue(n.get("detail").asText().length() > 5, n.toString()));
        assertEquals(2, stored(session));
    }

    @Test
    void aReplayedBatchIsStoredOnce() {
        UUID session = play(null, movie.mediaId());
        Instant now = TestApi.CLOCK.instant();
        List<Object> batch = List.of(event("start", movie.mediaId(), session, now, 0),
                event("heartbeat", movie.mediaId(), session, now.plusSeconds(10), 10));
        assertEquals(200, send(null, batch).status());
        Http.Resp again = send(null, batch);
        assertEquals(200, again.status(), again.text());
        assertEquals(2, again.json().get("accepted").asInt(), "a replay is acknowledged (the client may resend)");
        assertEquals(2, stored(session), "but stored once");
    }

    @Test
    void anAccountsSessionTakesEventsFromThatAccountOnly() {
        TestApi.User owner = TestApi.newUser();
        TestApi.User stranger = TestApi.newUser();
        UUID session = play(owner.accessToken(), movie.mediaId());
        Instant now = TestApi.CLOCK.instant();
        Http.Resp byStranger = send(stranger.accessToken(), List.of(event("start", movie.mediaId(), session, now, 0)));
        assertEquals(Map.of(0, "not-your-session"), refused(byStranger), byStranger.text());
        Http.Resp byGuest = send(null, List.of(event("start", movie.mediaId(), session, now, 0)));
        assertEquals(Map.of(0, "not-your-session"), refused(byGuest), byGuest.text());
        Http.Resp byOwner = send(owner.accessToken(), List.of(event("start", movie.mediaId(), session, now, 0)));
        assertEquals(1, byOwner.json().get("accepted").asInt(), byOwner.text());
        assertEquals(1, stored(session));
        http.delete("/api/v1/playback/sessions/" + session, owner.accessToken()); // frees the stream slot
    }

    @Test
    void anOversizedBatchIsRefusedBeyondItsLimitEventByEvent() {
        UUID session = play(null, movie.mediaId());
        Instant now = TestApi.CLOCK.instant();
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < Ingest.MAX_BATCH + 3; i++) {
            batch.add(event("heartbeat", movie.mediaId(), session, now.plusMillis(i), 0));
        }
        Http.Resp r = send(null, batch);
        assertEquals(200, r.status(), r.text());
        assertEquals(Ingest.MAX_BATCH, r.json().get("accepted").asInt());
        assertEquals(Map.of(500, "batch-too-large", 501, "batch-too-large", 502, "batch-too-large"), refused(r));
        assertEquals(Ingest.MAX_BATCH, stored(session));
    }

    @Test
    void aBodyWithoutAnEventsArrayIsAProblem() {
        Http.Resp r = http.post("/api/v1/playback/events", null, Map.of("event", List.of()));
        assertEquals(422, r.status(), r.text());
        assertTrue(r.header("Content-Type").startsWith("application/problem+json"), r.header("Content-Type"));
    }

    @Test
    void onlyTheClientsNetworkIsKeptNeverItsAddress() {
        UUID session = play(null, movie.mediaId());
        send(null, List.of(event("start", movie.mediaId(), session, TestApi.CLOCK.instant(), 0)));
        stored(session);
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery(
                "select client_net, device_class from analytics_sessions where session_id = :s").bind("s", session)
                .mapToMap().one());
        assertEquals("127.0.0.0/24", row.get("client_net"));
        String everything = jdbi.withHandle(h -> h.createQuery(
                "select s::text || coalesce((select string_agg(e::text, ',') from playback_events e"
                        + " where e.session_id = s.session_id), '') from analytics_sessions s where session_id = :s")
                .bind("s", session).mapTo(String.class).one());
        assertTrue(!everything.contains("127.0.0.1"), everything);
    }

    @Test
    void truncationKeepsTheNetworkOfBothFamilies() {
        assertEquals("203.0.113.0/24", Ingest.truncate("203.0.113.77"));
        assertEquals("2001:db8:85a3:0:0:0:0:0/48", Ingest.truncate("2001:db8:85a3:8d3:1319:8a2e:370:7348"));
        assertEquals(null, Ingest.truncate("example.org"), "a host name is never resolved");
        assertEquals(null, Ingest.truncate(null));
    }
}
