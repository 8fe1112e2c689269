package dev.kino.control.auth.oidc;

import dev.kino.control.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.kino.control.auth.oidc.OidcTest.assertProblem;
import static dev.kino.control.auth.oidc.OidcTest.claims;
import static dev.kino.control.auth.oidc.OidcTest.cookieOf;
import static dev.kino.control.auth.oidc.OidcTest.exchange;
import static dev.kino.control.auth.oidc.OidcTest.http;
import static dev.kino.control.auth.oidc.OidcTest.redeem;
import static dev.kino.control.auth.oidc.OidcTest.resetLimits;
import static dev.kino.control.auth.oidc.OidcTest.signIn;
import static dev.kino.control.auth.oidc.OidcTest.unique;
import static dev.kino.control.auth.oidc.OidcTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-authentication at the identity provider, end to end (the same real control API, PostgreSQL and local OpenID
 * provider as {@link OidcTest}, whose set-up and browser helpers it reuses): an account made by a provider's sign-in
 * has no password, and proves it is its owner by signing in at the provider again.
 */
class OidcReauthTest {
    @BeforeAll
    static void start() {
        OidcTest.start();
    }

    @AfterAll
    static void stop() {
        OidcTest.stop();
    }

    /** An account made by the provider's first sign-in (no password). */
    record ProviderUser(UUID id, String subject, String email, String token) {
    }

    static ProviderUser providerUser() {
        String subject = UUID.randomUUID().toString();
        String email = unique("re") + "@example.net";
        Http.Resp r = signIn(subject, claims(email, true));
        assertEquals(200, r.status(), r.text());
        String token = r.json().get("accessToken").asText();
        UUID id = UUID.fromString(http.get("/api/v1/me", token).json().get("id").asText());
        assertFalse(http.get("/api/v1/me/identities", token).json().get("hasPassword").asBoolean());
        return new ProviderUser(id, subject, email, token);
    }

    /** Begins a re-authentication as {@code token}'s account: @return the authorization URL and the cookie */
    static OidcTest.Begun beginReauth(String token) {
        resetLimits();
        Http.Resp r = http.post("/api/v1/me/identities/local/reauth", token, Map.of());
        assertEquals(200, r.status(), r.text());
        assertEquals("no-store", r.header("Cache-Control"));
        return new OidcTest.Begun(URI.create(r.json().get("authorizationUrl").asText()),
                cookieOf(r.header("Set-Cookie")));
    }

    /**
     * The provider's part of a re-authentication: {@code prompt=login} makes it show its sign-in form even though
     * it would otherwise answer at once (as {@link OidcTest#authorize} relies on); the user fills it in as
     * {@code subject}, and the provider redirects back.
     *
     * @return the callback's path and query
     */
    static String signInAgain(URI authorize, String subject, Map<String, Object> claims) {
        try {
            HttpResponse<String> form = OidcTest.browser.send(HttpRequest.newBuilder(authorize).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, form.statusCode(), "prompt=login shows the provider's sign-in form");
            assertTrue(form.body().contains("name=\"username\""), form.body());
            String body = "username=" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "&claims="
                    + URLEncoder.encode(dev.kino.control.http.Json.MAPPER.writeValueAsString(claims),
                    StandardCharsets.UTF_8);
            HttpResponse<String> r = OidcTest.browser.send(HttpRequest.newBuilder(authorize)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(302, r.statusCode(), r.body());
            URI back = URI.create(r.headers().firstValue("Location").orElseThrow());
            assertEquals("/api/v1/auth/oidc/local/callback", back.getPath());
            return back.getRawPath() + "?" + back.getRawQuery();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The callback of a re-authentication the provider completes as {@code subject} (with extra ID token claims). */
    static Http.Resp reauthCallback(String token, String subject, Map<String, Object> extra) {
        OidcTest.Begun b = beginReauth(token);
        Map<String, Object> c = new HashMap<>(claims(unique("p") + "@example.net", true));
        c.putAll(extra);
        return redeem(signInAgain(b.authorize(), subject, c), b.cookie(), user(subject, c));
    }

    /** A whole re-authentication: @return the proof the exchange answers */
    static String proof(String token, String subject) {
        Http.Resp cb = reauthCallback(token, subject, Map.of());
        assertEquals(302, cb.status(), cb.text());
        String location = cb.header("Location");
        assertTrue(location.contains("/account/security#reauth="), location);
        Http.Resp ex = exchange(location.substring(location.indexOf("#reauth=") + 8));
        assertEquals(200, ex.status(), ex.text());
        assertFalse(ex.json().has("accessToken"), "a re-authentication signs nobody in: " + ex.text());
        String proof = ex.json().get("reauthProof").asText();
        assertTrue(proof.length() >= 32, proof);
        return proof;
    }

    static Http.Resp withBody(String method, String path, String token, Object body) {
        try {
            return http.send(http.builder(path, token).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(
                            dev.kino.control.http.Json.MAPPER.writeValueAsBytes(body))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theRequestAsksTheProviderForTheCredentialsAgain() {
        ProviderUser u = providerUser();
        String query = beginReauth(u.token()).authorize().getRawQuery();
        assertTrue(query.contains("prompt=login"), query);
        assertTrue(query.contains("max_age=" + OidcSignIn.REAUTH_MAX_AGE.toSeconds()), query);
        assertTrue(query.contains("code_challenge_method=S256") && query.contains("nonce="), query);
    }

    @Test
    void anAccountMadeByTheProviderDeletesItselfWithAProof() {
        ProviderUser u = providerUser();
        // without a password there was no way to do it before: a password it does not have is wrong
        assertProblem(withBody("DELETE", "/api/v1/me", u.token(), Map.of("currentPassword", "guess")), 422,
                "validation");
        Http.Resp r = withBody("DELETE", "/api/v1/me", u.token(), Map.of("reauthProof", proof(u.token(), u.subject())));
        assertEquals(202, r.status(), r.text());
        assertTrue(r.json().has("deletionDueAt"), r.text());
    }

    @Test
    void anAccountMadeByTheProviderChangesItsEmailWithAProof() {
        ProviderUser u = providerUser();
        String next = unique("new") + "@example.org";
        Http.Resp r = http.post("/api/v1/me/email", u.token(),
                Map.of("email", next, "reauthProof", proof(u.token(), u.subject())));
        assertEquals(202, r.status(), r.text());
        assertEquals(next, r.json().get("pendingEmail").asText());
    }

    @Test
    void anAccountWithoutAPasswordSetsOneWithAProof() {
        ProviderUser u = providerUser();
        String password = "a brand new passphrase " + UUID.randomUUID();
        Http.Resp r = http.post("/api/v1/me/password", u.token(),
                Map.of("newPassword", password, "reauthProof", proof(u.token(), u.subject())));
        assertEquals(200, r.status(), r.text());
        assertTrue(http.get("/api/v1/me/identities", u.token()).json().get("hasPassword").asBoolean());
        // now that it has one, the provider's sign-in no longer stands in for it when changing it
        Http.Resp again = http.post("/api/v1/me/password", u.token(),
                Map.of("newPassword", password + "x", "reauthProof", proof(u.token(), u.subject())));
        assertProblem(again, 422, "validation");
        assertEquals(200, http.post("/api/v1/me/password", u.token(),
                Map.of("newPassword", password + "x", "currentPassword", password)).status());
    }

    @Test
    void aProofIsSingleUse() {
        ProviderUser u = providerUser();
        String proof = proof(u.token(), u.subject());
        assertEquals(202, http.post("/api/v1/me/email", u.token(),
                Map.of("email", unique("a") + "@example.org", "reauthProof", proof)).status());
        Http.Resp replay = http.post("/api/v1/me/email", u.token(),
                Map.of("email", unique("b") + "@example.org", "reauthProof", proof));
        assertProblem(replay, 422, "validation");
        assertTrue(replay.text().contains("reauthProof"), replay.text());
        assertProblem(withBody("DELETE", "/api/v1/me", u.token(), Map.of("reauthProof", proof)), 422, "validation");
        assertProblem(withBody("DELETE", "/api/v1/me", u.token(), Map.of("reauthProof", "made-up")), 422,
                "validation");
    }

    @Test
    void aProofExpires() {
        ProviderUser u = providerUser();
        String proof = proof(u.token(), u.subject());
        OidcTest.CLOCK.advance(OidcSignIn.PROOF_TTL.plusSeconds(1));
        assertProblem(withBody("DELETE", "/api/v1/me", u.token(), Map.of("reauthProof", proof)), 422,
                "validation");
    }

    @Test
    void aProofOfOneAccountDoesNotWorkForAnother() {
        ProviderUser a = providerUser();
        ProviderUser b = providerUser();
        String proofOfA = proof(a.token(), a.subject());
        assertProblem(withBody("DELETE", "/api/v1/me", b.token(), Map.of("reauthProof", proofOfA)), 422,
                "validation");
        assertProblem(http.post("/api/v1/me/email", b.token(),
                Map.of("email", unique("c") + "@example.org", "reauthProof", proofOfA)), 422, "validation");
        // B's failed tries did not spend it: it is still A's
        assertEquals(202, withBody("DELETE", "/api/v1/me", a.token(), Map.of("reauthProof", proofOfA)).status());
    }

    @Test
    void anIdentityLinkedToAnotherAccountCannotProveThisOne() {
        ProviderUser a = providerUser();
        ProviderUser b = providerUser();
        // B begins a re-authentication but signs in at the provider as A's identity
        Http.Resp cb = reauthCallback(b.token(), a.subject(), Map.of());
        assertProblem(cb, 403, "forbidden");
        // nor an identity linked to no account at all
        assertProblem(reauthCallback(b.token(), UUID.randomUUID().toString(), Map.of()), 403, "forbidden");
    }

    @Test
    void anOldSignInAtTheProviderIsRefused() {
        ProviderUser u = providerUser();
        long longAgo = OidcTest.CLOCK.instant().minus(OidcSignIn.REAUTH_MAX_AGE).minusSeconds(600).getEpochSecond();
        assertProblem(reauthCallback(u.token(), u.subject(), Map.of("auth_time", longAgo)), 401, "invalid-token");
        long justNow = OidcTest.CLOCK.instant().getEpochSecond();
        assertEquals(302, reauthCallback(u.token(), u.subject(), Map.of("auth_time", justNow)).status());
    }

    @Test
    void theRouteNeedsASignedInAccountLinkedToTheProvider() {
        assertProblem(http.post("/api/v1/me/identities/local/reauth", null, Map.of()), 401, "unauthorized");
        assertProblem(http.post("/api/v1/me/identities/local/reauth", "not-a-token", Map.of()), 401, "invalid-token");
        OidcTest.User p = OidcTest.passwordUser();
        assertProblem(http.post("/api/v1/me/identities/local/reauth", p.token(), Map.of()), 404, "not-found");
        ProviderUser u = providerUser();
        assertProblem(http.post("/api/v1/me/identities/nowhere/reauth", u.token(), Map.of()), 404, "not-found");
    }

    @Test
    void anAccountWithAPasswordKeepsUsingIt() {
        OidcTest.User p = OidcTest.passwordUser();
        assertProblem(withBody("DELETE", "/api/v1/me", p.token(), Map.of("currentPassword", "wrong")), 422,
                "validation");
        assertEquals(202, http.post("/api/v1/me/email", p.token(),
                Map.of("email", unique("d") + "@example.org", "currentPassword", p.password())).status());
    }

    @Test
    void theRouteAndTheFieldsAreInTheOpenApiDocument() {
        var doc = http.get("/api/v1/openapi.json", null).json();
        assertTrue(doc.get("paths").has("/api/v1/me/identities/{provider}/reauth"));
        for (String schema : List.of("DeletionRequest", "EmailChange", "PasswordChange", "SignInResult")) {
            assertTrue(doc.at("/components/schemas/" + schema + "/properties").has("reauthProof"), schema);
        }
    }
}
