package dev.kino.control.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeTest {
    private final Http http = TestApi.http();

    @Test
    void readAndPatchProfile() {
        TestApi.User u = TestApi.newUser();
        JsonNode me = http.get("/api/v1/me", u.accessToken()).json();
        assertEquals(u.email(), me.get("email").asText());
        assertEquals("adult", me.get("maturity").asText());
        assertTrue(me.get("roles").toString().contains("user"));

        Map<String, Object> patch = Map.of("displayName", "Ada", "avatarUrl", "https://img.example.org/a.png",
                "bio", "Films.", "preferredAudioLanguages", List.of("en", "pt-br"),
                "preferredSubtitleLanguages", List.of("zh-Hant"), "maturity", "teen");
        Http.Resp r = http.patch("/api/v1/me", u.accessToken(), patch);
        assertEquals(200, r.status(), r.text());
        assertEquals("Ada", r.json().get("displayName").asText());
        assertEquals("[\"en\",\"pt-BR\"]", r.json().get("preferredAudioLanguages").toString(), "canonical BCP 47");
        assertEquals("teen", r.json().get("maturity").asText());

        assertFalse(http.patch("/api/v1/me", u.accessToken(), "{\"bio\": null}").json().has("bio"), "null clears");
        assertEquals("Ada", http.get("/api/v1/me", u.accessToken()).json().get("displayName").asText(), "absent keeps");
    }

    @Test
    void aRestrictedAccountCannotLiftItsOwnMaturityLimit() {
        TestApi.User child = TestApi.newUser();
        assertEquals(200, http.patch("/api/v1/me", child.accessToken(), Map.of("maturity", "kids")).status());
        for (String higher : List.of("family", "teen", "adult")) {
            Http.Resp r = http.patch("/api/v1/me", child.accessToken(), Map.of("maturity", higher));
            assertEquals(403, r.status(), r.text());
            assertTrue(r.text().contains("administrator"), r.text());
        }
        assertEquals("kids", http.get("/api/v1/me", child.accessToken()).json().get("maturity").asText());
        // the account cannot grant itself the permission either; an administrator can raise it
        String path = "/api/v1/admin/users/" + child.id() + "/maturity";
        assertEquals(403, http.send(http.builder(path, child.accessToken()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"maturity\":\"adult\"}"))).status());
        TestApi.User admin = TestApi.withRole(TestApi.newUser(), "admin");
        Http.Resp raised = http.send(http.builder(path, admin.accessToken()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"maturity\":\"teen\"}")));
        assertEquals(204, raised.status(), raised.text());
        assertEquals("teen", http.get("/api/v1/me", child.accessToken()).json().get("maturity").asText());
        assertEquals(404, http.send(http.builder("/api/v1/admin/users/" + java.util.UUID.randomUUID() + "/maturity",
                admin.accessToken()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"maturity\":\"teen\"}"))).status());
        // lowering stays self-service
        assertEquals(200, http.patch("/api/v1/me", child.accessToken(), Map.of("maturity", "family")).status());
    }

    @Test
    void patchValidationNamesEachField() {
        TestApi.User u = TestApi.newUser();
        Map<String, Object> bad = Map.of("avatarUrl", "http://insecure.example/a.png", "bio", "x".repeat(2001),
                "preferredAudioLanguages", List.of("en", "not a tag!"), "maturity", "everything", "email", "x@y.z");
        Http.Resp r = http.patch("/api/v1/me", u.accessToken(), bad);
        assertEquals(422, r.status());
        Set<String> fields = new HashSet<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(Set.of("avatarUrl", "bio", "preferredAudioLanguages[1]", "maturity", "email"), fields);
    }

    @Test
    void sessionsAreListedWithPaginationAndCurrentMarked() {
        TestApi.User u = TestApi.newUser();
        for (int i = 0; i < 4; i++) {
            TestApi.CLOCK.advance(java.time.Duration.ofMillis(10));
            assertEquals(200, TestApi.login(u.username(), u.password()).status());
        }
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Http.Resp r = http.get("/api/v1/me/sessions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), u.accessToken());
            assertEquals(200, r.status(), r.text());
            r.json().get("items").forEach(s -> ids.add(s.get("id").asText()));
            cursor = r.json().has("next") ? r.json().get("next").asText() : null;
        } while (cursor != null);
        assertEquals(5, ids.size());
        assertEquals(5, new HashSet<>(ids).size());
        JsonNode first = http.get("/api/v1/me/sessions?limit=100", u.accessToken()).json().get("items");
        int current = 0;
        for (JsonNode s : first) {
            current += s.get("current").asBoolean() ? 1 : 0;
        }
        assertEquals(1, current);
    }

    @Test
    void usersCannotSeeOrRevokeEachOthersSessions() {
        TestApi.User a = TestApi.newUser();
        TestApi.User b = TestApi.newUser();
        String aSessions = http.get("/api/v1/me/sessions", a.accessToken()).text();
        assertFalse(aSessions.contains(b.sessionId().toString()));
        Http.Resp r = http.delete("/api/v1/me/sessions/" + b.sessionId(), a.accessToken());
        assertEquals(404, r.status(), "another user's session does not exist for you");
        assertEquals(200, http.get("/api/v1/me", b.accessToken()).status(), "B's session survives");
        assertEquals(403, http.get("/api/v1/admin/users/" + b.id(), a.accessToken()).status(),
                "nor can A read B's account");
        assertEquals(b.username(), http.get("/api/v1/me", b.accessToken()).json().get("username").asText());
        assertEquals(a.username(), http.get("/api/v1/me", a.accessToken()).json().get("username").asText());
    }

    @Test
    void revokingOwnSessionEndsIt() {
        TestApi.User u = TestApi.newUser();
        JsonNode other = TestApi.login(u.username(), u.password()).json();
        assertEquals(204, http.delete("/api/v1/me/sessions/" + other.get("sessionId").asText(), u.accessToken()).status());
        assertEquals(401, http.get("/api/v1/me", other.get("accessToken").asText()).status());
        assertEquals(401, http.post("/api/v1/auth/refresh", null, Map.of("refreshToken", other.get("refreshToken").asText())).status());
        assertEquals(404, http.delete("/api/v1/me/sessions/" + other.get("sessionId").asText(), u.accessToken()).status());
        assertEquals(404, http.delete("/api/v1/me/sessions/not-a-uuid", u.accessToken()).status());
    }

    @Test
    void meNeedsAToken() {
        Http.Resp r = http.get("/api/v1/me", null);
        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"kino\"", r.header("www-authenticate"));
        assertEquals(401, http.delete("/api/v1/me", null).status(), "deleting the account needs its owner");
    }
}
