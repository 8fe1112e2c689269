package dev.kino.control.account.hygiene;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.auth.CredentialChanges;
import dev.kino.control.auth.mfa.Base32;
import dev.kino.control.auth.mfa.Totp;
import dev.kino.control.mail.Mail;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Account hygiene (#17) against the whole API on the real embedded PostgreSQL: password and e-mail changes, confirmed
 * addresses required where the shipped configuration asks, deletion with its grace period (the test clock moves
 * through it) and erasure, and the data export. Every new route refuses a caller without a token, and acts only on the
 * caller's own account (no route takes an account id).
 */
class HygieneTest {
    private final Http http = TestApi.http();

    /** Security notices and confirmation links queue mails: send them, so no later test's outbox finds ours. */
    @org.junit.jupiter.api.AfterEach
    void sendQueuedMail() {
        TestApi.api().outbox().dispatchPending();
    }

    private Http.Resp withBody(String method, String path, String token, Object body) {
        try {
            return http.send(http.builder(path, token).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(
                            dev.kino.control.http.Json.MAPPER.writeValueAsBytes(body))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long securityNotices(UUID account, String event) {
        return SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                        "select count(*) from notifications where account_id = :a and type = 'security'"
                                + " and data ->> 'event' = :e")
                .bind("a", account).bind("e", event).mapTo(Long.class).one());
    }

    private static Mail lastMail(String to, String kind) {
        TestApi.api().outbox().dispatchPending();
        for (int i = TestApi.MAILS.size() - 1; i >= 0; i--) {
            Mail m = TestApi.MAILS.get(i);
            if (m.recipient().equals(to) && m.kind().equals(kind)) {
                return m;
            }
        }
        return null;
    }

    @Test
    void everyNewRouteNeedsASignedInCaller() {
        assertEquals(401, http.post("/api/v1/me/password", null, Map.of("currentPassword", "x", "newPassword", "y")).status());
        assertEquals(401, http.post("/api/v1/me/email", null, Map.of("email", "a@b.example", "currentPassword", "x")).status());
        assertEquals(401, http.post("/api/v1/me/email/verification", null, Map.of()).status());
        assertEquals(401, withBody("DELETE", "/api/v1/me", null, Map.of("currentPassword", "x")).status());
        assertEquals(401, http.post("/api/v1/me/deletion/cancel", null, Map.of()).status());
        assertEquals(401, http.get("/api/v1/me/export", null).status());
        assertEquals("unauthorized", http.get("/api/v1/me/export", null).problem());
    }

    @Test
    void passwordChangeNeedsTheCurrentPasswordAndEndsTheOtherSessions() {
        TestApi.User u = TestApi.newUser();
        JsonNode other = TestApi.login(u.username(), u.password()).json(); // a second device
        String newPassword = "a brand new passphrase " + UUID.randomUUID();

        Http.Resp wrong = http.post("/api/v1/me/password", u.accessToken(),
                Map.of("currentPassword", "not it at all", "newPassword", newPassword));
        assertEquals(422, wrong.status(), wrong.text());
        assertEquals("currentPassword", wrong.json().get("errors").get(0).get("field").asText());
        Http.Resp weak = http.post("/api/v1/me/password", u.accessToken(),
                Map.of("currentPassword", u.password(), "newPassword", "short"));
        assertEquals(422, weak.status());
        assertEquals("newPassword", weak.json().get("errors").get(0).get("field").asText());
        // B's password proves nothing about A's account: every route acts on the caller's own
        TestApi.User b = TestApi.newUser();
        assertEquals(422, http.post("/api/v1/me/password", b.accessToken(),
                Map.of("currentPassword", u.password(), "newPassword", newPassword)).status());

        Http.Resp ok = http.post("/api/v1/me/password", u.accessToken(),
                Map.of("currentPassword", u.password(), "newPassword", newPassword));
        assertEquals(200, ok.status(), ok.text());
        assertEquals(1, ok.json().get("signedOut").asInt());
        assertEquals(200, http.get("/api/v1/me", u.accessToken()).status(), "the caller's session stays");
        assertEquals(401, http.get("/api/v1/me", other.get("accessToken").asText()).status(), "the other one ended");
        assertEquals(401, http.post("/api/v1/auth/refresh", null,
                Map.of("refreshToken", other.get("refreshToken").asText())).status());
        assertEquals(401, TestApi.login(u.username(), u.password()).status());
        assertEquals(200, TestApi.login(u.username(), newPassword).status());
        assertEquals(1, securityNotices(u.id(), "password-changed"));
    }

    @Test
    void anAccountWithASecondFactorMayProveItselfWithACode() {
        TestApi.User u = TestApi.newUser();
        Http.Resp start = http.post("/api/v1/me/mfa/totp", u.accessToken(), Map.of());
        byte[] secret = Base32.decode(start.json().get("secret").asText());
        assertEquals(200, http.post("/api/v1/me/mfa/totp/confirm", u.accessToken(),
                Map.of("code", Totp.code(secret, Totp.step(TestApi.CLOCK.instant())))).status());
        TestApi.inProcess().elapse(Totp.STEP); // the confirming code is spent
        String newPassword = "changed with a code " + UUID.randomUUID();
        Http.Resp badCode = http.post("/api/v1/me/password", u.accessToken(), Map.of("code", "000000", "newPassword", newPassword));
        assertEquals(422, badCode.status());
        assertEquals("code", badCode.json().get("errors").get(0).get("field").asText());
        String code = Totp.code(secret, Totp.step(TestApi.CLOCK.instant()));
        assertEquals(200, http.post("/api/v1/me/password", u.accessToken(), Map.of("code", code, "newPassword", newPassword)).status());
        assertEquals(422, http.post("/api/v1/me/password", u.accessToken(),
                Map.of("code", code, "newPassword", newPassword + "!")).status(), "a code is accepted once");
    }

    @Test
    void passwordChangesAreRateLimited() {
        TestApi.User u = TestApi.newUser();
        for (int i = 0; i < CredentialChanges.PASSWORD_CHANGES; i++) {
            assertEquals(422, http.post("/api/v1/me/password", u.accessToken(),
                    Map.of("currentPassword", "wrong guess " + i, "newPassword", "some long new password " + i)).status());
        }
        Http.Resp limited = http.post("/api/v1/me/password", u.accessToken(),
                Map.of("currentPassword", u.password(), "newPassword", "some long new password x"));
        assertEquals(429, limited.status());
        assertTrue(Long.parseLong(limited.header("retry-after")) >= 1);
    }

    @Test
    void emailChangeIsConfirmedFromTheNewAddressAndTheOldOneIsTold() {
        TestApi.User u = TestApi.newUser();
        TestApi.User other = TestApi.newUser();
        assertEquals(409, http.post("/api/v1/me/email", u.accessToken(),
                Map.of("email", other.email().toUpperCase(), "currentPassword", u.password())).status(), "taken");
        assertEquals(422, http.post("/api/v1/me/email", u.accessToken(),
                Map.of("email", "not an address", "currentPassword", u.password())).status());
        assertEquals(422, http.post("/api/v1/me/email", u.accessToken(),
                Map.of("email", TestApi.unique("n") + "@example.org", "currentPassword", "wrong")).status());

        String first = TestApi.unique("first") + "@example.org";
        assertEquals(202, http.post("/api/v1/me/email", u.accessToken(), Map.of("email", first, "currentPassword", u.password())).status());
        String firstToken = TestApi.mailedToken(first, "change-email");
        String newEmail = TestApi.unique("new") + "@example.org";
        Http.Resp pending = http.post("/api/v1/me/email", u.accessToken(), Map.of("email", newEmail, "currentPassword", u.password()));
        assertEquals(202, pending.status(), pending.text());
        assertEquals(newEmail, pending.json().get("pendingEmail").asText());
        assertEquals(u.email(), http.get("/api/v1/me", u.accessToken()).json().get("email").asText(), "not before the link");

        assertEquals(422, http.post("/api/v1/auth/verify-email", null, Map.of("token", firstToken)).status(),
                "a newer request replaced the older link");
        String token = TestApi.mailedToken(newEmail, "change-email");
        assertEquals(204, http.post("/api/v1/auth/verify-email", null, Map.of("token", token)).status());
        JsonNode me = http.get("/api/v1/me", u.accessToken()).json();
        assertEquals(newEmail, me.get("email").asText());
        assertTrue(me.get("emailVerified").asBoolean());
        assertEquals(422, http.post("/api/v1/auth/verify-email", null, Map.of("token", token)).status(), "single use");
        Mail notice = lastMail(u.email(), "email-changed");
        assertTrue(notice != null && notice.body().contains("was changed to " + newEmail.charAt(0) + "***@example.org"),
                "the old address is told");
        assertEquals(1, securityNotices(u.id(), "email-changed"));
        assertEquals(200, TestApi.login(newEmail, u.password()).status());
    }

    @Test
    void confirmationMailsCanBeAskedForAgainWithinALimit() {
        TestApi.User u = TestApi.newUnverifiedUser();
        for (int i = 0; i < CredentialChanges.VERIFICATION_MAILS; i++) {
            assertEquals(202, http.post("/api/v1/me/email/verification", u.accessToken(), Map.of()).status());
        }
        assertEquals(429, http.post("/api/v1/me/email/verification", u.accessToken(), Map.of()).status());
        String token = TestApi.mailedToken(u.email(), "verify-email");
        assertEquals(204, http.post("/api/v1/auth/verify-email", null, Map.of("token", token)).status());
        TestApi.User verified = TestApi.newUser();
        assertEquals(409, http.post("/api/v1/me/email/verification", verified.accessToken(), Map.of()).status());
    }

    @Test
    void postingCommentingAndCheckoutNeedAConfirmedAddress() {
        TestCatalog.Item t = TestCatalog.published("Hygiene");
        TestApi.User u = TestApi.newUnverifiedUser();
        Http.Resp comment = http.post("/api/v1/titles/" + t.titleId() + "/comments", u.accessToken(), Map.of("body", "First!"));
        assertEquals(403, comment.status(), comment.text());
        assertEquals("email-unverified", comment.problem());
        assertEquals("email-unverified", http.post("/api/v1/media/" + t.mediaId() + "/comments", u.accessToken(),
                Map.of("body", "First!")).problem());
        TestApi.User admin = TestApi.withRole(TestApi.newUser(), "admin");
        String slug = "h-" + UUID.randomUUID().toString().substring(0, 8);
        String category = http.post("/api/v1/forum/categories", admin.accessToken(),
                Map.of("slug", slug, "name", "Hygiene " + slug, "description", "d")).json().get("id").asText();
        assertEquals("email-unverified", http.post("/api/v1/forum/categories/" + category + "/threads", u.accessToken(),
                Map.of("subject", "Hello", "body", "there")).problem());
        assertEquals("email-unverified", http.post("/api/v1/billing/checkout", u.accessToken(),
                Map.of("planId", UUID.randomUUID().toString())).problem());

        String token = TestApi.mailedToken(u.email(), "verify-email");
        assertEquals(204, http.post("/api/v1/auth/verify-email", null, Map.of("token", token)).status());
        assertEquals(201, http.post("/api/v1/titles/" + t.titleId() + "/comments", u.accessToken(), Map.of("body", "First!")).status());
        Http.Resp thread = http.post("/api/v1/forum/categories/" + category + "/threads", u.accessToken(),
                Map.of("subject", "Hello", "body", "there"));
        assertEquals(201, thread.status(), thread.text());
        assertEquals(201, http.post("/api/v1/forum/threads/" + thread.json().get("id").asText() + "/posts", u.accessToken(),
                Map.of("body", "again")).status());
        assertNotEquals(403, http.post("/api/v1/billing/checkout", u.accessToken(),
                Map.of("planId", UUID.randomUUID().toString())).status(), "past the guard (no such plan, or no provider)");
    }

    @Test
    void deletionWaitsTheGracePeriodAndSigningInCancelsIt() {
        TestApi.User u = TestApi.newUser();
        JsonNode other = TestApi.login(u.username(), u.password()).json();
        assertEquals(422, withBody("DELETE", "/api/v1/me", u.accessToken(), Map.of("currentPassword", "wrong")).status());
        Http.Resp scheduled = withBody("DELETE", "/api/v1/me", u.accessToken(), Map.of("currentPassword", u.password()));
        assertEquals(202, scheduled.status(), scheduled.text());
        assertEquals(14, scheduled.json().get("gracePeriodDays").asInt(), "the shipped default");
        assertEquals(409, withBody("DELETE", "/api/v1/me", u.accessToken(), Map.of("currentPassword", u.password())).status());
        assertEquals(401, http.get("/api/v1/me", other.get("accessToken").asText()).status(), "other sessions end");
        assertEquals(1, securityNotices(u.id(), "account-deletion-scheduled"));

        assertEquals(204, http.post("/api/v1/me/deletion/cancel", u.accessToken(), Map.of()).status());
        assertTrue(TestApi.api().accountDeletion().scheduled(u.id()).isEmpty());
        assertEquals(202, withBody("DELETE", "/api/v1/me", u.accessToken(), Map.of("currentPassword", u.password())).status());
        TestApi.inProcess().elapse(Duration.ofDays(13));
        assertEquals(200, TestApi.login(u.username(), u.password()).status(), "signing in within the grace period...");
        assertTrue(TestApi.api().accountDeletion().scheduled(u.id()).isEmpty(), "...keeps the account");
        TestApi.inProcess().elapse(Duration.ofDays(2));
        TestApi.api().accountDeletion().eraseDue();
        assertEquals(200, TestApi.login(u.username(), u.password()).status(), "not erased");
    }

    @Test
    void afterTheGracePeriodPersonalDataIsErasedAndPublicContentShowsADeletedUser() {
        TestCatalog.Item t = TestCatalog.published("Erased");
        TestApi.User u = TestApi.newUser();
        TestApi.User follower = TestApi.newUser();
        assertEquals(200, http.patch("/api/v1/me", u.accessToken(), Map.of("displayName", "Rose Tyler", "bio", "hello")).status());
        Http.Resp comment = http.post("/api/v1/titles/" + t.titleId() + "/comments", u.accessToken(), Map.of("body", "Kept text"));
        assertEquals(201, comment.status(), comment.text());
        String commentId = comment.json().get("id").asText();
        assertEquals(200, http.send(http.builder("/api/v1/me/watchlist/" + t.titleId(), u.accessToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"))).status());
        assertEquals(200, http.send(http.builder("/api/v1/me/follows/users/" + u.username(), follower.accessToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"))).status() / 100 * 100);

        assertEquals(202, withBody("DELETE", "/api/v1/me", u.accessToken(), Map.of("currentPassword", u.password())).status());
        TestApi.inProcess().elapse(Duration.ofDays(13));
        TestApi.api().accountDeletion().eraseDue();
        assertEquals(u.email(), SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                "select email from accounts where id = :id").bind("id", u.id()).mapTo(String.class).one()), "not yet");
        // signing in cancels it: ask again, and let the whole grace period pass
        String token = TestApi.login(u.username(), u.password()).json().get("accessToken").asText();
        assertEquals(202, withBody("DELETE", "/api/v1/me", token, Map.of("currentPassword", u.password())).status());
        TestApi.inProcess().elapse(Duration.ofDays(14).plusMinutes(1));
        assertTrue(TestApi.api().accountDeletion().eraseDue() >= 1);

        assertEquals(401, http.get("/api/v1/me", token).status(), "its sessions are gone");
        assertEquals(401, TestApi.login(u.username(), u.password()).status());
        assertEquals(401, TestApi.login(u.email(), u.password()).status());
        var row = SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                        "select email, username, display_name, bio, deleted_at is not null as gone,"
                                + " (select count(*) from sessions where account_id = a.id) as sessions,"
                                + " (select count(*) from notifications where account_id = a.id) as notes,"
                                + " (select count(*) from watchlist_entries where account_id = a.id) as listed,"
                                + " (select count(*) from follows where target_type = 'user' and target_id = a.id) as followers"
                                + " from accounts a where id = :id")
                .bind("id", u.id()).mapToMap().one());
        assertEquals("deleted-" + u.id() + "@deleted.invalid", row.get("email"));
        assertFalse(((String) row.get("username")).contains(u.username()));
        assertNull(row.get("display_name"));
        assertNull(row.get("bio"));
        assertEquals(true, row.get("gone"));
        assertEquals(0L, row.get("sessions"));
        assertEquals(0L, row.get("notes"));
        assertEquals(0L, row.get("listed"));
        assertEquals(0L, row.get("followers"));
        JsonNode shown = http.get("/api/v1/comments/" + commentId, null).json();
        assertEquals("Kept text", shown.get("body").asText(), "public content stays");
        assertEquals(AccountDeletion.DELETED_USER, shown.get("author").get("username").asText());
        assertTrue(shown.get("author").path("displayName").isNull() || shown.get("author").path("displayName").isMissingNode());
        assertEquals(404, http.get("/api/v1/users/" + row.get("username"), null).status());
    }

    @Test
    void theExportHoldsTheAccountsOwnDataOnly() {
        TestCatalog.Item t = TestCatalog.published("Exported");
        TestApi.User u = TestApi.newUser();
        TestApi.User b = TestApi.newUser();
        assertEquals(201, http.post("/api/v1/titles/" + t.titleId() + "/comments", u.accessToken(), Map.of("body", "mine")).status());
        assertEquals(201, http.post("/api/v1/titles/" + t.titleId() + "/comments", b.accessToken(), Map.of("body", "b's")).status());
        assertEquals(200, http.send(http.builder("/api/v1/titles/" + t.titleId() + "/rating", u.accessToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"score\":8}"))).status());
        assertEquals(200, http.send(http.builder("/api/v1/me/watchlist/" + t.titleId(), u.accessToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"))).status());
        assertEquals(200, http.post("/api/v1/me/password", u.accessToken(),
                Map.of("currentPassword", u.password(), "newPassword", "exported new password " + UUID.randomUUID())).status());

        Http.Resp r = http.get("/api/v1/me/export", u.accessToken());
        assertEquals(200, r.status(), r.text());
        assertTrue(r.header("content-disposition").startsWith("attachment"));
        JsonNode a = r.json();
        assertEquals(AccountExport.FORMAT, a.get("format").asInt());
        assertEquals(u.email(), a.get("profile").get("email").asText());
        assertEquals(1, a.get("comments").size());
        assertEquals("mine", a.get("comments").get(0).get("body").asText());
        assertEquals(8, a.get("ratings").get(0).get("score").asInt());
        assertEquals(t.titleId().toString(), a.get("watchlist").get(0).get("titleId").asText());
        assertTrue(a.get("sessions").size() >= 1);
        assertTrue(a.get("notifications").size() >= 1, "the password-change notice");
        assertTrue(a.get("invoices").isArray());
        assertEquals(0, a.get("truncated").size());
        assertFalse(r.text().contains("password_hash") || r.text().contains("$argon2"), "no secrets");
        Instant.parse(a.get("exportedAt").asText());
        // b's export is b's
        assertEquals("b's", http.get("/api/v1/me/export", b.accessToken()).json().get("comments").get(0).get("body").asText());
        for (int i = 1; i < AccountExport.EXPORTS; i++) {
            http.get("/api/v1/me/export", u.accessToken());
        }
        assertEquals(429, http.get("/api/v1/me/export", u.accessToken()).status());
    }
}
