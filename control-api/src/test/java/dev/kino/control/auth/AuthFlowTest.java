package dev.kino.control.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthFlowTest {
    private final TestApi.Node api = node();
    private final Http http = api.http();

    /** @return the node the tests run against: in-process shared state here, Redis in the subclass */
    TestApi.Node node() {
        return TestApi.inProcess();
    }

    @Test
    void registerLoginUseRefreshLogout() {
        String name = TestApi.unique("flow");
        String email = name + "@Example.org";
        Http.Resp reg = api.register(name, email, "a fine long passphrase");
        assertEquals(201, reg.status(), reg.text());
        assertEquals("/api/v1/me", reg.header("location"));
        String stored = SharedDatabase.get().jdbi().withHandle(h -> h.select(
                "select password_hash from accounts where username = ?", name).mapTo(String.class).one());
        assertTrue(stored.startsWith("$argon2id$v=19$m="), "Argon2id PHC string carrying its parameters");

        Http.Resp login = api.login(email.toLowerCase(), "a fine long passphrase");
        assertEquals(200, login.status(), login.text());
        JsonNode t = login.json();
        assertEquals("Bearer", t.get("tokenType").asText());
        assertEquals(900, t.get("expiresIn").asInt());
        String access = t.get("accessToken").asText();
        assertEquals(200, http.get("/api/v1/me", access).status());
        assertEquals(name, http.get("/api/v1/me", access).json().get("username").asText());

        Http.Resp refreshed = http.post("/api/v1/auth/refresh", null, Map.of("refreshToken", t.get("refreshToken").asText()));
        assertEquals(200, refreshed.status(), refreshed.text());
        String refresh2 = refreshed.json().get("refreshToken").asText();
        assertNotEquals(t.get("refreshToken").asText(), refresh2, "rotated");
        assertEquals(t.get("sessionId").asText(), refreshed.json().get("sessionId").asText());

        assertEquals(204, http.post("/api/v1/auth/logout", null, Map.of("refreshToken", refresh2)).status());
        assertEquals(401, http.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refresh2)).status());
        assertEquals(401, http.get("/api/v1/me", access).status(), "the session's access token stops too");
    }

    @Test
    void loginByUsernameIsCaseInsensitive() {
        TestApi.User u = api.newUser();
        assertEquals(200, api.login(u.username().toUpperCase(), u.password()).status());
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheFamily() {
        TestApi.User u = api.newUser();
        Http.Resp first = http.post("/api/v1/auth/refresh", null, Map.of("refreshToken", u.refreshToken()));
        assertEquals(200, first.status());
        String current = first.json().get("refreshToken").asText();
        String currentAccess = first.json().get("accessToken").asText();

        Http.Resp replay = http.post("/api/v1/auth/refresh", null, Map.of("refreshToken", u.refreshToken()));
        assertEquals(401, replay.status());
        assertTrue(replay.json().get("detail").asText().contains("revoked"), replay.text());
        // the legitimate holder's newer token and access token die with the family
        assertEquals(401, http.post("/api/v1/auth/refresh", null, Map.of("refreshToken", current)).status());
        assertEquals(401, http.get("/api/v1/me", currentAccess).status());
    }

    @Test
    void wrongPasswordAndUnknownAccountLookTheSame() {
        TestApi.User u = api.newUser();
        Http.Resp wrong = api.login(u.username(), "not the password at all");
        Http.Resp unknown = api.login(TestApi.unique("nobody"), "not the password at all");
        assertEquals(401, wrong.status());
        assertEquals(401, unknown.status());
        assertEquals(wrong.json().get("detail"), unknown.json().get("detail"));
        assertEquals("invalid-credentials", wrong.problem());
    }

    @Test
    void aRegisteredEmailIsNotRevealedButMailedAndATakenUsernameIs409() {
        TestApi.User u = api.newUser();
        String otherName = TestApi.unique("other");
        Http.Resp sameEmail = api.register(otherName, u.email().toUpperCase(), "a fine long passphrase");
        String freshName = TestApi.unique("fresh");
        Http.Resp fresh = api.register(freshName, freshName + "@example.org", "a fine long passphrase");
        // the same status and the same shape as a new account: the form does not tell who is registered
        assertEquals(fresh.status(), sameEmail.status(), sameEmail.text());
        assertEquals(201, sameEmail.status());
        assertEquals(fieldNames(fresh.json()), fieldNames(sameEmail.json()));
        assertEquals(otherName, sameEmail.json().get("username").asText());
        assertTrue(!sameEmail.json().get("id").asText().equals(u.id().toString()), "no account id leaks");
        // nothing was created, and the address's owner is told
        assertEquals(401, api.login(otherName, "a fine long passphrase").status());
        api.api().outbox().dispatchPending();
        assertTrue(TestApi.MAILS.stream().anyMatch(m -> m.recipient().equalsIgnoreCase(u.email())
                && m.kind().equals("already-registered")), "the owner gets the 'you already have an account' mail");
        Http.Resp sameName = api.register(u.username().toUpperCase(), TestApi.unique("x") + "@example.org",
                "a fine long passphrase");
        assertEquals(409, sameName.status(), "usernames are public");
        assertEquals("conflict", sameName.problem());
    }

    private static java.util.Set<String> fieldNames(JsonNode n) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void registrationValidationListsEveryField() {
        Http.Resp r = api.register("a", "not-an-email", "password123");
        assertEquals(422, r.status());
        JsonNode errors = r.json().get("errors");
        assertTrue(errors.size() >= 3, r.text());
        assertTrue(r.text().contains("\"field\":\"email\""));
        assertTrue(r.text().contains("\"field\":\"username\""));
        assertTrue(r.text().contains("too common"));
        Http.Resp withName = api.register("moviebuff", "moviebuff@example.org", "moviebuff-rocks");
        assertEquals(422, withName.status());
        assertTrue(withName.text().contains("username"));
    }

    @Test
    void repeatedFailuresDelayOnlyTheAddressTheyComeFrom() throws Exception {
        TestApi.User u = api.newUser();
        for (int i = 1; i < LoginThrottle.FAILURE_LIMIT; i++) {
            assertEquals(401, api.login(u.username(), "wrong password " + i).status());
        }
        Http.Resp delayed = api.login(u.username(), "wrong password again");
        assertEquals(429, delayed.status());
        assertEquals(LoginThrottle.FIRST_DELAY.toSeconds(), Long.parseLong(delayed.header("retry-after")));
        Http.Resp stillDelayed = api.login(u.username(), u.password());
        assertEquals(429, stillDelayed.status(), "from the guessing address even the right password waits");
        assertEquals("rate-limited", stillDelayed.problem());
        if (api.onRedis()) {
            java.time.Duration ttl = dev.kino.control.support.SharedRedis.ttl("login:delay:" + u.id() + ":127.0.0.1")
                    .orElseThrow();
            assertTrue(ttl.compareTo(LoginThrottle.FIRST_DELAY) <= 0 && ttl.toSeconds() > 0,
                    "the delay lives in Redis and expires there: " + ttl);
        }
        // the owner, elsewhere, is not locked out by someone else's guesses
        assertEquals(200, loginFrom("127.0.0.2", u.username(), u.password()));
        api.elapse(LoginThrottle.FIRST_DELAY.plusSeconds(1));
        Http.Resp doubled = api.login(u.username(), "wrong password six");
        assertEquals(429, doubled.status());
        assertEquals(2 * LoginThrottle.FIRST_DELAY.toSeconds(), Long.parseLong(doubled.header("retry-after")),
                "each further failure doubles the delay");
        api.elapse(LoginThrottle.LOCKOUT.plusSeconds(1));
        assertEquals(200, api.login(u.username(), u.password()).status());
    }

    @Test
    void aDistributedGuessClosesTheAccountToUnknownDevicesOnly() throws Exception {
        TestApi.User u = api.newUser(); // signed in from 127.0.0.1: a known device
        int sources = LoginThrottle.ACCOUNT_FAILURE_LIMIT / LoginThrottle.FAILURE_LIMIT;
        for (int s = 0; s < sources; s++) {
            for (int i = 0; i < LoginThrottle.FAILURE_LIMIT; i++) {
                int status = loginFrom("127.0.1." + (10 + s), u.username(), "guess " + s + "/" + i);
                assertTrue(status == 401 || status == 429, "status " + status);
            }
        }
        assertEquals(429, loginFrom("127.0.2.1", u.username(), u.password()), "an unknown device waits");
        assertEquals(200, api.login(u.username(), u.password()).status(), "a known device signs in during the attack");
        api.elapse(LoginThrottle.LOCKOUT.plusSeconds(1));
        assertEquals(200, loginFrom("127.0.2.1", u.username(), u.password()));
    }

    /** Signs in over a socket bound to {@code localIp} (any 127/8 address reaches the server on Linux). */
    private int loginFrom(String localIp, String login, String password) throws java.io.IOException {
        byte[] body = dev.kino.control.http.Json.MAPPER.writeValueAsBytes(Map.of("login", login, "password", password));
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(localIp, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", api.api().port()), 5_000);
            socket.setSoTimeout(10_000);
            String head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: kino\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            String status = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            api.resetRateLimit("login:ip:" + localIp);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void tooManyAttemptsFromOneAddressIs429() {
        api.state().blocking(Duration.ofSeconds(5)).resetRateLimit("login:ip:127.0.0.1");
        Http.Resp last = null;
        for (int i = 0; i <= LoginThrottle.IP_LIMIT; i++) {
            last = http.post("/api/v1/auth/login", null, Map.of("login", TestApi.unique("ghost"), "password", "whatever it is"));
        }
        assertEquals(429, last.status());
        long retry = Long.parseLong(last.header("retry-after"));
        assertTrue(retry >= 1 && retry <= LoginThrottle.IP_WINDOW.toSeconds());
        api.state().blocking(Duration.ofSeconds(5)).resetRateLimit("login:ip:127.0.0.1");
    }

    @Test
    void emailVerificationTokenIsSingleUse() {
        TestApi.User u = api.newUnverifiedUser();
        assertEquals(false, http.get("/api/v1/me", u.accessToken()).json().get("emailVerified").asBoolean());
        String token = api.mailedToken(u.email(), "verify-email");
        assertEquals(204, http.post("/api/v1/auth/verify-email", null, Map.of("token", token)).status());
        assertEquals(true, http.get("/api/v1/me", u.accessToken()).json().get("emailVerified").asBoolean());
        Http.Resp again = http.post("/api/v1/auth/verify-email", null, Map.of("token", token));
        assertEquals(422, again.status());
        assertEquals("token", again.json().get("errors").get(0).get("field").asText());
    }

    @Test
    void sentMailLosesItsBody() {
        TestApi.User u = api.newUser();
        api.mailedToken(u.email(), "verify-email");
        long withBody = SharedDatabase.get().jdbi().withHandle(h -> h.select(
                "select count(*) from outbox where recipient = ? and body is not null", u.email()).mapTo(long.class).one());
        assertEquals(0, withBody);
    }

    @Test
    void passwordResetEndsSessionsAndExpires() {
        TestApi.User u = api.newUser();
        assertEquals(202, http.post("/api/v1/auth/password-reset", null, Map.of("email", u.email())).status());
        assertEquals(202, http.post("/api/v1/auth/password-reset", null,
                Map.of("email", TestApi.unique("nobody") + "@example.org")).status(), "no account enumeration");
        String token = api.mailedToken(u.email(), "password-reset");

        Http.Resp weak = http.post("/api/v1/auth/password-reset/confirm", null, Map.of("token", token, "password", "qwertyuiop"));
        assertEquals(422, weak.status());
        assertEquals("password", weak.json().get("errors").get(0).get("field").asText());

        api.elapse(Duration.ofSeconds(1)); // the reset invalidates tokens issued before it (1 s granularity)
        assertEquals(204, http.post("/api/v1/auth/password-reset/confirm", null,
                Map.of("token", token, "password", "a brand new passphrase")).status());
        assertEquals(401, http.get("/api/v1/me", u.accessToken()).status());
        assertEquals(401, http.post("/api/v1/auth/refresh", null, Map.of("refreshToken", u.refreshToken())).status());
        assertEquals(401, api.login(u.username(), u.password()).status());
        assertEquals(200, api.login(u.username(), "a brand new passphrase").status());
        assertEquals(422, http.post("/api/v1/auth/password-reset/confirm", null,
                Map.of("token", token, "password", "yet another passphrase")).status(), "single use");

        assertEquals(202, http.post("/api/v1/auth/password-reset", null, Map.of("email", u.email())).status());
        String late = api.mailedToken(u.email(), "password-reset");
        api.elapse(AuthService.PASSWORD_RESET_TTL.plusSeconds(1));
        assertEquals(422, http.post("/api/v1/auth/password-reset/confirm", null,
                Map.of("token", late, "password", "yet another passphrase")).status(), "expired");
    }

    @Test
    void loginRehashesWeakerHashes() {
        TestApi.User u = api.newUser();
        String weak = new PasswordHasher(new PasswordHasher.Params(32, 1, 1)).hash(u.password());
        SharedDatabase.get().jdbi().useHandle(h -> h.execute("update accounts set password_hash = ? where id = ?", weak, u.id()));
        assertEquals(200, api.login(u.username(), u.password()).status());
        String now = SharedDatabase.get().jdbi().withHandle(h -> h.select(
                "select password_hash from accounts where id = ?", u.id()).mapTo(String.class).one());
        assertEquals(PasswordHasher.Params.FAST_INSECURE, PasswordHasher.paramsOf(now));
    }
}
