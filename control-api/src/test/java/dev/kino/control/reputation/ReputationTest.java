package dev.kino.control.reputation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reputation through the API: likes earn it, a daily cap bounds it, moderation takes it back, levels gate links. */
class ReputationTest {
    final TestApi.Node api = TestApi.inProcess();
    final Http http = api.http();

    String comment(TestApi.User u, String title, String body) {
        api.resetRateLimit("limit:comments:" + u.id());
        api.resetRateLimit("limit:comments-hourly:" + u.id());
        Http.Resp r = http.post("/api/v1/titles/" + title + "/comments", u.accessToken(), Map.of("body", body));
        assertEquals(201, r.status(), r.text());
        return r.json().get("id").asText();
    }

    void like(TestApi.User u, String comment, boolean on) {
        var b = http.builder("/api/v1/comments/" + comment + "/reaction", u.accessToken());
        Http.Resp r = http.send(on ? b.header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"like\"}")) : b.DELETE());
        assertEquals(200, r.status(), r.text());
    }

    int points(TestApi.User u) {
        return http.get("/api/v1/me/reputation", u.accessToken()).json().get("standing").get("points").asInt();
    }

    @Test
    void likesFromOthersEarnPointsWithALedgerAndTheyComeBackOut() {
        String title = TestCatalog.published("Reputed").titleId().toString();
        TestApi.User author = api.newUser();
        String c = comment(author, title, "A thought");
        like(author, c, true);
        assertEquals(0, points(author), "liking one's own comment earns nothing");
        TestApi.User fan = api.newUser();
        like(fan, c, true);
        assertEquals(Reputation.LIKE, points(author));
        like(fan, c, false);
        assertEquals(0, points(author), "a withdrawn like takes its points back");
        like(fan, c, true);
        JsonNode me = http.get("/api/v1/me/reputation", author.accessToken()).json();
        assertEquals(3, me.get("ledger").size(), "every change is a ledger row: " + me);
        assertEquals("Newcomer", me.get("standing").get("level").get("name").asText());
        JsonNode view = http.get("/api/v1/comments/" + c, null).json();
        assertEquals(Reputation.LIKE, view.get("authorReputation").asInt(), "shown next to the comment");
        // the ledger and the total agree
        int sum = SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                "select coalesce(sum(points), 0) from reputation_ledger where account_id = :a").bind("a", author.id())
                .mapTo(Integer.class).one());
        assertEquals(points(author), sum);
    }

    @Test
    void concurrentVotersOnOneCommentKeepCountsScoreAndReputationExact() throws Exception {
        String title = TestCatalog.published("Stampede").titleId().toString();
        TestApi.User author = api.newUser();
        String c = comment(author, title, "Vote on me");
        int voters = 24; // 24 likes = 48 points, under the daily cap
        java.util.List<TestApi.User> users = new java.util.ArrayList<>();
        for (int i = 0; i < voters; i++) {
            users.add(api.newUser());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(voters);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (TestApi.User u : users) {
                done.add(pool.submit(() -> {
                    go.await();
                    like(u, c, true);
                    return null;
                }));
            }
            go.countDown();
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        // the counts, the score ("top" order) and the author's points all agree
        assertEquals(voters, http.get("/api/v1/comments/" + c, null).json().get("reactions").get("likes").asInt());
        assertEquals(voters * Reputation.LIKE, points(author));
        int score = SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                "select score from comments where id = cast(:id as uuid)").bind("id", c).mapTo(Integer.class).one());
        assertEquals(voters, score);
        assertEquals(voters, http.get("/api/v1/comments/" + c, null).json().get("reactions").get("likes").asInt());
    }

    @Test
    void aDailyCapBoundsWhatLikesEarn() {
        String title = TestCatalog.published("Popular").titleId().toString();
        TestApi.User author = api.newUser();
        String c = comment(author, title, "Crowd pleaser");
        int fans = Reputation.DAILY_CAP / Reputation.LIKE + 5;
        for (int i = 0; i < fans; i++) {
            like(api.newUser(), c, true);
        }
        assertEquals(Reputation.DAILY_CAP, points(author));
    }

    @Test
    void newcomersPostNoLinksUntilTheirLevelAllowsIt() {
        String title = TestCatalog.published("Linked").titleId().toString();
        TestApi.User newcomer = api.newUser();
        api.resetRateLimit("limit:comments:" + newcomer.id());
        Http.Resp refused = http.post("/api/v1/titles/" + title + "/comments", newcomer.accessToken(),
                Map.of("body", "buy now at https://spam.example"));
        assertEquals(422, refused.status(), refused.text());
        assertTrue(refused.text().contains("Member"), refused.text());
        String c = comment(newcomer, title, "Honest review");
        for (int i = 0; i < 5; i++) {
            like(api.newUser(), c, true); // 10 points: Member
        }
        assertEquals("Member", http.get("/api/v1/me/reputation", newcomer.accessToken()).json().get("standing")
                .get("level").get("name").asText());
        comment(newcomer, title, "More at https://example.org/review");
    }

    @Test
    void anUpheldReportTakesBackWhatTheContentEarnedAndRewardsTheReporter() {
        String title = TestCatalog.published("Reported").titleId().toString();
        TestApi.User author = api.newUser();
        TestApi.User reporter = api.newUser();
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        String c = comment(author, title, "Rude remark");
        like(api.newUser(), c, true);
        assertEquals(Reputation.LIKE, points(author));
        assertEquals(201, http.post("/api/v1/reports", reporter.accessToken(), Map.of("targetType", "comment",
                "targetId", c, "reason", "abuse")).status());
        JsonNode queue = http.get("/api/v1/moderation/reports?limit=100", mod.accessToken()).json().get("items");
        String caseId = null;
        for (JsonNode e : queue) {
            if (e.get("targetId").asText().equals(c)) {
                caseId = e.get("id").asText();
            }
        }
        assertEquals(200, http.post("/api/v1/moderation/reports/" + caseId + "/actions", mod.accessToken(),
                Map.of("action", "hide", "reason", "abuse")).status());
        assertEquals(Reputation.UPHELD_AGAINST, points(author), "the like's points taken back, and the penalty");
        assertEquals(Reputation.UPHELD_REPORT, points(reporter));
    }

    @Test
    void publicProfilesShowReputationCommentsAndRatingsOnlyIfAllowed() {
        String title = TestCatalog.published("Profiled").titleId().toString();
        TestApi.User u = api.newUser();
        comment(u, title, "My favourite");
        http.send(http.builder("/api/v1/titles/" + title + "/rating", u.accessToken()).header("Content-Type",
                "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"score\":9}")));
        JsonNode p = http.get("/api/v1/users/" + u.username(), null).json();
        assertEquals(u.username(), p.get("username").asText());
        assertEquals("My favourite", p.get("recentComments").get(0).get("body").asText());
        assertNull(p.get("ratings"), "ratings are private by default");
        assertEquals(200, http.patch("/api/v1/me", u.accessToken(), Map.of("showActivity", true)).status());
        p = http.get("/api/v1/users/" + u.username(), null).json();
        assertEquals(9, p.get("ratings").get(0).get("score").asInt());
        assertTrue(p.get("ratings").get(0).get("titleName").asText().startsWith("Profiled"));
        assertEquals(0, p.get("watched").size());
        assertEquals(404, http.get("/api/v1/users/no-such-" + u.username(), null).status());
        assertTrue(http.get("/api/v1/reputation/leaders", null).status() == 200);
    }

    void progress(TestApi.User u, java.util.UUID media, int position) {
        assertEquals(204, http.send(http.builder("/api/v1/playback/progress", u.accessToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"mediaId\":\"" + media + "\",\"positionSeconds\":" + position + "}"))).status());
    }

    @Test
    void watchingAnItemThroughEarnsOnceAndOnlyAfterPlayingForAboutItsLength() {
        TestCatalog.Item film = TestCatalog.published("Watched through"); // 600 s long
        TestApi.User viewer = api.newUser();
        progress(viewer, film.mediaId(), 0);
        progress(viewer, film.mediaId(), 580);
        assertEquals(0, points(viewer), "claimed at once: not watched");
        TestApi.CLOCK.advance(java.time.Duration.ofSeconds(300)); // 2x speed at most
        progress(viewer, film.mediaId(), 540);
        assertEquals(Reputation.WATCHED_THROUGH, points(viewer));
        progress(viewer, film.mediaId(), 600);
        TestApi.CLOCK.advance(java.time.Duration.ofSeconds(60));
        progress(viewer, film.mediaId(), 600);
        assertEquals(Reputation.WATCHED_THROUGH, points(viewer), "once per item");
        JsonNode ledger = http.get("/api/v1/me/reputation", viewer.accessToken()).json().get("ledger");
        assertEquals("watched a film through", ledger.get(0).get("reason").asText());

        // the profile shows it when the viewer allows it, and never an unpublished title
        TestCatalog.Item draft = TestCatalog.item("Secret draft", "ready");
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("insert into playback_progress (account_id, media_id,"
                        + " position_seconds, updated_at, started_at) values (:a, :m, 10, now(), now())")
                .bind("a", viewer.id()).bind("m", draft.mediaId()).execute());
        assertNull(http.get("/api/v1/users/" + viewer.username(), null).json().get("watched"), "private by default");
        assertEquals(200, http.patch("/api/v1/me", viewer.accessToken(), Map.of("showActivity", true)).status());
        JsonNode watched = http.get("/api/v1/users/" + viewer.username(), null).json().get("watched");
        assertEquals(1, watched.size(), watched.toString());
        assertEquals(film.mediaId().toString(), watched.get(0).get("mediaId").asText());
        assertTrue(watched.get(0).get("watchedThrough").asBoolean());
    }
}
