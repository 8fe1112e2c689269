package dev.kino.control.auth.mfa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.http.Json;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TOTP second factor and the two-step sign-in, end to end on the real API and PostgreSQL. */
class MfaTest {
    /** Security notices queue mails: send them, so no later test's outbox finds ours. */
    @org.junit.jupiter.api.AfterAll
    static void sendQueuedMail() {
        TestApi.api().outbox().dispatchPending();
    }


    /** An account with an authenticator app: its user, the app's secret and the recovery codes. */
    record Enrolled(TestApi.User user, byte[] secret, List<String> recoveryCodes) {
        String code() {
            return Totp.code(secret, Totp.step(TestApi.CLOCK.instant()));
        }
    }

    static Http http() {
        return TestApi.http();
    }

    /** Lets a time-step pass, so the app shows a code not used yet. */
    static void nextStep() {
        TestApi.inProcess().elapse(Totp.STEP);
    }

    static Enrolled enrol() {
        TestApi.User u = TestApi.newUser();
        Http.Resp start = http().post("/api/v1/me/mfa/totp", u.accessToken(), Map.of());
        assertEquals(200, start.status(), start.text());
        byte[] secret = Base32.decode(start.json().get("secret").asText());
        String code = Totp.code(secret, Totp.step(TestApi.CLOCK.instant()));
        Http.Resp confirm = http().post("/api/v1/me/mfa/totp/confirm", u.accessToken(), Map.of("code", code));
        assertEquals(200, confirm.status(), confirm.text());
        List<String> codes = new ArrayList<>();
        confirm.json().get("recoveryCodes").forEach(c -> codes.add(c.asText()));
        nextStep(); // the confirming code is spent
        return new Enrolled(u, secret, codes);
    }

    static String challenge(TestApi.User u) {
        Http.Resp login = TestApi.login(u.username(), u.password());
        assertEquals(200, login.status(), login.text());
        assertTrue(login.json().path("mfaRequired").asBoolean(), login.text());
        assertFalse(login.json().has("accessToken"), "no tokens before the second factor: " + login.text());
        assertFalse(login.json().has("refreshToken"));
        return login.json().get("challenge").asText();
    }

    static Http.Resp answer(String challenge, String code) {
        TestApi.inProcess().resetRateLimit("login:ip:127.0.0.1");
        return http().post("/api/v1/auth/login/mfa", null, Map.of("challenge", challenge, "code", code));
    }

    static Http.Resp deleteWithBody(String path, String token, Object body) {
        try {
            return http().send(http().builder(path, token).header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void enrolmentShowsTheSecretAsUriAndQrAndAFirstCodeConfirmsIt() {
        TestApi.User u = TestApi.newUser();
        Http.Resp start = http().post("/api/v1/me/mfa/totp", u.accessToken(), Map.of());
        assertEquals(200, start.status(), start.text());
        String secret = start.json().get("secret").asText();
        assertTrue(secret.matches("[A-Z2-7]{32}"), secret);
        assertEquals("otpauth://totp/Kino:" + u.username() + "?secret=" + secret
                + "&issuer=Kino&algorithm=SHA1&digits=6&period=30", start.json().get("otpauthUri").asText());
        assertTrue(start.json().get("qrCode").asText().startsWith("data:image/svg+xml;base64,"));
        // stored sealed: the database never holds the secret itself
        byte[] stored = dev.kino.control.support.SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                "select secret_sealed from mfa_totp where account_id = :a").bind("a", u.id()).mapTo(byte[].class).one());
        assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(Base32.decode(secret), java.nio.charset.StandardCharsets.ISO_8859_1)));
        JsonNode pending = http().get("/api/v1/me/mfa", u.accessToken()).json();
        assertTrue(pending.get("totpPending").asBoolean());
        assertFalse(pending.get("totp").asBoolean());
        // not yet a second factor: the password alone still signs in
        assertTrue(TestApi.login(u.username(), u.password()).json().has("accessToken"));

        byte[] key = Base32.decode(secret);
        long now = Totp.step(TestApi.CLOCK.instant());
        String wrong = Totp.code(key, now + 5);
        Http.Resp bad = http().post("/api/v1/me/mfa/totp/confirm", u.accessToken(), Map.of("code", wrong));
        assertEquals(422, bad.status(), bad.text());
        Http.Resp ok = http().post("/api/v1/me/mfa/totp/confirm", u.accessToken(), Map.of("code", Totp.code(key, now)));
        assertEquals(200, ok.status(), ok.text());
        assertEquals(10, ok.json().get("recoveryCodes").size());
        JsonNode status = http().get("/api/v1/me/mfa", u.accessToken()).json();
        assertTrue(status.get("totp").asBoolean());
        assertEquals(10, status.get("recoveryCodesLeft").asInt());
        // a second app needs the first removed
        assertEquals(409, http().post("/api/v1/me/mfa/totp", u.accessToken(), Map.of()).status());
        assertEquals(409, http().post("/api/v1/me/mfa/totp/confirm", u.accessToken(),
                Map.of("code", Totp.code(key, now))).status());
    }

    @Test
    void signInNeedsTheCodeAndACodeIsAcceptedOnce() {
        Enrolled e = enrol();
        String challenge = challenge(e.user());
        Http.Resp login = TestApi.login(e.user().username(), e.user().password());
        assertTrue(login.json().get("factors").toString().contains("totp"), login.text());

        String code = e.code();
        Http.Resp done = answer(challenge, code);
        assertEquals(200, done.status(), done.text());
        String access = done.json().get("accessToken").asText();
        assertEquals(e.user().username(), http().get("/api/v1/me", access).json().get("username").asText());
        assertTrue(done.json().has("refreshToken"));

        // the challenge is spent
        assertEquals(401, answer(challenge, e.code()).status());
        // the same code, on a new challenge in the same 30 seconds: a replay, refused
        Http.Resp replay = answer(challenge(e.user()), code);
        assertEquals(422, replay.status(), replay.text());
        // and the code of the step before is older still
        long step = Totp.step(TestApi.CLOCK.instant());
        assertEquals(422, answer(challenge(e.user()), Totp.code(e.secret(), step - 1)).status());
        nextStep();
        assertEquals(200, answer(challenge(e.user()), e.code()).status());
    }

    @Test
    void aRecoveryCodeWorksOnce() {
        Enrolled e = enrol();
        String recovery = e.recoveryCodes().get(3);
        Http.Resp first = answer(challenge(e.user()), recovery.toUpperCase());
        assertEquals(200, first.status(), first.text());
        Http.Resp again = answer(challenge(e.user()), recovery);
        assertEquals(422, again.status(), again.text());
        assertEquals(9, http().get("/api/v1/me/mfa", first.json().get("accessToken").asText()).json()
                .get("recoveryCodesLeft").asInt());
        assertEquals(200, answer(challenge(e.user()), e.recoveryCodes().get(4)).status());
    }

    @Test
    void wrongCodesSpendTheChallengeAndThenTheAccountIsRateLimited() {
        Enrolled e = enrol();
        String challenge = challenge(e.user());
        String wrong = Totp.code(e.secret(), Totp.step(TestApi.CLOCK.instant()) + 7);
        for (int i = 1; i < SecondFactors.CHALLENGE_ATTEMPTS; i++) {
            assertEquals(422, answer(challenge, wrong).status(), "attempt " + i);
        }
        assertEquals(401, answer(challenge, wrong).status(), "the last allowed wrong code spends the challenge");
        assertEquals(401, answer(challenge, e.code()).status(), "a spent challenge takes no code, not even the right one");

        String next = challenge(e.user());
        for (int i = SecondFactors.CHALLENGE_ATTEMPTS; i < SecondFactors.ACCOUNT_ATTEMPTS - 1; i++) {
            assertEquals(422, answer(next, wrong).status());
        }
        // confirm counted one attempt: this account has now made ACCOUNT_ATTEMPTS
        Http.Resp limited = answer(next, e.code());
        assertEquals(429, limited.status(), limited.text());
        assertTrue(Long.parseLong(limited.header("Retry-After")) > 0);
        TestApi.inProcess().elapse(SecondFactors.ATTEMPT_WINDOW);
        nextStep();
        assertEquals(200, answer(challenge(e.user()), e.code()).status(), "the window passed");
    }

    @Test
    void anExpiredChallengeIsRefused() {
        Enrolled e = enrol();
        String challenge = challenge(e.user());
        TestApi.inProcess().elapse(SecondFactors.CHALLENGE_TTL.plusSeconds(1));
        Http.Resp late = answer(challenge, e.code());
        assertEquals(401, late.status(), late.text());
        assertEquals("invalid-token", late.problem());
    }

    @Test
    void aChallengeTakesOnlyItsOwnAccountsCodes() {
        Enrolled a = enrol();
        Enrolled b = enrol();
        String challengeOfA = challenge(a.user());
        assertEquals(422, answer(challengeOfA, b.code()).status(), "B's code does not answer A's challenge");
        assertEquals(422, answer(challengeOfA, b.recoveryCodes().get(0)).status(), "nor B's recovery code");
        // B's recovery code is still unused: it was not spent on A's challenge
        assertEquals(200, answer(challenge(b.user()), b.recoveryCodes().get(0)).status());
        assertEquals(200, answer(challengeOfA, a.code()).status());
        assertEquals(401, answer("not-a-challenge", a.code()).status());
    }

    @Test
    void removingTheAppNeedsACodeOrThePassword() {
        Enrolled e = enrol();
        String token = e.user().accessToken();
        assertEquals(422, deleteWithBody("/api/v1/me/mfa/totp", token, Map.of()).status());
        assertEquals(422, deleteWithBody("/api/v1/me/mfa/totp", token, Map.of("password", "not it at all")).status());
        assertEquals(422, deleteWithBody("/api/v1/me/mfa/totp", token, Map.of("code", "000000")).status());
        assertEquals(204, deleteWithBody("/api/v1/me/mfa/totp", token, Map.of("password", e.user().password())).status());
        JsonNode status = http().get("/api/v1/me/mfa", token).json();
        assertFalse(status.get("totp").asBoolean());
        assertEquals(0, status.get("recoveryCodesLeft").asInt(), "no factor left: the recovery codes went too");
        assertTrue(TestApi.login(e.user().username(), e.user().password()).json().has("accessToken"));

        Enrolled f = enrol();
        assertEquals(204, deleteWithBody("/api/v1/me/mfa/totp", f.user().accessToken(), Map.of("code", f.code())).status());
    }

    @Test
    void recoveryCodesCanBeReplaced() {
        Enrolled e = enrol();
        Http.Resp fresh = http().post("/api/v1/me/mfa/recovery-codes", e.user().accessToken(), Map.of("code", e.code()));
        assertEquals(200, fresh.status(), fresh.text());
        assertEquals(10, fresh.json().get("recoveryCodes").size());
        assertEquals(422, answer(challenge(e.user()), e.recoveryCodes().get(0)).status(), "old codes end");
        assertEquals(200, answer(challenge(e.user()), fresh.json().get("recoveryCodes").get(0).asText()).status());
    }

    @Test
    void everyRouteNeedsTheCallerAndActsOnTheCallersOwnFactorsOnly() {
        for (String[] r : new String[][]{{"GET", "/api/v1/me/mfa"}, {"POST", "/api/v1/me/mfa/totp"},
                {"POST", "/api/v1/me/mfa/totp/confirm"}, {"DELETE", "/api/v1/me/mfa/totp"},
                {"POST", "/api/v1/me/mfa/recovery-codes"}}) {
            Http.Resp anonymous = http().raw(r[0], r[1], "application/json", "{}".getBytes());
            assertEquals(401, anonymous.status(), r[0] + " " + r[1]);
        }
        Enrolled a = enrol();
        TestApi.User b = TestApi.newUser();
        // B starting and confirming with A's current code does not touch A's app
        Http.Resp bStart = http().post("/api/v1/me/mfa/totp", b.accessToken(), Map.of());
        assertEquals(200, bStart.status());
        assertNotEquals(Base32.encode(a.secret()), bStart.json().get("secret").asText());
        assertEquals(422, http().post("/api/v1/me/mfa/totp/confirm", b.accessToken(), Map.of("code", a.code())).status());
        // B removing "the" app with B's password removes B's pending one only
        assertEquals(204, deleteWithBody("/api/v1/me/mfa/totp", b.accessToken(), Map.of("password", b.password())).status());
        assertTrue(http().get("/api/v1/me/mfa", a.user().accessToken()).json().get("totp").asBoolean());
        // A's recovery codes prove nothing for B
        assertEquals(422, deleteWithBody("/api/v1/me/mfa/totp", b.accessToken(),
                Map.of("code", a.recoveryCodes().get(0))).status());
        assertEquals(10, http().get("/api/v1/me/mfa", a.user().accessToken()).json().get("recoveryCodesLeft").asInt());
        assertEquals(0, http().get("/api/v1/me/mfa", b.accessToken()).json().get("recoveryCodesLeft").asInt());
    }
}
