package dev.kino.control.playback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.secret.Secrets;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import dev.kino.protocol.token.MediaPaths;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TokenSigner;
import dev.kino.protocol.token.TokenVerifier;
import dev.kino.protocol.token.VerificationResult;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Playback authorisation, plans and progress on a real server and database. */
class PlaybackRoutesTest {
    static Jdbi jdbi;
    static KinoConfig config;
    static SharedState state;
    static Catalog catalog;
    static FeatureServer server;
    static Http http;
    static TokenVerifier verifier;
    static TestAccounts.Account admin;

    @BeforeAll
    static void start() {
        start(new InProcessSharedState());
    }

    /** Starts the server on {@code sharedState} (in process here, Redis in {@link PlaybackRoutesRedisTest}). */
    static void start(SharedState sharedState) {
        jdbi = SharedDatabase.get().jdbi();
        config = SharedDatabase.config();
        state = sharedState;
        catalog = new Catalog(jdbi, Clock.systemUTC());
        Plans plans = new Plans(jdbi, Clock.systemUTC());
        Secrets secrets = SecretStore.resolve(config);
        PlaybackService playback = new PlaybackService(catalog, plans, state.blocking(Duration.ofSeconds(5)),
                new TokenSigner(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId())),
                config.media().publicUrl(), config.tokens().ttl(), Clock.systemUTC());
        server = FeatureServer.start(config, r -> PlaybackRoutes.register(r, playback, plans, FeatureServer.access(jdbi)));
        http = server.http();
        verifier = new TokenVerifier(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId()), Duration.ofSeconds(30));
        admin = TestAccounts.admin(jdbi);
    }

    @AfterAll
    static void stop() {
        server.close();
        state.close();
    }

    /** A published movie. @return its media id */
    static UUID item(String rating, String access, String protection, boolean dash, String state) {
        UUID title = catalog.createTitle(new TitleInput("movie", "Play " + UUID.randomUUID(), null, null,
                null, null, rating, null, null, null, null));
        UUID id = catalog.createMedia(title, new MediaInput(null, null, null, "p-" + UUID.randomUUID(), List.of("720p"),
                List.of("ja"), List.of("en"), 1500, dash, protection, access, true)).id();
        jdbi.useHandle(h -> h.createUpdate("update media_items set state = :s where id = :id").bind("s", state).bind("id", id).execute());
        return id;
    }

    static Http.Resp play(String token, UUID media) {
        return http.post("/api/v1/playback", token, Map.of("mediaId", media));
    }

    static String folder(UUID media) {
        return catalog.media(media).orElseThrow().packagedTitleId();
    }

    /** @return the token inside a signed URL */
    static String token(String url) {
        String path = URI.create(url).getRawPath();
        return MediaPaths.split(path).orElseThrow().token();
    }

    @Test
    void guestPlaysAFreeItemWithATokenForThatTitleOnly() {
        UUID free = item("all", "free", "cenc", true, "published");
        Http.Resp r = play(null, free);
        assertEquals(200, r.status(), r.text());
        JsonNode g = r.json();
        String hls = g.path("hlsUrl").asText();
        String title = folder(free);
        assertTrue(hls.startsWith(config.media().publicUrl() + "/v/"), hls);
        assertTrue(hls.endsWith("/" + title + "/master.m3u8"));
        assertTrue(g.path("dashUrl").asText().endsWith("/" + title + "/manifest.mpd"));
        assertTrue(g.path("licenceUrl").asText().endsWith("/" + title + "/license/clearkey"));
        assertEquals(0, g.path("resumePositionSeconds").asInt());
        String token = token(hls);
        Instant now = Instant.now();
        VerificationResult ok = verifier.verify(token, "/" + title + "/720p/seg-1.m4s", null, now);
        assertTrue(ok.isValid(), ok.toString());
        PlaybackClaimsView claims = PlaybackClaimsView.of(ok);
        assertNull(claims.user(), "guests carry no user: they share no stream lease group");
        assertNull(claims.session());
        assertFalse(verifier.verify(token, "/" + folder(item("all", "free", "none", false, "published")) + "/master.m3u8", null, now).isValid(),
                "another title");
        assertFalse(verifier.verify(token, "/" + title + "x/master.m3u8", null, now).isValid());
        assertFalse(verifier.verify(token, "/" + title + "/master.m3u8", null, Instant.parse(g.path("expiresAt").asText()).plusSeconds(60)).isValid());

        UUID plain = item("all", "free", "aes-128", false, "published");
        JsonNode p = play(null, plain).json();
        assertTrue(p.path("dashUrl").isMissingNode());
        assertTrue(p.path("licenceUrl").isMissingNode());
    }

    record PlaybackClaimsView(String user, String session) {
        static PlaybackClaimsView of(VerificationResult r) {
            var c = ((VerificationResult.Valid) r).claims();
            return new PlaybackClaimsView(c.userId().orElse(null), c.sessionId().orElse(null));
        }
    }

    @Test
    void entitlementChecks() {
        UUID unpublished = item("all", "free", "aes-128", false, "ready");
        UUID taken = item("all", "free", "aes-128", false, "taken_down");
        UUID subscription = item("13+", "subscription", "aes-128", false, "published");
        UUID registered = item("all", "registered", "aes-128", false, "published");
        UUID adult = item("18+", "free", "aes-128", false, "published");
        UUID teen = item("13+", "free", "aes-128", false, "published");
        String user = TestAccounts.user(jdbi).token();
        String kid = TestAccounts.create(jdbi, null, "kids").token();

        assertEquals(404, play(user, unpublished).status());
        assertEquals(404, play(null, taken).status());
        assertEquals(404, play(user, UUID.randomUUID()).status());
        assertEquals(200, play(admin.token(), unpublished).status(), "admins preview ready items");
        assertEquals(401, play(null, subscription).status());
        assertEquals(401, play(null, registered).status());
        assertEquals(403, play(null, adult).status(), "guests see up to 13+");
        assertEquals(200, play(null, teen).status());
        assertEquals(403, play(kid, teen).status(), "maturity");
        Http.Resp noPlan = play(user, subscription);
        assertEquals(403, noPlan.status());
        assertTrue(noPlan.json().path("detail").asText().contains("subscription"));
        assertEquals(200, play(TestAccounts.user(jdbi).token(), registered).status());
        assertEquals(200, play(TestAccounts.user(jdbi).token(), adult).status());
        assertEquals(401, play("bogus", teen).status());
        assertEquals(422, http.post("/api/v1/playback", user, Map.of()).status());
    }

    @Test
    void plansAndTheConcurrentStreamLimit() {
        UUID item = item("all", "subscription", "aes-128", false, "published");
        TestAccounts.Account u = TestAccounts.user(jdbi);
        String name = "Duo " + UUID.randomUUID();
        Map<String, Object> plan = Map.of("name", name, "concurrentStreams", 2, "maxResolution", 1080, "priceMinor", 999, "currency", "EUR");
        assertEquals(403, http.post("/api/v1/admin/plans", u.token(), plan).status());
        Http.Resp created = http.post("/api/v1/admin/plans", admin.token(), plan);
        assertEquals(201, created.status(), created.text());
        assertEquals(409, http.post("/api/v1/admin/plans", admin.token(), plan).status());
        assertEquals(422, http.post("/api/v1/admin/plans", admin.token(), Map.of("name", "x", "currency", "euro")).status());
        String planId = created.json().path("id").asText();
        assertTrue(http.get("/api/v1/plans", null).text().contains(name));

        assertEquals(403, http.send(http.builder("/api/v1/admin/users/" + u.id() + "/plan", u.token())
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"planId\":\"" + planId + "\"}"))).status());
        assertEquals(404, put("/api/v1/admin/users/" + UUID.randomUUID() + "/plan", Map.of("planId", planId)).status());
        assertEquals(404, put("/api/v1/admin/users/" + u.id() + "/plan", Map.of("planId", UUID.randomUUID())).status());
        // an expired period does not count
        assertEquals(200, put("/api/v1/admin/users/" + u.id() + "/plan", Map.of("planId", planId, "currentPeriodEnd", "2000-01-01T00:00:00Z")).status());
        assertEquals(403, play(u.token(), item).status());
        Http.Resp assigned = put("/api/v1/admin/users/" + u.id() + "/plan", Map.of("planId", planId));
        assertEquals(200, assigned.status(), assigned.text());
        assertEquals("active", assigned.json().path("status").asText());

        Http.Resp one = play(u.token(), item);
        assertEquals(200, one.status(), one.text());
        assertEquals(1080, one.json().path("maxResolution").asInt());
        // the token carries the plan: the origin lists and serves nothing above 1080p, and no offline licence
        var claims = ((VerificationResult.Valid) verifier.verify(token(one.json().path("hlsUrl").asText()),
                "/" + folder(item) + "/master.m3u8", null, Instant.now())).claims();
        assertEquals(1080, claims.maxHeight().getAsInt());
        assertFalse(claims.offline());
        assertEquals(200, play(u.token(), item).status());
        Http.Resp third = play(u.token(), item);
        assertEquals(429, third.status(), third.text());
        assertTrue(third.header("Retry-After") != null);
        // another account cannot stop this account's session
        String session = one.json().path("sessionId").asText();
        assertEquals(404, http.delete("/api/v1/playback/sessions/" + session, TestAccounts.user(jdbi).token()).status());
        assertEquals(204, http.delete("/api/v1/playback/sessions/" + session, u.token()).status());
        assertEquals(200, play(u.token(), item).status());

        assertEquals(204, http.delete("/api/v1/admin/users/" + u.id() + "/plan", admin.token()).status());
        assertEquals(404, http.delete("/api/v1/admin/users/" + u.id() + "/plan", admin.token()).status());
        assertEquals(403, play(u.token(), item).status());
    }

    @Test
    void aPlanThatAllowsOfflineViewingPutsItInTheToken() {
        UUID item = item("all", "subscription", "cenc", true, "published");
        TestAccounts.Account u = TestAccounts.user(jdbi);
        Http.Resp created = http.post("/api/v1/admin/plans", admin.token(), Map.of("name", "Offline " + UUID.randomUUID(),
                "concurrentStreams", 1, "maxResolution", 240, "priceMinor", 0, "currency", "EUR", "offline", true));
        assertEquals(201, created.status(), created.text());
        assertTrue(created.json().path("offline").asBoolean());
        assertEquals(200, put("/api/v1/admin/users/" + u.id() + "/plan",
                Map.of("planId", created.json().path("id").asText())).status());
        Http.Resp grant = play(u.token(), item);
        assertEquals(200, grant.status(), grant.text());
        var claims = ((VerificationResult.Valid) verifier.verify(token(grant.json().path("hlsUrl").asText()),
                "/" + folder(item) + "/master.m3u8", null, Instant.now())).claims();
        assertEquals(240, claims.maxHeight().getAsInt());
        assertTrue(claims.offline());
    }

    @Test
    void progressIsUsedForResume() {
        UUID item = item("all", "registered", "aes-128", false, "published");
        TestAccounts.Account u = TestAccounts.user(jdbi);
        assertEquals(0, play(u.token(), item).json().path("resumePositionSeconds").asInt());
        assertEquals(204, put("/api/v1/playback/progress", u.token(), Map.of("mediaId", item, "positionSeconds", 754)).status());
        assertEquals(204, put("/api/v1/playback/progress", u.token(), Map.of("mediaId", item, "positionSeconds", 99_999)).status());
        assertEquals(1500, new Plans(jdbi, Clock.systemUTC()).resumePosition(TestAccounts.primaryProfile(jdbi, u.id()), item), "clamped to the duration");
        assertEquals(204, put("/api/v1/playback/progress", u.token(), Map.of("mediaId", item, "positionSeconds", 754)).status());
        assertEquals(404, put("/api/v1/playback/progress", u.token(), Map.of("mediaId", UUID.randomUUID(), "positionSeconds", 1)).status());
        assertEquals(422, put("/api/v1/playback/progress", u.token(), Map.of("mediaId", item, "positionSeconds", -1)).status());
        assertEquals(401, put("/api/v1/playback/progress", null, Map.of("mediaId", item, "positionSeconds", 1)).status());
        TestAccounts.Account fresh = TestAccounts.user(jdbi);
        assertEquals(204, put("/api/v1/playback/progress", fresh.token(), Map.of("mediaId", item, "positionSeconds", 754)).status());
        assertEquals(754, play(fresh.token(), item).json().path("resumePositionSeconds").asInt());
    }

    static Http.Resp put(String path, Map<String, Object> body) {
        return put(path, admin.token(), body);
    }

    static Http.Resp put(String path, String token, Map<String, Object> body) {
        return http.send(http.builder(path, token).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(dev.kino.control.http.Json.MAPPER.valueToTree(body).toString())));
    }
}
