package dev.kino.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin console's API (#16) on the whole control API and real PostgreSQL. */
class AdminConsoleTest {
    private final Http http = TestApi.http();

    /** @return whether a field is null or left out (the API leaves nulls out) */
    private static boolean absent(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Http.Resp put(String path, String token, String json) {
        return http.send(http.builder(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static TestApi.User admin() {
        return TestApi.withRole(TestApi.newUser(), "admin");
    }

    private static UUID newPlan(String token, Http http) {
        Http.Resp p = http.post("/api/v1/admin/plans", token, Map.of("name", TestApi.unique("Plan "),
                "concurrentStreams", 2, "maxResolution", 1080, "priceMinor", 999, "currency", "EUR"));
        assertEquals(201, p.status(), p.text());
        return UUID.fromString(p.json().get("id").asText());
    }

    private static List<String> usernames(Http.Resp page) {
        List<String> out = new ArrayList<>();
        page.json().get("items").forEach(i -> out.add(i.get("username").asText()));
        return out;
    }

    @Test
    void usersAreSearchedWithFiltersAndPages() {
        TestApi.User admin = admin();
        String tag = TestApi.unique("srch").toLowerCase();
        List<UUID> ids = new ArrayList<>(); // newest first
        for (int i = 0; i < 3; i++) {
            TestApi.CLOCK.advance(Duration.ofSeconds(1)); // distinct sign-up times
            Http.Resp r = TestApi.register(tag + i, tag + i + "@example.org", "a fine long passphrase");
            assertEquals(201, r.status(), r.text());
            ids.add(0, UUID.fromString(r.json().get("id").asText()));
        }
        Http.Resp all = http.get("/api/v1/admin/users?q=" + tag, admin.accessToken());
        assertEquals(200, all.status(), all.text());
        assertEquals(List.of(tag + "2", tag + "1", tag + "0"), usernames(all), "newest sign-up first");
        // by e-mail, case-insensitively, and a LIKE wildcard in q is a plain character
        assertEquals(List.of(tag + "1"), usernames(http.get("/api/v1/admin/users?q=" + (tag + "1@EXAMPLE").toUpperCase(),
                admin.accessToken())));
        assertEquals(0, http.get("/api/v1/admin/users?q=" + tag + "%25", admin.accessToken()).json().get("items").size());

        TestApi.withRole(new TestApi.User(ids.get(0), tag + "2", null, "a fine long passphrase", null, null, null),
                "moderator");
        assertEquals(List.of(tag + "2"), usernames(http.get("/api/v1/admin/users?role=moderator&q=" + tag,
                admin.accessToken())));
        assertEquals(201, http.post("/api/v1/admin/users/" + ids.get(1) + "/ban", admin.accessToken(),
                Map.of("reason", "spam")).status());
        assertEquals(List.of(tag + "1"), usernames(http.get("/api/v1/admin/users?banned=true&q=" + tag, admin.accessToken())));
        assertEquals(List.of(tag + "2", tag + "0"), usernames(http.get("/api/v1/admin/users?banned=false&q=" + tag,
                admin.accessToken())));
        UUID plan = newPlan(admin.accessToken(), http);
        assertEquals(200, put("/api/v1/admin/users/" + ids.get(2) + "/plan", admin.accessToken(),
                "{\"planId\":\"" + plan + "\"}").status());
        assertEquals(List.of(tag + "0"), usernames(http.get("/api/v1/admin/users?plan=" + plan + "&q=" + tag,
                admin.accessToken())));
        assertEquals(List.of(tag + "2", tag + "1"), usernames(http.get("/api/v1/admin/users?plan=none&q=" + tag,
                admin.accessToken())));
        String tomorrow = TestApi.CLOCK.instant().plus(Duration.ofDays(1)).toString().substring(0, 10);
        assertEquals(0, http.get("/api/v1/admin/users?from=" + tomorrow + "&q=" + tag, admin.accessToken())
                .json().get("items").size());
        assertEquals(3, http.get("/api/v1/admin/users?to=" + tomorrow + "&q=" + tag, admin.accessToken())
                .json().get("items").size());

        Http.Resp first = http.get("/api/v1/admin/users?limit=2&q=" + tag, admin.accessToken());
        assertEquals(List.of(tag + "2", tag + "1"), usernames(first));
        Http.Resp second = http.get("/api/v1/admin/users?limit=2&q=" + tag + "&cursor="
                + enc(first.json().get("next").asText()), admin.accessToken());
        assertEquals(List.of(tag + "0"), usernames(second));
        assertTrue(absent(second.json(), "next"));

        Http.Resp bad = http.get("/api/v1/admin/users?banned=maybe&from=yesterday&plan=gold", admin.accessToken());
        assertEquals(422, bad.status(), bad.text());
        List<String> fields = new ArrayList<>();
        bad.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(List.of("plan", "banned", "from"), fields);
    }

    @Test
    void aUsersPageShowsProfileBansReportsActivityAndWhatTheRoleAllows() {
        TestApi.User admin = admin();
        TestApi.User mod = TestApi.withRole(TestApi.newUser(), "moderator");
        TestApi.User target = TestApi.newUser();
        TestApi.User reporter = TestApi.newUser();
        assertEquals(201, http.post("/api/v1/reports", reporter.accessToken(), Map.of("targetType", "user",
                "targetId", target.id(), "reason", "abuse")).status());
        assertEquals(201, http.post("/api/v1/admin/users/" + target.id() + "/ban", mod.accessToken(),
                Map.of("reason", "rude")).status());
        assertEquals(204, http.delete("/api/v1/admin/users/" + target.id() + "/ban", admin.accessToken()).status());
        UUID plan = newPlan(admin.accessToken(), http);
        assertEquals(200, put("/api/v1/admin/users/" + target.id() + "/plan", admin.accessToken(),
                "{\"planId\":\"" + plan + "\"}").status());

        JsonNode page = http.get("/api/v1/admin/users/" + target.id(), admin.accessToken()).json();
        assertEquals(target.username(), page.get("username").asText());
        assertEquals("[\"user\"]", page.get("roles").toString());
        assertTrue(absent(page, "ban"), "the ban was lifted");
        assertEquals("rude", page.get("bans").get(0).get("reason").asText());
        assertFalse(page.get("bans").get(0).get("active").asBoolean());
        assertEquals("user", page.get("reports").get(0).get("targetType").asText());
        assertEquals("[\"abuse\"]", page.get("reports").get(0).get("reasons").toString());
        assertNotNull(page.get("activity").get("lastSignInAt").textValue());
        assertEquals(0, page.get("activity").get("comments").asInt());
        assertEquals(plan.toString(), page.get("subscription").get("plan").get("id").asText());
        assertTrue(page.get("sessions").size() >= 1);

        JsonNode asMod = http.get("/api/v1/admin/users/" + target.id(), mod.accessToken()).json();
        assertEquals(target.username(), asMod.get("username").asText());
        assertTrue(absent(asMod, "sessions"), "sessions (addresses, devices) need users.manage");
        assertTrue(absent(asMod, "subscription"), "the subscription is the plans manager's");
        assertEquals(404, http.get("/api/v1/admin/users/" + UUID.randomUUID(), admin.accessToken()).status());
    }

    @Test
    void sessionsAreRevokedOneOrAll() {
        TestApi.User admin = admin();
        TestApi.User target = TestApi.newUser();
        JsonNode second = TestApi.login(target.username(), target.password()).json();
        String secondToken = second.get("accessToken").asText();
        assertEquals(204, http.delete("/api/v1/admin/users/" + target.id() + "/sessions/" + target.sessionId(),
                admin.accessToken()).status());
        assertEquals(401, http.get("/api/v1/me", target.accessToken()).status(), "that session's token stops at once");
        assertEquals(200, http.get("/api/v1/me", secondToken).status(), "the other session goes on");
        assertEquals(404, http.delete("/api/v1/admin/users/" + target.id() + "/sessions/" + target.sessionId(),
                admin.accessToken()).status(), "already ended");
        assertEquals(404, http.delete("/api/v1/admin/users/" + target.id() + "/sessions/" + admin.sessionId(),
                admin.accessToken()).status(), "not that account's session");

        Http.Resp all = http.delete("/api/v1/admin/users/" + target.id() + "/sessions", admin.accessToken());
        assertEquals(200, all.status(), all.text());
        assertEquals(1, all.json().get("revoked").asInt());
        assertEquals(401, http.get("/api/v1/me", secondToken).status());
        assertEquals(401, http.post("/api/v1/auth/refresh", null, Map.of("refreshToken",
                second.get("refreshToken").asText())).status());
        assertEquals(200, TestApi.login(target.username(), target.password()).status(), "signing in again works");
        assertEquals(404, http.delete("/api/v1/admin/users/" + UUID.randomUUID() + "/sessions", admin.accessToken())
                .status());
    }

    @Test
    void adminAndModeratorActionsAreAuditedWithBeforeAndAfter() {
        TestApi.User admin = admin();
        TestApi.User mod = TestApi.withRole(TestApi.newUser(), "moderator");
        TestApi.User target = TestApi.newUser();
        assertEquals(201, http.post("/api/v1/admin/users/" + target.id() + "/ban", mod.accessToken(),
                Map.of("reason", "spam, \"again\"")).status());
        assertEquals(200, put("/api/v1/admin/users/" + target.id() + "/roles", admin.accessToken(),
                "{\"roles\":[\"moderator\"]}").status());
        TestCatalog.Item item = TestCatalog.item("Audited", "ready");
        assertEquals(200, http.post("/api/v1/media/" + item.mediaId() + "/publish", admin.accessToken(), Map.of()).status());
        TestCatalog.Item notPublished = TestCatalog.item("Audited ready", "ready");
        assertEquals(409, http.post("/api/v1/media/" + notPublished.mediaId() + "/unpublish", admin.accessToken(),
                Map.of()).status());

        JsonNode modLog = http.get("/api/v1/admin/audit-log?actor=" + mod.id(), admin.accessToken()).json().get("items");
        assertEquals(1, modLog.size(), modLog.toString());
        JsonNode ban = modLog.get(0);
        assertEquals("user.ban", ban.get("action").asText());
        assertEquals("account", ban.get("targetType").asText());
        assertEquals(target.id().toString(), ban.get("targetId").asText());
        assertEquals(mod.username(), ban.get("actorName").asText());
        assertTrue(absent(ban.get("before"), "ban"));
        assertEquals("spam, \"again\"", ban.get("after").get("ban").get("reason").asText());

        JsonNode adminLog = http.get("/api/v1/admin/audit-log?actor=" + admin.id(), admin.accessToken()).json()
                .get("items");
        assertEquals(List.of("media.publish", "user.roles"), List.of(adminLog.get(0).get("action").asText(),
                adminLog.get(1).get("action").asText()), "newest first; the refused unpublish is not an action");
        assertEquals("ready", adminLog.get(0).get("before").get("state").asText());
        assertEquals("published", adminLog.get(0).get("after").get("state").asText());
        assertEquals("[\"user\"]", adminLog.get(1).get("before").get("roles").toString());
        assertEquals(2, adminLog.size());
        assertEquals(1, http.get("/api/v1/admin/audit-log?action=user.*&actor=" + admin.id(), admin.accessToken())
                .json().get("items").size());
        assertEquals(0, http.get("/api/v1/admin/audit-log?actor=" + admin.id() + "&from="
                + TestApi.CLOCK.instant().plusSeconds(1), admin.accessToken()).json().get("items").size());

        Http.Resp csv = http.send(http.builder("/api/v1/admin/audit-log?actor=" + mod.id(), admin.accessToken())
                .header("Accept", "text/csv").GET());
        assertEquals(200, csv.status(), csv.text());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"));
        String[] lines = csv.text().split("\r\n");
        assertEquals("id,at,actorId,actorName,action,targetType,targetId,before,after", lines[0]);
        assertEquals(2, lines.length);
        assertTrue(lines[1].contains(",user.ban,account," + target.id() + ","), lines[1]);
        assertTrue(lines[1].contains("\"\"reason\"\":\"\"spam, \\\"\"again\\\"\"\"\""), "quotes doubled: " + lines[1]);

        assertEquals(422, http.get("/api/v1/admin/audit-log?actor=someone", admin.accessToken()).status());
        assertEquals(422, http.get("/api/v1/admin/audit-log?action=DROP%20TABLE", admin.accessToken()).status());
    }

    @Test
    void csvFieldsThatASpreadsheetWouldRunAreDefused() {
        String csv = AuditLog.csv(List.of(new AuditLog.Entry(1, Instant.EPOCH, null, "=cmd|' /C calc'!A0", "user.ban",
                "account", "x", null, null)));
        assertTrue(csv.contains(",'=cmd|' /C calc'!A0,"), csv);
    }

    @Test
    void plansAreEditedAndTheEditIsAudited() {
        TestApi.User admin = admin();
        UUID plan = newPlan(admin.accessToken(), http);
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate(
                "update plans set provider_price_ref = 'price_old' where id = :id").bind("id", plan).execute());
        Http.Resp trial = http.patch("/api/v1/admin/plans/" + plan, admin.accessToken(), Map.of("trialDays", 14,
                "maxProfiles", 4));
        assertEquals(200, trial.status(), trial.text());
        assertEquals(14, trial.json().get("trialDays").asInt());
        assertEquals(999, trial.json().get("priceMinor").asInt(), "absent fields stay");
        assertEquals("price_old", trial.json().get("providerPriceRef").asText(), "the price did not change");
        Http.Resp price = http.patch("/api/v1/admin/plans/" + plan, admin.accessToken(), Map.of("priceMinor", 1299,
                "currency", "USD", "interval", "year"));
        assertEquals(200, price.status(), price.text());
        assertTrue(absent(price.json(), "providerPriceRef"), "a new price at the provider on the next checkout");
        assertEquals("year", price.json().get("interval").asText());

        Http.Resp bad = http.patch("/api/v1/admin/plans/" + plan, admin.accessToken(), Map.of("currency", "euro",
                "trialDays", -1));
        assertEquals(422, bad.status());
        assertEquals(2, bad.json().get("errors").size());
        assertEquals(404, http.patch("/api/v1/admin/plans/" + UUID.randomUUID(), admin.accessToken(),
                Map.of("trialDays", 1)).status());

        JsonNode log = http.get("/api/v1/admin/audit-log?action=plan.update&actor=" + admin.id(), admin.accessToken())
                .json().get("items");
        assertEquals(2, log.size());
        assertEquals(999, log.get(0).get("before").get("priceMinor").asInt());
        assertEquals(1299, log.get(0).get("after").get("priceMinor").asInt());
    }

    @Test
    void scheduledItemsPublishWhenDueAndReady() {
        TestApi.User admin = admin();
        TestCatalog.Item ready = TestCatalog.item("Scheduled", "ready");
        Instant at = TestApi.CLOCK.instant().plus(Duration.ofHours(1));
        Http.Resp s = put("/api/v1/admin/media/" + ready.mediaId() + "/schedule", admin.accessToken(),
                "{\"publishAt\":\"" + at + "\"}");
        assertEquals(200, s.status(), s.text());
        assertEquals(at.toString(), s.json().get("publishAt").asText());
        assertTrue(http.get("/api/v1/admin/scheduled", admin.accessToken()).text().contains(ready.mediaId().toString()));

        // a series episode still packaging when its title's time comes is published once packaging ends
        TestCatalog.Item packaging = TestCatalog.item("Scheduled later", "packaging");
        Http.Resp title = put("/api/v1/admin/titles/" + packaging.titleId() + "/schedule", admin.accessToken(),
                "{\"publishAt\":\"" + at + "\"}");
        assertEquals(200, title.status(), title.text());
        assertEquals(1, title.json().get("items").size());

        TestApi.api().scheduledPublishing().publishDue();
        assertEquals("ready", state(ready.mediaId()), "not yet");
        TestApi.CLOCK.advance(Duration.ofHours(1).plusSeconds(1));
        admin = TestApi.withRole(admin, "admin"); // a fresh access token: the old one expired meanwhile
        TestApi.api().scheduledPublishing().publishDue();
        assertEquals("published", state(ready.mediaId()));
        assertEquals("packaging", state(packaging.mediaId()));
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("update media_items set state = 'ready' where id = :id")
                .bind("id", packaging.mediaId()).execute());
        TestApi.api().scheduledPublishing().publishDue();
        assertEquals("published", state(packaging.mediaId()));
        assertFalse(http.get("/api/v1/admin/scheduled", admin.accessToken()).text().contains(ready.mediaId().toString()));

        JsonNode log = http.get("/api/v1/admin/audit-log?action=media.publish-scheduled", admin.accessToken()).json()
                .get("items");
        boolean found = false;
        for (JsonNode e : log) {
            found |= e.get("targetId").asText().equals(ready.mediaId().toString()) && absent(e, "actorId");
        }
        assertTrue(found, log.toString());

        assertEquals(409, put("/api/v1/admin/media/" + ready.mediaId() + "/schedule", admin.accessToken(),
                "{\"publishAt\":\"" + at.plus(Duration.ofDays(1)) + "\"}").status(), "already published");
        TestCatalog.Item other = TestCatalog.item("Scheduled past", "ready");
        assertEquals(422, put("/api/v1/admin/media/" + other.mediaId() + "/schedule", admin.accessToken(),
                "{\"publishAt\":\"" + TestApi.CLOCK.instant().minusSeconds(1) + "\"}").status());
        assertEquals(200, put("/api/v1/admin/media/" + other.mediaId() + "/schedule", admin.accessToken(),
                "{\"publishAt\":null}").status(), "unscheduling");
        assertEquals(404, put("/api/v1/admin/media/" + UUID.randomUUID() + "/schedule", admin.accessToken(),
                "{\"publishAt\":null}").status());
    }

    @Test
    void moderatorsDeletingCommentsAndEditorsEditingTitlesAreAuditedButAuthorsAreNot() {
        TestApi.User admin = admin();
        TestApi.User mod = TestApi.withRole(TestApi.newUser(), "moderator");
        TestApi.User author = TestApi.newUser();
        TestCatalog.Item item = TestCatalog.published("Commented");
        Http.Resp own = http.post("/api/v1/titles/" + item.titleId() + "/comments", author.accessToken(),
                Map.of("body", "first thoughts"));
        assertEquals(201, own.status(), own.text());
        assertEquals(204, http.delete("/api/v1/comments/" + own.json().get("id").asText(), author.accessToken()).status());
        Http.Resp rude = http.post("/api/v1/titles/" + item.titleId() + "/comments", author.accessToken(),
                Map.of("body", "something rude"));
        assertEquals(204, http.delete("/api/v1/comments/" + rude.json().get("id").asText(), mod.accessToken()).status());
        JsonNode log = http.get("/api/v1/admin/audit-log?action=comment.delete&actor=" + author.id(),
                admin.accessToken()).json().get("items");
        assertEquals(0, log.size(), "an author deleting their own comment is no moderation");
        JsonNode modLog = http.get("/api/v1/admin/audit-log?actor=" + mod.id(), admin.accessToken()).json().get("items");
        assertEquals(1, modLog.size(), modLog.toString());
        assertEquals("comment.delete", modLog.get(0).get("action").asText());
        assertEquals(rude.json().get("id").asText(), modLog.get(0).get("targetId").asText());

        Http.Resp title = http.post("/api/v1/titles", admin.accessToken(), Map.of("kind", "series",
                "originalTitle", TestApi.unique("Audit "), "titles", Map.of("en", "Before"), "genres", List.of("drama")));
        assertEquals(201, title.status(), title.text());
        String id = title.json().get("id").asText();
        assertEquals(200, put("/api/v1/titles/" + id, admin.accessToken(), "{\"kind\":\"series\",\"originalTitle\":\""
                + title.json().get("originalTitle").asText() + "\",\"titles\":{\"en\":\"After\",\"uk\":\"Pislia\"},"
                + "\"genres\":[\"comedy\"]}").status());
        JsonNode edits = http.get("/api/v1/admin/audit-log?action=title.*&actor=" + admin.id(), admin.accessToken())
                .json().get("items");
        assertEquals(List.of("title.update", "title.create"), List.of(edits.get(0).get("action").asText(),
                edits.get(1).get("action").asText()));
        assertEquals(id, edits.get(1).get("targetId").asText(), "a create's target is the new id");
        assertEquals("[\"drama\"]", edits.get(0).get("before").get("genres").toString());
        assertEquals("[\"comedy\"]", edits.get(0).get("after").get("genres").toString());
    }

    @Test
    void editorsUploadAPosterThatIsServedReencodedInPlaceOfThePackagers() throws Exception {
        TestApi.User admin = admin();
        TestCatalog.Item item = TestCatalog.published("Postered");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(2000, 1000,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        String path = "/api/v1/titles/" + item.titleId() + "/poster";
        assertEquals(404, http.get(path, null).status(), "no packaged poster in the test media root");
        Http.Resp up = http.send(http.builder(path, admin.accessToken()).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray())));
        assertEquals(200, up.status(), up.text());
        assertEquals(1280, up.json().get("width").asInt());
        assertEquals(640, up.json().get("height").asInt());
        var served = http.sendBytes(http.builder(path, null).GET());
        assertEquals(200, served.statusCode());
        assertEquals("image/jpeg", served.headers().firstValue("Content-Type").orElse(""));
        var decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(served.body()));
        assertEquals(1280, decoded.getWidth());

        Http.Resp junk = http.send(http.builder(path, admin.accessToken()).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofString("<svg onload=alert(1)>")));
        assertEquals(422, junk.status());
        assertEquals("poster", junk.json().get("errors").get(0).get("field").asText());
        assertEquals(404, http.send(http.builder("/api/v1/titles/" + UUID.randomUUID() + "/poster", admin.accessToken())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()))).status());
        assertEquals(204, http.delete(path, admin.accessToken()).status());
        assertEquals(404, http.get(path, null).status());
        assertEquals(404, http.delete(path, admin.accessToken()).status());
        assertEquals(List.of("title.poster-remove", "title.poster"), List.of(
                http.get("/api/v1/admin/audit-log?actor=" + admin.id(), admin.accessToken()).json().get("items").get(0)
                        .get("action").asText(),
                http.get("/api/v1/admin/audit-log?actor=" + admin.id(), admin.accessToken()).json().get("items").get(1)
                        .get("action").asText()));
    }

    private static String state(UUID media) {
        return SharedDatabase.get().jdbi().withHandle(h -> h.createQuery("select state from media_items where id = :id")
                .bind("id", media).mapTo(String.class).one());
    }

    @Test
    void meShowsAScheduledDeletionAndHowToCancelIt() {
        TestApi.User u = TestApi.newUser();
        assertTrue(absent(http.get("/api/v1/me", u.accessToken()).json(), "deletion"));
        Http.Resp del = http.send(http.builder("/api/v1/me", u.accessToken()).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"currentPassword\":\"" + u.password() + "\"}")));
        assertEquals(202, del.status(), del.text());
        JsonNode deletion = http.get("/api/v1/me", u.accessToken()).json().get("deletion");
        assertEquals(del.json().get("deletionDueAt").asText(), deletion.get("deletionScheduledAt").asText());
        assertNotNull(deletion.get("requestedAt").textValue());
        assertEquals("POST /api/v1/me/deletion/cancel", deletion.get("cancel").asText());
        assertEquals(204, http.post("/api/v1/me/deletion/cancel", u.accessToken(), Map.of()).status());
        assertTrue(absent(http.get("/api/v1/me", u.accessToken()).json(), "deletion"));
    }

    @Test
    void erasureTakesTheAccountsAddressAndNameOutOfTheAuditLog() {
        TestApi.User admin = admin();
        TestApi.User u = TestApi.newUser();
        assertEquals(201, http.post("/api/v1/admin/users/" + u.id() + "/ban", admin.accessToken(),
                Map.of("reason", "spam", "expiresAt", TestApi.CLOCK.instant().plusSeconds(60).toString())).status());
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate(
                "update accounts set deletion_requested_at = :t, deletion_due_at = :t where id = :id")
                .bind("t", java.sql.Timestamp.from(TestApi.CLOCK.instant().minusSeconds(1))).bind("id", u.id()).execute());
        TestApi.api().accountDeletion().eraseDue();
        JsonNode ban = http.get("/api/v1/admin/audit-log?action=user.ban&actor=" + admin.id(), admin.accessToken())
                .json().get("items").get(0);
        assertEquals(u.id().toString(), ban.get("targetId").asText());
        assertEquals("spam", ban.get("after").get("ban").get("reason").asText(), "what was done stays");
        assertFalse(ban.toString().contains(u.email()), ban.toString());
        assertFalse(ban.toString().contains(u.username()), ban.toString());
    }

    /** Every new route: anonymous 401, a viewer 403, a moderator only what moderation needs (reading accounts). */
    @Test
    void everyNewRouteIsGuardedByAPermission() {
        TestApi.User viewer = TestApi.newUser();
        TestApi.User mod = TestApi.withRole(TestApi.newUser(), "moderator");
        UUID someone = viewer.id();
        UUID id = UUID.randomUUID();
        String schedule = "{\"publishAt\":null}";
        Map<String, String[]> routes = new HashMap<>();
        // path -> {method, body, status for a moderator}
        routes.put("/api/v1/admin/users", new String[] {"GET", null, "200"});
        routes.put("/api/v1/admin/users/" + someone, new String[] {"GET", null, "200"});
        routes.put("/api/v1/admin/users/" + someone + "/sessions", new String[] {"DELETE", null, "403"});
        routes.put("/api/v1/admin/users/" + someone + "/sessions/" + id, new String[] {"DELETE", null, "403"});
        routes.put("/api/v1/admin/audit-log", new String[] {"GET", null, "403"});
        routes.put("/api/v1/admin/plans/" + id, new String[] {"PATCH", "{\"trialDays\":1}", "403"});
        routes.put("/api/v1/admin/media/" + id + "/schedule", new String[] {"PUT", schedule, "403"});
        routes.put("/api/v1/admin/titles/" + id + "/schedule", new String[] {"PUT", schedule, "403"});
        routes.put("/api/v1/admin/scheduled", new String[] {"GET", null, "403"});
        routes.put("/api/v1/titles/" + id + "/poster", new String[] {"DELETE", null, "403"});
        // PUT /titles/{id}/poster (an image body) the same way
        assertEquals(401, http.send(http.builder("/api/v1/titles/" + id + "/poster", null)
                .PUT(HttpRequest.BodyPublishers.ofString("x"))).status());
        for (TestApi.User u : List.of(viewer, mod)) {
            assertEquals(403, http.send(http.builder("/api/v1/titles/" + id + "/poster", u.accessToken())
                    .PUT(HttpRequest.BodyPublishers.ofString("x"))).status());
        }
        for (var e : routes.entrySet()) {
            String path = e.getKey();
            String method = e.getValue()[0];
            String body = e.getValue()[1];
            assertEquals(401, call(method, path, null, body).status(), "anonymous " + method + " " + path);
            assertEquals(403, call(method, path, viewer.accessToken(), body).status(), "viewer " + method + " " + path);
            assertEquals(Integer.parseInt(e.getValue()[2]), call(method, path, mod.accessToken(), body).status(),
                    "moderator " + method + " " + path);
        }
    }

    private Http.Resp call(String method, String path, String token, String body) {
        HttpRequest.Builder b = http.builder(path, token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }
}
