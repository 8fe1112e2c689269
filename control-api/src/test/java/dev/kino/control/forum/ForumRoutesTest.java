package dev.kino.control.forum;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forum through the whole API: categories, threads, posts, read positions, follows, who may do what. */
class ForumRoutesTest {
    final TestApi.Node api = TestApi.inProcess();
    final Http http = api.http();

    Http.Resp put(String path, String token, String json) {
        return http.send(http.builder(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Http.Resp post(String path, TestApi.User u, Map<String, Object> body) {
        api.resetRateLimit("limit:posts:" + u.id());
        api.resetRateLimit("limit:posts-hourly:" + u.id());
        return http.post(path, u.accessToken(), body);
    }

    String category(TestApi.User admin) {
        String slug = "c-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Resp r = http.post("/api/v1/forum/categories", admin.accessToken(),
                Map.of("slug", slug, "name", "General " + slug, "description", "Anything"));
        assertEquals(201, r.status(), r.text());
        return r.json().get("id").asText();
    }

    @Test
    void categoriesAreManagedByAdminsOnly() {
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestApi.User user = api.newUser();
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        String id = category(admin);
        JsonNode list = http.get("/api/v1/forum/categories", null).json();
        assertTrue(list.toString().contains(id));
        assertTrue(list.toString().contains("\"slug\":\"titles\""), "the titles' category exists");
        Map<String, Object> c = Map.of("slug", "user-made", "name", "Mine");
        assertEquals(403, http.post("/api/v1/forum/categories", user.accessToken(), c).status());
        assertEquals(403, http.post("/api/v1/forum/categories", mod.accessToken(), c).status());
        assertEquals(403, http.delete("/api/v1/forum/categories/" + id, mod.accessToken()).status());
        String slug = list.get(0).get("slug").asText();
        assertEquals(409, http.post("/api/v1/forum/categories", admin.accessToken(), Map.of("slug", slug, "name", "x"))
                .status());
        assertEquals(422, http.post("/api/v1/forum/categories", admin.accessToken(), Map.of("slug", "Not A Slug",
                "name", "")).status());
        assertEquals(200, put("/api/v1/forum/categories/" + id, admin.accessToken(),
                "{\"slug\":\"renamed-" + id.substring(0, 8) + "\",\"name\":\"Renamed\"}").status());
        assertEquals(409, http.delete("/api/v1/forum/categories/00000000-0000-4000-8000-000000000001",
                admin.accessToken()).status());
        assertEquals(204, http.delete("/api/v1/forum/categories/" + id, admin.accessToken()).status());
        assertEquals(404, http.get("/api/v1/forum/categories/" + id + "/threads", null).status());
    }

    @Test
    void threadsPostsQuotesReadPositionsAndFollows() {
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        String cat = category(admin);
        Http.Resp opened = post("/api/v1/forum/categories/" + cat + "/threads", a,
                Map.of("subject", "Best opening?", "body", "Discuss."));
        assertEquals(201, opened.status(), opened.text());
        String thread = opened.json().get("id").asText();
        assertTrue(opened.json().get("following").asBoolean(), "the author follows their thread");
        String first = http.get("/api/v1/forum/threads/" + thread + "/posts", null).json().get("items").get(0)
                .get("id").asText();
        for (int i = 0; i < 4; i++) {
            assertEquals(201, post("/api/v1/forum/threads/" + thread + "/posts", b,
                    Map.of("body", "reply " + i, "quoteId", first)).status());
        }
        List<Long> seqs = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = http.get("/api/v1/forum/threads/" + thread + "/posts?limit=2" + (next == null ? ""
                    : "&cursor=" + next), null).json();
            page.get("items").forEach(p -> seqs.add(p.get("seq").asLong()));
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (next != null);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs);
        // a reads up to post 3: two unread; b's own posts are unread to a until then
        assertEquals(5, http.get("/api/v1/forum/threads/" + thread, a.accessToken()).json().get("unread").asLong());
        assertEquals(2, put("/api/v1/forum/threads/" + thread + "/read", a.accessToken(), "{\"seq\":3}").json()
                .get("unread").asLong());
        assertEquals(2, put("/api/v1/forum/threads/" + thread + "/read", a.accessToken(), "{\"seq\":1}").json()
                .get("unread").asLong(), "a position never moves back");
        assertEquals(204, put("/api/v1/forum/threads/" + thread + "/follow", b.accessToken(), "").status());
        assertTrue(http.get("/api/v1/forum/threads/" + thread, b.accessToken()).json().get("following").asBoolean());
        assertEquals(204, http.delete("/api/v1/forum/threads/" + thread + "/follow", b.accessToken()).status());
        assertFalse(http.get("/api/v1/forum/threads/" + thread, b.accessToken()).json().get("following").asBoolean());
        // quoting a post of another thread
        String other = post("/api/v1/forum/categories/" + cat + "/threads", a, Map.of("subject", "Other", "body", "x"))
                .json().get("id").asText();
        assertEquals(422, post("/api/v1/forum/threads/" + other + "/posts", b, Map.of("body", "q", "quoteId", first)).status());
    }

    @Test
    void moderatorsPinAndLockAndEveryRouteChecksWho() {
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        String cat = category(admin);
        String older = post("/api/v1/forum/categories/" + cat + "/threads", a, Map.of("subject", "Older", "body", "x"))
                .json().get("id").asText();
        TestApi.CLOCK.advance(java.time.Duration.ofSeconds(1));
        String newer = post("/api/v1/forum/categories/" + cat + "/threads", a, Map.of("subject", "Newer", "body", "x"))
                .json().get("id").asText();
        assertEquals(403, http.patch("/api/v1/forum/threads/" + older, a.accessToken(), Map.of("pinned", true)).status());
        assertEquals(200, http.patch("/api/v1/forum/threads/" + older, mod.accessToken(), Map.of("pinned", true)).status());
        JsonNode threads = http.get("/api/v1/forum/categories/" + cat + "/threads", null).json().get("items");
        assertEquals(older, threads.get(0).get("id").asText(), "pinned first");
        assertEquals(newer, threads.get(1).get("id").asText());
        assertEquals(200, http.patch("/api/v1/forum/threads/" + newer, mod.accessToken(), Map.of("locked", true)).status());
        assertEquals(409, post("/api/v1/forum/threads/" + newer + "/posts", b, Map.of("body", "locked out")).status());
        // posts: only the author edits; the author or a moderator deletes; nobody else
        String p = post("/api/v1/forum/threads/" + older + "/posts", b, Map.of("body", "mine")).json().get("id").asText();
        assertEquals(403, http.patch("/api/v1/forum/posts/" + p, a.accessToken(), Map.of("body", "theirs")).status());
        assertEquals(200, http.patch("/api/v1/forum/posts/" + p, b.accessToken(), Map.of("body", "mine, edited")).status());
        assertEquals(403, http.delete("/api/v1/forum/posts/" + p, a.accessToken()).status());
        assertEquals(204, http.delete("/api/v1/forum/posts/" + p, mod.accessToken()).status());
        JsonNode gone = http.get("/api/v1/forum/threads/" + older + "/posts", null).json().get("items").get(1);
        assertEquals("deleted", gone.get("state").asText());
        assertFalse(gone.has("body"));
        String adminPost = post("/api/v1/forum/threads/" + older + "/posts", admin, Map.of("body", "admin")).json()
                .get("id").asText();
        assertEquals(403, http.delete("/api/v1/forum/posts/" + adminPost, mod.accessToken()).status());
        // reactions on posts
        assertEquals(1, put("/api/v1/forum/posts/" + adminPost + "/reaction", a.accessToken(), "{\"value\":\"like\"}")
                .json().get("likes").asInt());
        assertEquals(401, http.post("/api/v1/forum/threads/" + older + "/posts", null, Map.of("body", "guest")).status());
    }

    @Test
    void everyTitleAndEpisodeGetsOneThreadOnFirstUse() throws Exception {
        TestCatalog.Item t = TestCatalog.published("Discussed");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(pool.submit(() -> http.get("/api/v1/titles/" + t.titleId() + "/thread", null).json().get("id").asText()));
        }
        pool.shutdown();
        String id = ids.get(0).get();
        for (Future<String> f : ids) {
            assertEquals(id, f.get(), "one thread, even on a concurrent first use");
        }
        JsonNode episode = http.get("/api/v1/media/" + t.mediaId() + "/thread", null).json();
        assertFalse(episode.get("id").asText().equals(id));
        assertEquals(t.mediaId().toString(), episode.get("mediaId").asText());
        TestApi.User a = api.newUser();
        assertEquals(201, post("/api/v1/forum/threads/" + id + "/posts", a, Map.of("body", "Great film")).status());
        TestCatalog.Item hidden = TestCatalog.item("Hidden", "ready");
        assertEquals(404, http.get("/api/v1/titles/" + hidden.titleId() + "/thread", null).status());
    }
}
