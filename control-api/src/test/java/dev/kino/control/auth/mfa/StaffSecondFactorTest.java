package dev.kino.control.auth.mfa;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code control.requireStaffSecondFactor}: a node started with it on (beside the shared one, which has it off, on the
 * same database) limits staff without a second factor to enrolment.
 */
class StaffSecondFactorTest {
    private static ControlApi strict;
    private static Http http;

    @BeforeAll
    static void start() {
        TestApi.api();
        KinoConfig config = SharedDatabase.config("control.requireStaffSecondFactor=true");
        assertTrue(config.control().requireStaffSecondFactor());
        strict = ControlApi.builder(config, SecretStore.resolve(config), SharedDatabase.get(),
                        new InProcessSharedState(TestApi.CLOCK))
                .clock(TestApi.CLOCK).mailSender(TestApi.MAILS::add).passwordParams(PasswordHasher.Params.FAST_INSECURE)
                .outboxInterval(Duration.ZERO).notificationRounds(Duration.ZERO).start();
        http = new Http(strict.port());
    }

    @AfterAll
    static void stop() {
        strict.close();
        TestApi.api().outbox().dispatchPending(); // the security notices' mails, so no later test's outbox finds ours
    }

    private static String signIn(TestApi.User u) {
        Http.Resp r = http.post("/api/v1/auth/login", null, Map.of("login", u.username(), "password", u.password()));
        assertEquals(200, r.status(), r.text());
        return r.json().get("accessToken").asText();
    }

    @Test
    void anAdministratorWithoutASecondFactorMayOnlyEnrolOne() {
        TestApi.User admin = TestApi.withRole(TestApi.newUser(), "admin");
        String token = signIn(admin);
        Http.Resp denied = http.get("/api/v1/admin/roles", token);
        assertEquals(403, denied.status(), denied.text());
        assertEquals("application/problem+json", denied.header("Content-Type"));
        assertEquals("second-factor-required", denied.problem());
        assertTrue(denied.json().get("detail").asText().contains("/api/v1/me/mfa/totp"), denied.text());
        // a public route with the token is no way around it
        assertEquals("second-factor-required", http.get("/api/v1/titles", token).problem());
        // what it can still do: read itself and its sessions, enrol
        assertEquals(200, http.get("/api/v1/me", token).status());
        assertEquals(200, http.get("/api/v1/me/sessions", token).status());
        assertEquals(200, http.get("/api/v1/me/mfa", token).status());
        Http.Resp start = http.post("/api/v1/me/mfa/totp", token, Map.of());
        assertEquals(200, start.status(), start.text());
        byte[] secret = Base32.decode(start.json().get("secret").asText());
        Http.Resp confirm = http.post("/api/v1/me/mfa/totp/confirm", token,
                Map.of("code", Totp.code(secret, Totp.step(TestApi.CLOCK.instant()))));
        assertEquals(200, confirm.status(), confirm.text());
        // enrolled: the same session is a full one now
        assertEquals(200, http.get("/api/v1/admin/roles", token).status());
        // and signing in takes the second factor from now on
        Http.Resp login = http.post("/api/v1/auth/login", null, Map.of("login", admin.username(), "password", admin.password()));
        assertTrue(login.json().get("mfaRequired").asBoolean(), login.text());
    }

    @Test
    void moderatorsToo_butMembersAreNotAsked() {
        TestApi.User moderator = TestApi.withRole(TestApi.newUser(), "moderator");
        assertEquals("second-factor-required", http.get("/api/v1/admin/users/" + moderator.id(), signIn(moderator)).problem());
        TestApi.User member = TestApi.newUser();
        String token = signIn(member);
        assertEquals(200, http.get("/api/v1/titles", token).status());
        assertEquals(200, http.get("/api/v1/me/notifications", token).status());
        // the shared node runs with the switch off: the same administrator works there
        TestApi.User admin = TestApi.withRole(TestApi.newUser(), "admin");
        assertEquals(200, TestApi.http().get("/api/v1/admin/roles", admin.accessToken()).status());
    }
}
