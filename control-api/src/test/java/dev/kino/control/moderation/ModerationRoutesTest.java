package dev.kino.control.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reports make one queue entry per object; moderators act, everyone sees the outcome, the audit log keeps it. */
class ModerationRoutesTest {
    final TestApi.Node api = TestApi.inProcess();
    final Http http = api.http();

    String comment(TestApi.User author, UUID title, String body) {
        api.resetRateLimit("limit:comments:" + author.id());
        api.resetRateLimit("limit:comments-hourly:" + author.id());
        Http.Resp r = http.post("/api/v1/titles/" + title + "/comments", author.accessToken(), Map.of("body", body));
        assertEquals(201, r.status(), r.text());
        return r.json().get("id").asText();
    }

    Http.Resp report(TestApi.User who, String type, String id, String reason, String note) {
        Map<String, Object> body = note == null ? Map.of("targetType", type, "targetId", id, "reason", reason)
                : Map.of("targetType", type, "targetId", id, "reason", reason, "note", note);
        return http.post("/api/v1/reports", who.accessToken(), body);
    }

    JsonNode openCase(TestApi.User mod, String targetId) {
        JsonNode items = http.get("/api/v1/moderation/reports?status=open&limit=100", mod.accessToken()).json().get("items");
        for (JsonNode c : items) {
            if (c.get("targetId").asText().equals(targetId)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void severalReportsMakeOneEntryAndAHiddenCommentIsGoneForEveryone() {
        TestCatalog.Item t = TestCatalog.published("Moderated");
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        TestApi.User c = api.newUser();
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        String id = comment(a, t.titleId(), "The killer is the butler");
        assertEquals(201, report(b, "comment", id, "spoiler", null).status());
        assertEquals(409, report(b, "comment", id, "spoiler", null).status(), "once per reporter");
        assertEquals(201, report(c, "comment", id, "other", "rude too").status());
        assertEquals(422, report(c, "comment", id, "other", null).status(), "other needs a note");
        assertEquals(404, report(c, "comment", UUID.randomUUID().toString(), "spam", null).status());
        assertEquals(401, http.post("/api/v1/reports", null, Map.of("targetType", "comment", "targetId", id,
                "reason", "spam")).status());

        assertEquals(403, http.get("/api/v1/moderation/reports", b.accessToken()).status(), "users do not see the queue");
        JsonNode entry = openCase(mod, id);
        assertEquals(2, entry.get("reports").asInt());
        assertEquals(1, entry.get("reasons").get("spoiler").asInt());
        assertEquals("The killer is the butler", entry.get("context").get("body").asText());
        assertEquals("rude too", entry.get("notes").get(0).asText());
        String caseId = entry.get("id").asText();

        assertEquals(403, http.post("/api/v1/moderation/reports/" + caseId + "/actions", b.accessToken(),
                Map.of("action", "hide", "reason", "x")).status(), "users do not act");
        assertEquals(422, http.post("/api/v1/moderation/reports/" + caseId + "/actions", mod.accessToken(),
                Map.of("action", "lock", "reason", "not a post")).status());
        Http.Resp hidden = http.post("/api/v1/moderation/reports/" + caseId + "/actions", mod.accessToken(),
                Map.of("action", "hide", "reason", "spoiler without the flag"));
        assertEquals(200, hidden.status(), hidden.text());
        assertEquals("hide", hidden.json().get("action").asText());
        assertEquals(409, http.post("/api/v1/moderation/reports/" + caseId + "/actions", mod.accessToken(),
                Map.of("action", "dismiss", "reason", "again")).status(), "closed");

        for (TestApi.User u : new TestApi.User[]{a, b}) {
            assertEquals(404, http.get("/api/v1/comments/" + id, u.accessToken()).status());
        }
        assertFalse(http.get("/api/v1/titles/" + t.titleId() + "/comments", null).text().contains(id));
        assertEquals(200, http.get("/api/v1/comments/" + id, mod.accessToken()).status(), "moderators still see it");
        assertEquals(null, openCase(mod, id));
        JsonNode audit = http.get("/api/v1/moderation/audit", mod.accessToken()).json().get("items");
        assertTrue(audit.toString().contains(id) && audit.toString().contains("spoiler without the flag"), audit.toString());
        assertEquals(403, http.get("/api/v1/moderation/audit", a.accessToken()).status());
        // what readers no longer see cannot be reported again
        assertEquals(404, report(api.newUser(), "comment", id, "abuse", null).status());
    }

    @Test
    void moderatorsLockThreadsBanUsersButNeverTouchAdmins() {
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        TestApi.User troll = api.newUser();
        TestApi.User witness = api.newUser();
        TestCatalog.Item t = TestCatalog.published("Trolled");
        String thread = http.get("/api/v1/titles/" + t.titleId() + "/thread", null).json().get("id").asText();
        api.resetRateLimit("limit:posts:" + troll.id());
        api.resetRateLimit("limit:posts-hourly:" + troll.id());
        String post = http.post("/api/v1/forum/threads/" + thread + "/posts", troll.accessToken(), Map.of("body", "flame"))
                .json().get("id").asText();
        assertEquals(201, report(witness, "post", post, "abuse", null).status());
        String postCase = openCase(mod, post).get("id").asText();
        assertEquals(200, http.post("/api/v1/moderation/reports/" + postCase + "/actions", mod.accessToken(),
                Map.of("action", "lock", "reason", "flame war")).status());
        assertTrue(http.get("/api/v1/forum/threads/" + thread, null).json().get("locked").asBoolean());

        assertEquals(201, report(witness, "user", troll.id().toString(), "abuse", null).status());
        String userCase = openCase(mod, troll.id().toString()).get("id").asText();
        Http.Resp banned = http.post("/api/v1/moderation/reports/" + userCase + "/actions", mod.accessToken(),
                Map.of("action", "ban", "reason", "repeated abuse", "durationHours", 24));
        assertEquals(200, banned.status(), banned.text());
        assertEquals(403, api.login(troll.username(), troll.password()).status(), "banned for a day");

        String adminsComment = comment(admin, t.titleId(), "Official announcement");
        assertEquals(201, report(witness, "comment", adminsComment, "spam", null).status());
        String adminCase = openCase(mod, adminsComment).get("id").asText();
        assertEquals(403, http.post("/api/v1/moderation/reports/" + adminCase + "/actions", mod.accessToken(),
                Map.of("action", "delete", "reason", "no")).status(), "moderators cannot act on admins");
        assertEquals(200, http.post("/api/v1/moderation/reports/" + adminCase + "/actions", mod.accessToken(),
                Map.of("action", "dismiss", "reason", "not spam")).status(), "but may dismiss the report");
    }

    Http.Resp put(String path, TestApi.User u, String json) {
        return http.send(http.builder(path, u.accessToken()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void watchedWordsBlockOrHoldAndFirstPostsCanBeHeldForApproval() {
        TestCatalog.Item t = TestCatalog.published("Screened");
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        String block = "blockw" + UUID.randomUUID().toString().substring(0, 6);
        String hold = "holdw" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(403, put("/api/v1/moderation/watched-words/" + block, a, "{\"action\":\"block\"}").status());
        assertEquals(204, put("/api/v1/moderation/watched-words/" + block, mod, "{\"action\":\"block\"}").status());
        assertEquals(204, put("/api/v1/moderation/watched-words/" + hold, mod, "{\"action\":\"hold\"}").status());
        assertEquals(422, put("/api/v1/moderation/watched-words/two%20words", mod, "{\"action\":\"hold\"}").status());
        try {
            api.resetRateLimit("limit:comments:" + a.id());
            Http.Resp blocked = http.post("/api/v1/titles/" + t.titleId() + "/comments", a.accessToken(),
                    Map.of("body", "You " + block.toUpperCase() + "!"));
            assertEquals(422, blocked.status(), blocked.text());
            String held = comment(a, t.titleId(), "Great film, " + hold);
            assertEquals("held", http.get("/api/v1/comments/" + held, a.accessToken()).json().get("state").asText());
            assertEquals(404, http.get("/api/v1/comments/" + held, b.accessToken()).status(), "held: not for others yet");
            JsonNode entry = openCase(mod, held);
            assertTrue(entry.get("notes").toString().contains("a watched word"), entry.toString());
            assertEquals(200, http.post("/api/v1/moderation/reports/" + entry.get("id").asText() + "/actions",
                    mod.accessToken(), Map.of("action", "restore", "reason", "fine")).status());
            assertEquals("visible", http.get("/api/v1/comments/" + held, b.accessToken()).json().get("state").asText());
        } finally {
            http.delete("/api/v1/moderation/watched-words/" + block, mod.accessToken());
            http.delete("/api/v1/moderation/watched-words/" + hold, mod.accessToken());
        }

        assertEquals(403, put("/api/v1/moderation/settings", mod, "{\"holdFirstPosts\":true}").status(),
                "settings are for administrators");
        assertEquals(200, put("/api/v1/moderation/settings", admin, "{\"holdFirstPosts\":true}").status());
        try {
            TestApi.User newcomer = api.newUser();
            String first = comment(newcomer, t.titleId(), "Hello everyone");
            assertEquals("held", http.get("/api/v1/comments/" + first, newcomer.accessToken()).json().get("state").asText());
            String caseId = openCase(mod, first).get("id").asText();
            assertEquals(200, http.post("/api/v1/moderation/reports/" + caseId + "/actions", mod.accessToken(),
                    Map.of("action", "restore", "reason", "welcome")).status());
            String second = comment(newcomer, t.titleId(), "Thanks");
            assertEquals("visible", http.get("/api/v1/comments/" + second, b.accessToken()).json().get("state").asText(),
                    "once approved, the account is no newcomer");
        } finally {
            assertEquals(200, put("/api/v1/moderation/settings", admin, "{\"holdFirstPosts\":false}").status());
        }
    }

    @Test
    void forumPostsAreHeldLikeCommentsAndAHeldOpeningPostHidesItsThread() {
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestApi.User veteran = api.newUser();
        TestApi.User reader = api.newUser();
        String slug = "held-" + UUID.randomUUID().toString().substring(0, 8);
        String cat = http.post("/api/v1/forum/categories", admin.accessToken(), Map.of("slug", slug, "name", slug))
                .json().get("id").asText();
        Http.Resp open = http.post("/api/v1/forum/categories/" + cat + "/threads", veteran.accessToken(),
                Map.of("subject", "Season two", "body", "Thoughts?"));
        assertEquals(201, open.status(), open.text());
        String thread = open.json().get("id").asText();
        String hold = "holdp" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(204, put("/api/v1/moderation/watched-words/" + hold, mod, "{\"action\":\"hold\"}").status());
        try {
            api.resetRateLimit("limit:posts:" + veteran.id());
            Http.Resp reply = http.post("/api/v1/forum/threads/" + thread + "/posts", veteran.accessToken(),
                    Map.of("body", "Buy " + hold + " now"));
            assertEquals(201, reply.status(), reply.text());
            assertEquals("held", reply.json().get("state").asText());
            String held = reply.json().get("id").asText();
            assertEquals(1, http.get("/api/v1/forum/threads/" + thread + "/posts", reader.accessToken()).json()
                    .get("items").size(), "held: not for others yet");
            JsonNode entry = openCase(mod, held);
            assertTrue(entry.get("notes").toString().contains("a watched word"), entry.toString());
            assertEquals(200, http.post("/api/v1/moderation/reports/" + entry.get("id").asText() + "/actions",
                    mod.accessToken(), Map.of("action", "restore", "reason", "fine")).status());
            assertEquals(2, http.get("/api/v1/forum/threads/" + thread + "/posts", reader.accessToken()).json()
                    .get("items").size(), "approved: seen by everyone");
        } finally {
            http.delete("/api/v1/moderation/watched-words/" + hold, mod.accessToken());
        }

        assertEquals(200, put("/api/v1/moderation/settings", admin, "{\"holdFirstPosts\":true}").status());
        try {
            TestApi.User newcomer = api.newUser();
            Http.Resp first = http.post("/api/v1/forum/categories/" + cat + "/threads", newcomer.accessToken(),
                    Map.of("subject", "Cheap pills", "body", "Visit my shop"));
            assertEquals(201, first.status(), first.text());
            String spam = first.json().get("id").asText();
            assertEquals(404, http.get("/api/v1/forum/threads/" + spam, reader.accessToken()).status(),
                    "the thread of a held opening post is hidden, subject and all");
            assertFalse(http.get("/api/v1/forum/categories/" + cat + "/threads", reader.accessToken()).text()
                    .contains("Cheap pills"));
            assertEquals(200, http.get("/api/v1/forum/threads/" + spam, newcomer.accessToken()).status(),
                    "its author sees it");
            assertTrue(http.get("/api/v1/forum/categories/" + cat + "/threads", mod.accessToken()).text()
                    .contains("Cheap pills"), "moderators see it");
            String post = http.get("/api/v1/forum/threads/" + spam + "/posts", newcomer.accessToken()).json()
                    .get("items").get(0).get("id").asText();
            String caseId = openCase(mod, post).get("id").asText();
            assertEquals(200, http.post("/api/v1/moderation/reports/" + caseId + "/actions", mod.accessToken(),
                    Map.of("action", "restore", "reason", "a real question after all")).status());
            assertEquals(200, http.get("/api/v1/forum/threads/" + spam, reader.accessToken()).status(),
                    "approved: the thread is everyone's");
            // a veteran with visible posts is no newcomer
            Http.Resp later = http.post("/api/v1/forum/threads/" + thread + "/posts", veteran.accessToken(),
                    Map.of("body", "Agreed"));
            assertEquals("visible", later.json().get("state").asText(), later.text());
        } finally {
            assertEquals(200, put("/api/v1/moderation/settings", admin, "{\"holdFirstPosts\":false}").status());
        }
    }

    @Test
    void aTrustedMembersReportHidesAtOnceUntilAModeratorDecides() {
        TestCatalog.Item t = TestCatalog.published("Flagged");
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        TestApi.User author = api.newUser();
        TestApi.User member = api.newUser();
        TestApi.User trusted = api.newUser();
        TestApi.User reader = api.newUser();
        dev.kino.control.support.SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate(
                "insert into reputation_totals (account_id, points) values (:a, 600)").bind("a", trusted.id()).execute());

        String c = comment(author, t.titleId(), "Rude words");
        assertEquals(201, report(member, "comment", c, "abuse", null).status());
        assertEquals(200, http.get("/api/v1/comments/" + c, reader.accessToken()).status(),
                "a newcomer's report leaves it for a moderator");
        assertEquals(201, report(trusted, "comment", c, "abuse", null).status());
        assertEquals(404, http.get("/api/v1/comments/" + c, reader.accessToken()).status(),
                "a trusted member's report hides it at once");
        assertTrue(http.get("/api/v1/moderation/audit", mod.accessToken()).text().contains("hide-on-report"));
        String caseId = openCase(mod, c).get("id").asText();
        assertEquals(200, http.post("/api/v1/moderation/reports/" + caseId + "/actions", mod.accessToken(),
                Map.of("action", "dismiss", "reason", "robust, not abusive")).status());
        assertEquals("visible", http.get("/api/v1/comments/" + c, reader.accessToken()).json().get("state").asText(),
                "dismissed: it comes back");

        String staff = comment(mod, t.titleId(), "Please keep it civil");
        assertEquals(201, report(trusted, "comment", staff, "other", "I disagree").status());
        assertEquals(200, http.get("/api/v1/comments/" + staff, reader.accessToken()).status(),
                "staff text waits for another moderator");
    }
}
