package dev.kino.control.auth.mfa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Passkeys registered and used by a software authenticator against the real API (Yubico's verification). */
class PasskeyTest {
    /** Security notices queue mails: send them, so no later test's outbox finds ours. */
    @org.junit.jupiter.api.AfterAll
    static void sendQueuedMail() {
        TestApi.api().outbox().dispatchPending();
    }

    /** The origin browsers of the test API send: its control.publicUrl. */
    private static final String ORIGIN = SharedDatabase.config().control().publicUrl();

    static Http http() {
        return TestApi.http();
    }

    record WithPasskey(TestApi.User user, SoftAuthenticator key, JsonNode registered) {
    }

    static WithPasskey register(TestApi.User u) {
        SoftAuthenticator key = new SoftAuthenticator(ORIGIN);
        Http.Resp options = http().post("/api/v1/me/passkeys/registration", u.accessToken(), Map.of());
        assertEquals(200, options.status(), options.text());
        JsonNode publicKey = options.json().get("publicKey");
        assertEquals("localhost", publicKey.get("rp").get("id").asText());
        assertEquals(u.username(), publicKey.get("user").get("name").asText());
        Http.Resp done = http().post("/api/v1/me/passkeys", u.accessToken(), Map.of("ceremony",
                options.json().get("ceremony").asText(), "credential", key.create(publicKey), "name", "Test key"));
        assertEquals(201, done.status(), done.text());
        return new WithPasskey(u, key, done.json());
    }

    static Http.Resp signInWith(SoftAuthenticator key, String challenge) {
        TestApi.inProcess().resetRateLimit("login:ip:127.0.0.1");
        Http.Resp options = http().post("/api/v1/auth/passkey/options", null,
                challenge == null ? Map.of() : Map.of("challenge", challenge));
        assertEquals(200, options.status(), options.text());
        return http().post("/api/v1/auth/passkey", null, Map.of("ceremony", options.json().get("ceremony").asText(),
                "credential", key.get(options.json().get("publicKey"))));
    }

    @Test
    void aPasskeyIsASecondFactorAndAPasswordlessSignIn() {
        WithPasskey p = register(TestApi.newUser());
        assertEquals(10, p.registered().get("recoveryCodes").size(), "the first factor brings recovery codes");
        assertEquals(p.key().id(), p.registered().get("passkey").get("id").asText());
        JsonNode list = http().get("/api/v1/me/passkeys", p.user().accessToken()).json().get("items");
        assertEquals(1, list.size());
        assertEquals("Test key", list.get(0).get("name").asText());

        Http.Resp login = TestApi.login(p.user().username(), p.user().password());
        assertTrue(login.json().get("mfaRequired").asBoolean(), login.text());
        assertTrue(login.json().get("factors").toString().contains("passkey"));
        String challenge = login.json().get("challenge").asText();
        Http.Resp second = signInWith(p.key(), challenge);
        assertEquals(200, second.status(), second.text());
        assertEquals(p.user().username(), http().get("/api/v1/me", second.json().get("accessToken").asText())
                .json().get("username").asText());
        Http.Resp spent = http().post("/api/v1/auth/passkey/options", null, Map.of("challenge", challenge));
        assertEquals(401, spent.status(), "the challenge is spent: " + spent.text());

        Http.Resp passwordless = signInWith(p.key(), null);
        assertEquals(200, passwordless.status(), passwordless.text());
        assertNotNull(passwordless.json().get("refreshToken"));
        assertNotNull(http().get("/api/v1/me/passkeys", p.user().accessToken()).json().get("items").get(0)
                .get("lastUsedAt"));
    }

    @Test
    void forgedReplayedAndForeignAssertionsAreRefused() {
        WithPasskey a = register(TestApi.newUser());
        WithPasskey b = register(TestApi.newUser());
        TestApi.inProcess().resetRateLimit("login:ip:127.0.0.1");

        Http.Resp options = http().post("/api/v1/auth/passkey/options", null, Map.of());
        String ceremony = options.json().get("ceremony").asText();
        JsonNode publicKey = options.json().get("publicKey");
        // another origin (a phishing site relaying the options)
        Http.Resp phished = http().post("/api/v1/auth/passkey", null, Map.of("ceremony", ceremony,
                "credential", a.key().get(publicKey, "https://kino.example.net", a.key().keys())));
        assertEquals(422, phished.status(), phished.text());
        // the ceremony was taken by that attempt: a good answer to it now finds nothing
        assertEquals(422, http().post("/api/v1/auth/passkey", null, Map.of("ceremony", ceremony,
                "credential", a.key().get(publicKey))).status());

        // signed by another key than the registered one
        options = http().post("/api/v1/auth/passkey/options", null, Map.of());
        Http.Resp forged = http().post("/api/v1/auth/passkey", null, Map.of("ceremony",
                options.json().get("ceremony").asText(),
                "credential", a.key().get(options.json().get("publicKey"), PasskeyTest.ORIGIN, SoftAuthenticator.otherKey())));
        assertEquals(422, forged.status(), forged.text());

        // a good assertion replayed on a new ceremony: its challenge is the old one
        options = http().post("/api/v1/auth/passkey/options", null, Map.of());
        JsonNode good = a.key().get(options.json().get("publicKey"));
        assertEquals(200, http().post("/api/v1/auth/passkey", null, Map.of("ceremony",
                options.json().get("ceremony").asText(), "credential", good)).status());
        Http.Resp nextOptions = http().post("/api/v1/auth/passkey/options", null, Map.of());
        assertEquals(422, http().post("/api/v1/auth/passkey", null, Map.of("ceremony",
                nextOptions.json().get("ceremony").asText(), "credential", good)).status());

        // A's passkey does not answer B's sign-in challenge
        Http.Resp loginB = TestApi.login(b.user().username(), b.user().password());
        String challengeOfB = loginB.json().get("challenge").asText();
        Http.Resp foreign = signInWith(a.key(), challengeOfB);
        assertEquals(422, foreign.status(), foreign.text());
        assertEquals(200, signInWith(b.key(), challengeOfB).status(), "B's challenge is still B's to answer");
    }

    @Test
    void passkeyRoutesActOnTheCallersOwnPasskeysOnly() {
        for (String[] r : new String[][]{{"GET", "/api/v1/me/passkeys"}, {"POST", "/api/v1/me/passkeys/registration"},
                {"POST", "/api/v1/me/passkeys"}, {"DELETE", "/api/v1/me/passkeys/AAAA"}}) {
            assertEquals(401, http().raw(r[0], r[1], "application/json", "{}".getBytes()).status(), r[0] + " " + r[1]);
        }
        WithPasskey a = register(TestApi.newUser());
        TestApi.User b = TestApi.newUser();
        // B cannot list, see or remove A's passkey
        assertEquals(0, http().get("/api/v1/me/passkeys", b.accessToken()).json().get("items").size());
        Http.Resp steal = MfaTest.deleteWithBody("/api/v1/me/passkeys/" + a.key().id(), b.accessToken(),
                Map.of("password", b.password()));
        assertEquals(404, steal.status(), steal.text());
        assertEquals(1, http().get("/api/v1/me/passkeys", a.user().accessToken()).json().get("items").size());
        // B cannot finish a registration ceremony A started
        Http.Resp options = http().post("/api/v1/me/passkeys/registration", a.user().accessToken(), Map.of());
        SoftAuthenticator k = new SoftAuthenticator(ORIGIN);
        Http.Resp hijack = http().post("/api/v1/me/passkeys", b.accessToken(), Map.of("ceremony",
                options.json().get("ceremony").asText(), "credential", k.create(options.json().get("publicKey"))));
        assertEquals(422, hijack.status(), hijack.text());
        assertEquals(0, http().get("/api/v1/me/passkeys", b.accessToken()).json().get("items").size());
        // A removes its own with its password; no factor left, so the password alone signs in again
        assertEquals(422, MfaTest.deleteWithBody("/api/v1/me/passkeys/" + a.key().id(), a.user().accessToken(),
                Map.of("password", "wrong password here")).status());
        assertEquals(204, MfaTest.deleteWithBody("/api/v1/me/passkeys/" + a.key().id(), a.user().accessToken(),
                Map.of("password", a.user().password())).status());
        assertFalse(TestApi.login(a.user().username(), a.user().password()).json().has("mfaRequired"));
    }
}
