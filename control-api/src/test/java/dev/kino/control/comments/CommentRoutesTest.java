package dev.kino.control.comments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Comments through the whole API against the real PostgreSQL: threads, orders, edits, deletes, who may do what. */
class CommentRoutesTest {
    final TestApi.Node api = node();
    final Http http = api.http();

    TestApi.Node node() {
        return TestApi.inProcess();
    }

    Http.Resp post(String path, TestApi.User u, Map<String, Object> body) {
        api.resetRateLimit("limit:comments:" + u.id());
        api.resetRateLimit("limit:comments-hourly:" + u.id());
        return http.post(path, u.accessToken(), body);
    }

    Http.Resp patch(String path, TestApi.User u, Map<String, Object> body) {
        return http.patch(path, u.accessToken(), body);
    }

    static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void threadsOnTitlesAndEpisodesWithRepliesQuotesMentionsAndPositions() {
        TestCatalog.Item t = TestCatalog.published("Commented");
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        Http.Resp top = post("/api/v1/media/" + t.mediaId() + "/comments", a,
                body("body", "The reveal at 12:34 and again at 1:02:03, @" + b.username() + "!", "spoiler", true));
        assertEquals(201, top.status(), top.text());
        JsonNode c = top.json();
        assertEquals(t.titleId().toString(), c.get("titleId").asText());
        assertEquals(t.mediaId().toString(), c.get("mediaId").asText());
        assertTrue(c.get("spoiler").asBoolean());
        assertEquals("[754,3723]", c.get("positions").toString());
        assertEquals("[\"" + b.username() + "\"]", c.get("mentions").toString());
        assertEquals(a.username(), c.get("author").get("username").asText());
        assertEquals("/api/v1/comments/" + c.get("id").asText(), top.header("location"));
        String topId = c.get("id").asText();

        Http.Resp reply = post("/api/v1/media/" + t.mediaId() + "/comments", b, body("body", "Agreed", "parentId", topId));
        assertEquals(201, reply.status(), reply.text());
        String replyId = reply.json().get("id").asText();
        // a reply to a reply joins the thread and quotes it (a moment later: the test clock does not move by itself)
        TestApi.CLOCK.advance(Duration.ofMillis(5));
        Http.Resp nested = post("/api/v1/media/" + t.mediaId() + "/comments", a, body("body", "Me too", "parentId", replyId));
        assertEquals(topId, nested.json().get("parentId").asText());
        assertEquals(replyId, nested.json().get("quoteId").asText());
        // the thread: one top-level comment with two replies, replies oldest first
        JsonNode list = http.get("/api/v1/media/" + t.mediaId() + "/comments", null).json();
        assertEquals(1, list.get("items").size());
        assertEquals(2, list.get("items").get(0).get("replyCount").asInt());
        JsonNode replies = http.get("/api/v1/comments/" + topId + "/replies", null).json().get("items");
        assertEquals(replyId, replies.get(0).get("id").asText());
        // the episode's comments are not the title's
        assertEquals(0, http.get("/api/v1/titles/" + t.titleId() + "/comments", null).json().get("items").size());
        JsonNode counts = http.get("/api/v1/titles/" + t.titleId() + "/comment-counts", null).json();
        assertEquals(0, counts.get("title").asInt());
        assertEquals(3, counts.get("episodes").get(t.mediaId().toString()).asInt());
        // quoting outside the thread, replying elsewhere, empty and over-long bodies
        Http.Resp other = post("/api/v1/titles/" + t.titleId() + "/comments", a, body("body", "On the film"));
        assertEquals(201, other.status());
        assertEquals(422, post("/api/v1/media/" + t.mediaId() + "/comments", b,
                body("body", "x", "parentId", topId, "quoteId", other.json().get("id").asText())).status());
        assertEquals(422, post("/api/v1/titles/" + t.titleId() + "/comments", b, body("body", "x", "parentId", topId)).status());
        assertEquals(422, post("/api/v1/titles/" + t.titleId() + "/comments", b, body("body", "   ")).status());
        assertEquals(422, post("/api/v1/titles/" + t.titleId() + "/comments", b,
                body("body", "x".repeat(Comments.MAX_BODY + 1))).status());
        assertEquals(401, http.post("/api/v1/titles/" + t.titleId() + "/comments", null, body("body", "guest")).status());
    }

    @Test
    void hiddenTitlesHaveNoComments() {
        TestCatalog.Item draft = TestCatalog.item("Draft", "ready");
        TestApi.User a = api.newUser();
        assertEquals(404, http.get("/api/v1/titles/" + draft.titleId() + "/comments", null).status());
        assertEquals(404, post("/api/v1/titles/" + draft.titleId() + "/comments", a, body("body", "early")).status());
        assertEquals(404, post("/api/v1/media/" + draft.mediaId() + "/comments", a, body("body", "early")).status());
    }

    @Test
    void newestAndTopOrdersPageWithCursors() {
        TestCatalog.Item t = TestCatalog.published("Ordered");
        TestApi.User a = api.newUser();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestApi.CLOCK.advance(Duration.ofSeconds(1));
            ids.add(post("/api/v1/titles/" + t.titleId() + "/comments", a, body("body", "c" + i)).json().get("id").asText());
        }
        List<String> newest = all("/api/v1/titles/" + t.titleId() + "/comments?limit=2");
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0)), newest);
        // three likes on the oldest put it on top; a dislike sinks another below the rest
        for (int i = 0; i < 3; i++) {
            assertEquals(200, react(ids.get(0), api.newUser(), "like").status());
        }
        react(ids.get(3), api.newUser(), "dislike"); // log10(1) = 0: one vote either way moves nothing, two do
        react(ids.get(3), api.newUser(), "dislike");
        List<String> top = all("/api/v1/titles/" + t.titleId() + "/comments?sort=top&limit=2");
        assertEquals(ids.get(0), top.get(0), "liked first");
        assertEquals(ids.get(3), top.get(4), "disliked last");
        JsonNode c = http.get("/api/v1/comments/" + ids.get(0), null).json();
        assertEquals(3, c.get("reactions").get("likes").asInt());
        assertEquals(422, http.get("/api/v1/titles/" + t.titleId() + "/comments?sort=best", null).status());
        Http.Resp crossed = http.get("/api/v1/titles/" + t.titleId() + "/comments?sort=top&cursor="
                + http.get("/api/v1/titles/" + t.titleId() + "/comments?limit=1", null).json().get("next").asText(), null);
        assertEquals(400, crossed.status(), "a newest cursor does not page the top order");
    }

    @Test
    void editsWithinTheWindowKeepRevisionsForModerators() {
        TestCatalog.Item t = TestCatalog.published("Edited");
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        String id = post("/api/v1/titles/" + t.titleId() + "/comments", a, body("body", "frist")).json().get("id").asText();
        String path = "/api/v1/comments/" + id;
        Http.Resp edited = patch(path, a, body("body", "first"));
        assertEquals(200, edited.status(), edited.text());
        assertEquals("first", edited.json().get("body").asText());
        assertTrue(edited.json().hasNonNull("editedAt"), "edited marker");
        assertEquals(403, patch(path, b, body("body", "vandalised")).status(), "not the author");
        assertEquals(403, patch(path, mod, body("body", "moderated")).status(), "moderators do not rewrite");
        Http.Resp flagged = patch(path, mod, body("spoiler", true));
        assertEquals(200, flagged.status(), flagged.text());
        assertTrue(flagged.json().get("spoiler").asBoolean());
        assertEquals(403, http.get(path + "/revisions", a.accessToken()).status());
        JsonNode revisions = http.get(path + "/revisions", mod.accessToken()).json();
        assertEquals("frist", revisions.get(0).get("body").asText());
        assertEquals(2, revisions.size());
        api.elapse(Comments.EDIT_WINDOW.plusMinutes(1));
        String fresh = api.login(a.username(), a.password()).json().get("accessToken").asText();
        Http.Resp late = http.patch(path, fresh, body("body", "too late"));
        assertEquals(403, late.status(), late.text());
        assertTrue(late.text().contains("15 minutes"), late.text());
    }

    @Test
    void deletingLeavesATombstoneOnlyWhileThereAreReplies() {
        TestCatalog.Item t = TestCatalog.published("Deleted");
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        String top = post("/api/v1/titles/" + t.titleId() + "/comments", a, body("body", "thread")).json().get("id").asText();
        String reply = post("/api/v1/titles/" + t.titleId() + "/comments", b, body("body", "reply", "parentId", top))
                .json().get("id").asText();
        assertEquals(403, http.delete("/api/v1/comments/" + top, b.accessToken()).status(), "not the author");
        assertEquals(204, http.delete("/api/v1/comments/" + top, a.accessToken()).status());
        JsonNode tomb = http.get("/api/v1/comments/" + top, null).json();
        assertEquals("deleted", tomb.get("state").asText());
        assertNull(tomb.get("body"));
        assertNull(tomb.get("author"));
        assertEquals(1, http.get("/api/v1/titles/" + t.titleId() + "/comments", null).json().get("items").size());
        assertEquals(204, http.delete("/api/v1/comments/" + reply, mod.accessToken()).status(), "a moderator deletes");
        assertEquals(404, http.get("/api/v1/comments/" + reply, null).status());
        assertEquals(404, http.get("/api/v1/comments/" + top, null).status(), "the empty tombstone went with it");
        String admins = post("/api/v1/titles/" + t.titleId() + "/comments", admin, body("body", "from the admin"))
                .json().get("id").asText();
        assertEquals(403, http.delete("/api/v1/comments/" + admins, mod.accessToken()).status(),
                "moderators cannot act on admins");
        assertEquals(403, patch("/api/v1/comments/" + admins, mod, body("spoiler", true)).status());
        assertEquals(0, http.get("/api/v1/titles/" + t.titleId() + "/comment-counts", null).json().get("title").asInt() - 1);
    }

    @Test
    void textIsStoredAsWrittenAndReturnedAsJsonText() {
        TestCatalog.Item t = TestCatalog.published("Hostile text");
        TestApi.User a = api.newUser();
        for (String xss : XssCorpus.PAYLOADS) {
            Http.Resp r = post("/api/v1/titles/" + t.titleId() + "/comments", a, body("body", xss));
            assertEquals(201, r.status(), xss + " → " + r.text());
            assertEquals("application/json", r.header("content-type"));
            assertEquals(xss.strip(), http.get("/api/v1/comments/" + r.json().get("id").asText(), null).json()
                    .get("body").asText(), "stored and returned exactly");
        }
    }

    @Test
    void aFloodOfCommentsIs429() {
        TestCatalog.Item t = TestCatalog.published("Flood");
        TestApi.User bot = api.newUser();
        api.resetRateLimit("limit:comments:" + bot.id());
        Http.Resp last = null;
        for (int i = 0; i <= Comments.PER_MINUTE.max(); i++) {
            last = http.post("/api/v1/titles/" + t.titleId() + "/comments", bot.accessToken(), body("body", "spam " + i));
        }
        assertEquals(429, last.status());
        assertFalse(last.header("retry-after").isEmpty());
    }

    Http.Resp react(String commentId, TestApi.User u, String value) {
        return http.send(http.builder("/api/v1/comments/" + commentId + "/reaction", u.accessToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\"}")));
    }

    List<String> all(String first) {
        List<String> out = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = http.get(first + (next == null ? "" : "&cursor=" + next), null).json();
            page.get("items").forEach(i -> out.add(i.get("id").asText()));
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (next != null);
        return out;
    }

    @SuppressWarnings("unused")
    private static UUID id(Http.Resp r) {
        return UUID.fromString(r.json().get("id").asText());
    }
}
