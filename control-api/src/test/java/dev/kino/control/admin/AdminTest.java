package dev.kino.control.admin;

import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminTest {
    private final Http http = TestApi.http();

    @Test
    void registrationNeverGrantsMoreThanUserNotEvenTheFirst() {
        TestApi.api();
        assertEquals("[\"user\"]", TestApi.BOOTSTRAP_ROLES, "the first registration of a fresh instance is a plain user");
        assertEquals("[\"user\"]", TestApi.register(TestApi.unique("second"), TestApi.unique("s") + "@example.org",
                "a fine long passphrase").json().get("roles").toString());
    }

    @Test
    void onlyRoleManagersManageRoles() {
        TestApi.User user = TestApi.newUser();
        assertEquals(403, http.get("/api/v1/admin/roles", user.accessToken()).status());
        TestApi.User admin = TestApi.withRole(TestApi.newUser(), "admin");
        Http.Resp roles = http.get("/api/v1/admin/roles", admin.accessToken());
        assertEquals(200, roles.status(), roles.text());
        assertTrue(roles.text().contains("\"moderator\""));

        String name = "curator-" + TestApi.unique("r").substring(1, 6).toLowerCase();
        Http.Resp created = http.post("/api/v1/admin/roles", admin.accessToken(),
                Map.of("name", name, "description", "edits the catalogue", "permissions", List.of("catalog.write")));
        assertEquals(201, created.status(), created.text());
        assertEquals(409, http.post("/api/v1/admin/roles", admin.accessToken(),
                Map.of("name", name, "permissions", List.of())).status());
        Http.Resp bad = http.post("/api/v1/admin/roles", admin.accessToken(),
                Map.of("name", "x" + name, "permissions", List.of("catalog.write", "launch.missiles")));
        assertEquals(422, bad.status());
        assertEquals("permissions[1]", bad.json().get("errors").get(0).get("field").asText());

        Http.Resp assigned = http.send(http.builder("/api/v1/admin/users/" + user.id() + "/roles", admin.accessToken())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"roles\":[\"" + name + "\"]}")));
        assertEquals(200, assigned.status(), assigned.text());
        assertTrue(http.get("/api/v1/me", user.accessToken()).json().get("permissions").toString().contains("catalog.write"),
                "the change applies to existing tokens at once");

        assertEquals(409, http.delete("/api/v1/admin/roles/admin", admin.accessToken()).status());
        assertEquals(204, http.delete("/api/v1/admin/roles/" + name, admin.accessToken()).status());
        assertEquals(404, http.delete("/api/v1/admin/roles/" + name, admin.accessToken()).status());
    }

    @Test
    void bannedUsersLoseTheirTokensAndCannotLogIn() {
        TestApi.User target = TestApi.newUser();
        TestApi.User mod = TestApi.withRole(TestApi.newUser(), "moderator");
        Http.Resp ban = http.post("/api/v1/admin/users/" + target.id() + "/ban", mod.accessToken(),
                Map.of("reason", "spam", "expiresAt", TestApi.CLOCK.instant().plus(Duration.ofDays(1)).toString()));
        assertEquals(201, ban.status(), ban.text());
        Http.Resp me = http.get("/api/v1/me", target.accessToken());
        assertTrue(me.status() == 401 || me.status() == 403, me.text());
        Http.Resp login = TestApi.login(target.username(), target.password());
        assertEquals(403, login.status());
        assertEquals("banned", login.problem());
        assertTrue(login.json().get("detail").asText().contains("spam"));
        assertEquals("spam", http.get("/api/v1/admin/users/" + target.id(), mod.accessToken()).json()
                .get("ban").get("reason").asText());

        TestApi.CLOCK.advance(Duration.ofDays(1).plusSeconds(1));
        assertEquals(200, TestApi.login(target.username(), target.password()).status(), "the ban expired");
    }

    @Test
    void liftingABanRestoresLogin() {
        TestApi.User target = TestApi.newUser();
        TestApi.User admin = TestApi.withRole(TestApi.newUser(), "admin");
        assertEquals(201, http.post("/api/v1/admin/users/" + target.id() + "/ban", admin.accessToken(),
                Map.of("reason", "abuse")).status());
        assertEquals(403, TestApi.login(target.username(), target.password()).status());
        assertEquals(204, http.delete("/api/v1/admin/users/" + target.id() + "/ban", admin.accessToken()).status());
        assertEquals(200, TestApi.login(target.username(), target.password()).status());
        assertEquals(404, http.delete("/api/v1/admin/users/" + target.id() + "/ban", admin.accessToken()).status());
    }

    @Test
    void moderatorsCannotBanAdminsAndUsersCannotBan() {
        TestApi.User admin = TestApi.withRole(TestApi.newUser(), "admin");
        TestApi.User mod = TestApi.withRole(TestApi.newUser(), "moderator");
        TestApi.User user = TestApi.newUser();
        assertEquals(403, http.post("/api/v1/admin/users/" + admin.id() + "/ban", mod.accessToken(),
                Map.of("reason", "coup")).status());
        assertEquals(403, http.post("/api/v1/admin/users/" + mod.id() + "/ban", user.accessToken(),
                Map.of("reason", "revenge")).status());
        assertEquals(404, http.post("/api/v1/admin/users/" + java.util.UUID.randomUUID() + "/ban", admin.accessToken(),
                Map.of("reason", "nobody")).status());
        assertEquals(422, http.post("/api/v1/admin/users/" + user.id() + "/ban", admin.accessToken(),
                Map.of("reason", "")).status());
    }
}
