package dev.kino.control.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.auth.mfa.Base32;
import dev.kino.control.auth.mfa.Totp;
import dev.kino.control.support.Http;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in with an OpenID provider, end to end: the whole control API (real PostgreSQL) as the relying party of a
 * real OpenID provider on a local port (NAV's mock-oauth2-server: discovery, authorization endpoint, token endpoint
 * with PKCE, JWKS, signed ID tokens). The test plays the browser: it follows the redirects by hand, carrying the
 * browser-binding cookie, as a browser would.
 */
class OidcTest {
    static final String ISSUER_ID = "kino-test";
    static final String CLIENT_ID = "kino-web";
    static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    static MockOAuth2Server provider;
    static SharedState state;
    static ControlApi api;
    static Http http;
    static String issuer;
    static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** Every log event of the run, to show that the client secret never reaches a log line. */
    static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> LOGS =
            new ch.qos.logback.core.read.ListAppender<>();
    static ch.qos.logback.classic.Level rootLevel;

    @BeforeAll
    static void start() {
        TestApi.inProcess(); // the shared node registers the database's first account (AdminTest checks its roles)
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG); // Kino's debug lines too
        LOGS.start();
        root.addAppender(LOGS);
        provider = new MockOAuth2Server();
        provider.start();
        issuer = provider.issuerUrl(ISSUER_ID).toString().replaceAll("/$", "");
        state = new InProcessSharedState(CLOCK);
        KinoConfig config = SharedDatabase.config("oidc.providers=local " + issuer + " " + CLIENT_ID
                + " openid email profile", "oidc.clientSecrets=local:not-so-secret");
        api = ControlApi.builder(config, SecretStore.resolve(config), SharedDatabase.get(), state).clock(CLOCK)
                .mailSender(m -> { }).passwordParams(PasswordHasher.Params.FAST_INSECURE).outboxInterval(Duration.ZERO)
                .notificationRounds(Duration.ZERO).recommendInterval(Duration.ZERO).start();
        http = new Http(api.port());
    }

    @AfterAll
    static void stop() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(LOGS);
        root.setLevel(rootLevel);
        api.outbox().dispatchPending(); // security notices queue mail: none of ours left for another test's outbox
        api.close();
        state.close();
        provider.shutdown();
    }

    // ---- the browser's part ----------------------------------------------------------------------------------

    /** A begun sign-in: the provider's authorization URL and the binding cookie. */
    record Begun(URI authorize, String cookie) {
    }

    static void resetLimits() {
        for (String k : List.of("oidc:start:ip:127.0.0.1", "oidc:callback:ip:127.0.0.1", "oidc:exchange:ip:127.0.0.1",
                "login:ip:127.0.0.1", "register:ip:127.0.0.1")) {
            state.blocking(Duration.ofSeconds(5)).resetRateLimit(k);
        }
    }

    static Begun begin() {
        resetLimits();
        Http.Resp r = http.get("/api/v1/auth/oidc/local/start", null);
        assertEquals(302, r.status(), r.text());
        URI authorize = URI.create(r.header("Location"));
        assertTrue(authorize.toString().startsWith(issuer + "/authorize?"), authorize.toString());
        return new Begun(authorize, cookieOf(r.header("Set-Cookie")));
    }

    static String cookieOf(String setCookie) {
        assertTrue(setCookie.startsWith(OidcRoutes.COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"), setCookie);
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** The provider signs the user in (non-interactive) and redirects back: @return the callback's path and query */
    static String authorize(URI authorize) {
        try {
            HttpResponse<String> r = browser.send(HttpRequest.newBuilder(authorize).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, r.statusCode(), r.body());
            URI back = URI.create(r.headers().firstValue("Location").orElseThrow());
            assertEquals("/api/v1/auth/oidc/local/callback", back.getPath());
            return back.getRawPath() + "?" + back.getRawQuery();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static DefaultOAuth2TokenCallback user(String subject, Map<String, Object> claims) {
        return new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", null, claims, 3600);
    }

    /**
     * The callback, for a flow Kino redeems: the provider's token endpoint answers for {@code user} (the mock queues
     * these answers, one per token request, so one is queued only when a token request follows).
     */
    static Http.Resp redeem(String pathAndQuery, String cookie, DefaultOAuth2TokenCallback user) {
        provider.enqueueCallback(user);
        return callback(pathAndQuery, cookie);
    }

    static Http.Resp callback(String pathAndQuery, String cookie) {
        resetLimits();
        HttpRequest.Builder b = http.builder(pathAndQuery, null).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b);
    }

    /** @return the single-use code the callback put in the {@code #oidc=} fragment */
    static String handoff(Http.Resp callback) {
        assertEquals(302, callback.status(), callback.text());
        String location = callback.header("Location");
        assertTrue(location.contains("/login#oidc="), location);
        assertFalse(location.contains("accessToken") || location.contains("?"), "no token in the URL: " + location);
        return location.substring(location.indexOf("#oidc=") + 6);
    }

    static Http.Resp exchange(String code) {
        resetLimits();
        return http.post("/api/v1/auth/oidc/exchange", null, Map.of("code", code));
    }

    static Map<String, Object> claims(String email, boolean verified) {
        return Map.of("email", email, "email_verified", verified, "preferred_username", email.substring(0, email.indexOf('@')));
    }

    /** A whole sign-in: @return the exchange's answer */
    static Http.Resp signIn(String subject, Map<String, Object> claims) {
        Begun b = begin();
        return exchange(handoff(redeem(authorize(b.authorize()), b.cookie(), user(subject, claims))));
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    record User(UUID id, String username, String email, String password, String token) {
    }

    static User passwordUser() {
        resetLimits();
        String name = unique("o");
        String password = "correct horse battery " + UUID.randomUUID();
        Http.Resp r = http.post("/api/v1/auth/register", null,
                Map.of("email", name + "@example.org", "username", name, "password", password));
        assertEquals(201, r.status(), r.text());
        UUID id = UUID.fromString(r.json().get("id").asText());
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate(
                "update accounts set email_verified_at = now() where id = :id").bind("id", id).execute());
        Http.Resp login = http.post("/api/v1/auth/login", null, Map.of("login", name, "password", password));
        assertEquals(200, login.status(), login.text());
        return new User(id, name, name + "@example.org", password, login.json().get("accessToken").asText());
    }

    static void assertProblem(Http.Resp r, int status, String type) {
        assertEquals(status, r.status(), r.text());
        assertEquals("application/problem+json", r.header("Content-Type"), r.text());
        assertEquals(type, r.problem(), r.text());
    }

    // ---- tests ----------------------------------------------------------------------------------------------

    @Test
    void theSignInPageListsTheConfiguredProviders() {
        Http.Resp r = http.get("/api/v1/auth/oidc/providers", null);
        assertEquals(200, r.status(), r.text());
        assertEquals("local", r.json().at("/items/0/id").asText());
        assertEquals("/api/v1/auth/oidc/local/start", r.json().at("/items/0/startUrl").asText());
        assertFalse(r.text().contains("not-so-secret"));
        assertProblem(http.get("/api/v1/auth/oidc/nowhere/start", null), 404, "not-found");
    }

    @Test
    void theAuthorizationRequestUsesPkceS256StateAndNonce() {
        Begun b = begin();
        String q = b.authorize().getRawQuery();
        for (String p : List.of("response_type=code", "client_id=" + CLIENT_ID, "code_challenge_method=S256",
                "code_challenge=", "state=", "nonce=", "scope=openid")) {
            assertTrue(q.contains(p), p + " in " + q);
        }
        assertFalse(q.contains("code_verifier"), q);
        assertNotEquals(b.authorize(), begin().authorize(), "a fresh state, nonce and challenge every time");
    }

    @Test
    void firstSignInCreatesAnAccountAndTheSecondReusesIt() {
        String subject = UUID.randomUUID().toString();
        String email = unique("new") + "@example.net";
        Http.Resp first = signIn(subject, claims(email, true));
        assertEquals(200, first.status(), first.text());
        assertTrue(first.json().has("accessToken") && first.json().has("refreshToken"), first.text());
        JsonNode me = http.get("/api/v1/me", first.json().get("accessToken").asText()).json();
        assertEquals(email, me.get("email").asText());
        boolean verified = SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                "select email_verified_at is not null from accounts where lower(email) = lower(:e)").bind("e", email)
                .mapTo(boolean.class).one());
        assertTrue(verified, "the provider said email_verified");

        Http.Resp second = signIn(subject, claims(email, true));
        assertEquals(200, second.status(), second.text());
        JsonNode again = http.get("/api/v1/me", second.json().get("accessToken").asText()).json();
        assertEquals(me.get("id").asText(), again.get("id").asText());
        assertNotEquals(first.json().get("sessionId").asText(), second.json().get("sessionId").asText());

        JsonNode ids = http.get("/api/v1/me/identities", second.json().get("accessToken").asText()).json();
        assertEquals(1, ids.get("items").size(), ids.toString());
        assertEquals("local", ids.at("/items/0/provider").asText());
        assertEquals(email, ids.at("/items/0/email").asText());
        assertFalse(ids.get("hasPassword").asBoolean());
        // no password: a password sign-in with anything fails
        resetLimits();
        assertEquals(401, http.post("/api/v1/auth/login", null, Map.of("login", email, "password", "!none")).status());
    }

    @Test
    void anUnverifiedAddressMakesAnUnconfirmedAccount() {
        String email = unique("unv") + "@example.net";
        Http.Resp r = signIn(UUID.randomUUID().toString(), claims(email, false));
        assertEquals(200, r.status(), r.text());
        boolean verified = SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                "select email_verified_at is not null from accounts where lower(email) = lower(:e)").bind("e", email)
                .mapTo(boolean.class).one());
        assertFalse(verified);
    }

    @Test
    void aForgedStateOrAnotherBrowserIsRefused() {
        Begun b = begin();
        String back = authorize(b.authorize());
        String forged = back.replaceAll("state=[^&]+", "state=" + UUID.randomUUID());
        assertProblem(callback(forged, b.cookie()), 401, "invalid-token");
        assertProblem(callback(back.replaceAll("&?state=[^&]+", ""), b.cookie()), 401, "invalid-token");

        Begun c = begin();
        String genuine = authorize(c.authorize());
        // the right state from a browser that did not begin the sign-in (login CSRF): refused, and the state is spent
        assertProblem(callback(genuine, null), 401, "invalid-token");
        assertProblem(callback(genuine, c.cookie()), 401, "invalid-token");
    }

    @Test
    void aReplayedCallbackOrExchangeCodeIsRefused() {
        Begun b = begin();
        String back = authorize(b.authorize());
        String code = handoff(redeem(back, b.cookie(), user(UUID.randomUUID().toString(),
                claims(unique("r") + "@example.net", true))));
        assertProblem(callback(back, b.cookie()), 401, "invalid-token");
        assertEquals(200, exchange(code).status());
        assertProblem(exchange(code), 401, "invalid-token");
        assertProblem(exchange("made-up"), 401, "invalid-token");
    }

    @Test
    void aCodeRedeemedAtTheProviderAlreadyIsRefused() {
        // a second authorisation request in the same browser, answered with the first one's code (an attacker who saw
        // it): refused, by the provider's token endpoint or by Kino's nonce check
        Begun b = begin();
        String back = authorize(b.authorize());
        handoff(redeem(back, b.cookie(), user(UUID.randomUUID().toString(), claims(unique("p") + "@example.net", true))));
        Begun again = begin();
        String other = authorize(again.authorize());
        String oldCode = back.replaceAll(".*[?&]code=([^&]+).*", "$1");
        Http.Resp r = callback(other.replaceAll("code=[^&]+", "code=" + oldCode), again.cookie());
        assertProblem(r, 401, "invalid-token");
        // a real provider refuses a redeemed code (RFC 6749 §4.1.2); this mock redeems it again, and Kino still refuses
        // the ID token: its nonce is not this request's
        String detail = r.json().get("detail").asText();
        assertTrue(detail.contains("refused the authorisation code") || detail.contains("nonce"), r.text());
    }

    @Test
    void anIdTokenForAnotherAudienceIsRefused() {
        Begun b = begin();
        // the mock makes the ID token's aud the requesting client id unless the claims name another
        Map<String, Object> claims = new java.util.HashMap<>(claims(unique("a") + "@example.net", true));
        claims.put("aud", List.of("someone-else"));
        Http.Resp r = redeem(authorize(b.authorize()), b.cookie(), new DefaultOAuth2TokenCallback(ISSUER_ID,
                UUID.randomUUID().toString(), "JWT", List.of("someone-else"), claims, 3600));
        assertProblem(r, 401, "invalid-token");
        assertTrue(r.json().get("detail").asText().contains("audience"), r.text());
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        Begun b = begin();
        // expired ten minutes ago: well beyond the allowed clock skew
        Http.Resp r = redeem(authorize(b.authorize()), b.cookie(), new DefaultOAuth2TokenCallback(ISSUER_ID,
                UUID.randomUUID().toString(), "JWT", null, claims(unique("e") + "@example.net", true), -600));
        assertProblem(r, 401, "invalid-token");
        assertTrue(r.json().get("detail").asText().toLowerCase().contains("expired"), r.text());
    }

    @Test
    void aBadSignatureOrAnUnknownKeyIsRefused() throws Exception {
        RelyingParty rp = new RelyingParty(new KinoConfig.OidcProvider("local", "local", issuer, CLIENT_ID,
                dev.kino.common.config.Secret.of(""), KinoConfig.Oidc.DEFAULT_SCOPES), URI.create("http://localhost/cb"));
        Map<String, Object> claims = Map.of("nonce", "n-1", "email", "sig@example.net");
        SignedJWT good = provider.issueToken(ISSUER_ID, CLIENT_ID,
                new DefaultOAuth2TokenCallback(ISSUER_ID, "sig-subject", "JWT", List.of(CLIENT_ID), claims, 3600));
        assertEquals("sig-subject", rp.validate(good, new Nonce("n-1")).getSubject().getValue(),
                "a genuine token passes (so the refusals below are about the signature)");
        assertThrows(InvalidTokenException.class, () -> rp.validate(good, new Nonce("n-2")), "another nonce");

        Base64URL[] parts = com.nimbusds.jose.JOSEObject.split(good.serialize());
        byte[] sig = parts[2].decode();
        sig[sig.length / 2] ^= 1;
        SignedJWT tampered = new SignedJWT(parts[0], parts[1], Base64URL.encode(sig));
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> rp.validate(tampered, new Nonce("n-1")));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());

        // signed by a key the provider never published, under the provider's own key id
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(good.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(impostor.getKeyID()).build(),
                good.getJWTClaimsSet());
        forged.sign(new RSASSASigner(impostor));
        assertThrows(InvalidTokenException.class, () -> rp.validate(forged, new Nonce("n-1")));
        // and under a key id the provider does not have (the JWKS is fetched again, and still lacks it)
        RSAKey unknown = new RSAKeyGenerator(2048).keyID("rotated-" + UUID.randomUUID()).generate();
        SignedJWT strange = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(unknown.getKeyID()).build(),
                good.getJWTClaimsSet());
        strange.sign(new RSASSASigner(unknown));
        assertThrows(InvalidTokenException.class, () -> rp.validate(strange, new Nonce("n-1")));
        // a token of another issuer at the same provider (its own keys): wrong iss
        SignedJWT otherIssuer = provider.issueToken("other-issuer", CLIENT_ID,
                new DefaultOAuth2TokenCallback("other-issuer", "sig-subject", "JWT", List.of(CLIENT_ID), claims, 3600));
        assertThrows(InvalidTokenException.class, () -> rp.validate(otherIssuer, new Nonce("n-1")));
    }

    @Test
    void anExistingVerifiedAddressIsLinkedOnlyAfterThePassword() {
        User u = passwordUser();
        String subject = UUID.randomUUID().toString();
        Http.Resp r = signIn(subject, claims(u.email(), true));
        assertEquals(200, r.status(), r.text());
        assertTrue(r.json().get("linkRequired").asBoolean(), r.text());
        assertFalse(r.json().has("accessToken"), "never signed in silently: " + r.text());
        assertEquals(List.of("password"), List.of(r.json().get("proofs").get(0).asText()));
        String linkToken = r.json().get("linkToken").asText();
        // nothing linked yet
        assertEquals(0, http.get("/api/v1/me/identities", u.token()).json().get("items").size());

        resetLimits();
        Http.Resp wrong = http.post("/api/v1/auth/oidc/link/confirm", null,
                Map.of("linkToken", linkToken, "password", "not the password"));
        assertProblem(wrong, 422, "validation");
        assertEquals(0, http.get("/api/v1/me/identities", u.token()).json().get("items").size());

        resetLimits();
        Http.Resp right = http.post("/api/v1/auth/oidc/link/confirm", null,
                Map.of("linkToken", linkToken, "password", u.password()));
        assertEquals(200, right.status(), right.text());
        assertEquals(u.id().toString(), http.get("/api/v1/me", right.json().get("accessToken").asText())
                .json().get("id").asText());
        assertEquals("local", http.get("/api/v1/me/identities", u.token()).json().at("/items/0/provider").asText());
        resetLimits();
        assertProblem(http.post("/api/v1/auth/oidc/link/confirm", null,
                Map.of("linkToken", linkToken, "password", u.password())), 401, "invalid-token");

        // from now on the provider signs in to that account directly
        Http.Resp next = signIn(subject, claims(u.email(), true));
        assertEquals(u.id().toString(), http.get("/api/v1/me", next.json().get("accessToken").asText())
                .json().get("id").asText());
    }

    @Test
    void anExistingAddressTheProviderDidNotVerifyIsNeverLinked() {
        User u = passwordUser();
        Begun b = begin();
        Http.Resp r = redeem(authorize(b.authorize()), b.cookie(), user(UUID.randomUUID().toString(),
                claims(u.email(), false)));
        assertProblem(r, 409, "conflict");
        assertEquals(0, http.get("/api/v1/me/identities", u.token()).json().get("items").size());
    }

    @Test
    void tooManyWrongPasswordsCancelTheLink() {
        User u = passwordUser();
        String linkToken = signIn(UUID.randomUUID().toString(), claims(u.email(), true)).json().get("linkToken").asText();
        for (int i = 1; i < OidcSignIn.CONFIRM_ATTEMPTS; i++) {
            resetLimits();
            assertEquals(422, http.post("/api/v1/auth/oidc/link/confirm", null,
                    Map.of("linkToken", linkToken, "password", "wrong " + i)).status());
        }
        resetLimits();
        assertProblem(http.post("/api/v1/auth/oidc/link/confirm", null,
                Map.of("linkToken", linkToken, "password", "wrong again")), 401, "invalid-token");
        resetLimits();
        assertProblem(http.post("/api/v1/auth/oidc/link/confirm", null,
                Map.of("linkToken", linkToken, "password", u.password())), 401, "invalid-token");
    }

    @Test
    void anAccountWithASecondFactorIsAskedForItAfterTheProvider() {
        User u = passwordUser();
        String subject = UUID.randomUUID().toString();
        // link first (password), then turn on an authenticator app
        String linkToken = signIn(subject, claims(u.email(), true)).json().get("linkToken").asText();
        resetLimits();
        assertEquals(200, http.post("/api/v1/auth/oidc/link/confirm", null,
                Map.of("linkToken", linkToken, "password", u.password())).status());
        Http.Resp enrol = http.post("/api/v1/me/mfa/totp", u.token(), Map.of());
        assertEquals(200, enrol.status(), enrol.text());
        byte[] secret = Base32.decode(enrol.json().get("secret").asText());
        assertEquals(200, http.post("/api/v1/me/mfa/totp/confirm", u.token(),
                Map.of("code", Totp.code(secret, Totp.step(CLOCK.instant())))).status());
        CLOCK.advance(Totp.STEP);

        Http.Resp r = signIn(subject, claims(u.email(), true));
        assertEquals(200, r.status(), r.text());
        assertTrue(r.json().get("mfaRequired").asBoolean(), r.text());
        assertFalse(r.json().has("accessToken"), r.text());
        resetLimits();
        Http.Resp done = http.post("/api/v1/auth/login/mfa", null, Map.of("challenge", r.json().get("challenge").asText(),
                "code", Totp.code(secret, Totp.step(CLOCK.instant()))));
        assertEquals(200, done.status(), done.text());
        assertTrue(done.json().has("accessToken"));
    }

    @Test
    void linkingFromSettingsAndUnlinking() {
        User u = passwordUser();
        assertProblem(http.post("/api/v1/me/identities/nowhere/link", u.token(), Map.of()), 404, "not-found");
        resetLimits();
        Http.Resp start = http.post("/api/v1/me/identities/local/link", u.token(), Map.of());
        assertEquals(200, start.status(), start.text());
        String cookie = cookieOf(start.header("Set-Cookie"));
        String subject = UUID.randomUUID().toString();
        String back = authorize(URI.create(start.json().get("authorizationUrl").asText()));
        // the provider's address need not be the account's
        Http.Resp cb = redeem(back, cookie, user(subject, claims(unique("other") + "@example.net", true)));
        assertEquals(302, cb.status(), cb.text());
        assertTrue(cb.header("Location").endsWith("/account/security?linked=local"), cb.header("Location"));
        JsonNode ids = http.get("/api/v1/me/identities", u.token()).json();
        assertEquals("local", ids.at("/items/0/provider").asText());
        assertTrue(ids.get("hasPassword").asBoolean());
        // the owner's data export lists it (GDPR Art. 15: everything about the account)
        JsonNode exported = http.get("/api/v1/me/export", u.token()).json().get("identities");
        assertEquals(1, exported.size(), exported.toString());
        assertEquals("local", exported.at("/0/provider").asText());
        // one identity per provider per account
        assertProblem(http.post("/api/v1/me/identities/local/link", u.token(), Map.of()), 409, "conflict");
        // that identity now signs in to this account
        Http.Resp signed = signIn(subject, claims(unique("x") + "@example.net", true));
        assertEquals(u.id().toString(), http.get("/api/v1/me", signed.json().get("accessToken").asText())
                .json().get("id").asText());

        // the same provider identity cannot be linked to a second account
        User v = passwordUser();
        resetLimits();
        Http.Resp vStart = http.post("/api/v1/me/identities/local/link", v.token(), Map.of());
        Http.Resp taken = redeem(authorize(URI.create(vStart.json().get("authorizationUrl").asText())),
                cookieOf(vStart.header("Set-Cookie")), user(subject, claims(unique("y") + "@example.net", true)));
        assertProblem(taken, 409, "conflict");

        assertEquals(204, http.delete("/api/v1/me/identities/local", u.token()).status());
        assertEquals(0, http.get("/api/v1/me/identities", u.token()).json().get("items").size());
        assertProblem(http.delete("/api/v1/me/identities/local", u.token()), 404, "not-found");
        long notices = SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                        "select count(*) from notifications where account_id = :a and data::text like '%identity-%linked%'")
                .bind("a", u.id()).mapTo(Long.class).one());
        assertEquals(2, notices, "linked and unlinked: two security notices");
    }

    @Test
    void theLastWayToSignInCannotBeUnlinked() {
        Http.Resp r = signIn(UUID.randomUUID().toString(), claims(unique("only") + "@example.net", true));
        String token = r.json().get("accessToken").asText();
        assertProblem(http.delete("/api/v1/me/identities/local", token), 409, "conflict");
        assertEquals(1, http.get("/api/v1/me/identities", token).json().get("items").size());
    }

    @Test
    void everyIdentityRouteIsTheCallersOwn() {
        assertProblem(http.get("/api/v1/me/identities", null), 401, "unauthorized");
        assertProblem(http.delete("/api/v1/me/identities/local", null), 401, "unauthorized");
        assertProblem(http.post("/api/v1/me/identities/local/link", null, Map.of()), 401, "unauthorized");
        assertProblem(http.get("/api/v1/me/identities", "not-a-token"), 401, "invalid-token");

        Http.Resp a = signIn(UUID.randomUUID().toString(), claims(unique("own") + "@example.net", true));
        String aToken = a.json().get("accessToken").asText();
        User b = passwordUser();
        assertEquals(0, http.get("/api/v1/me/identities", b.token()).json().get("items").size(), "B sees none of A's");
        assertProblem(http.delete("/api/v1/me/identities/local", b.token()), 404, "not-found");
        assertEquals(1, http.get("/api/v1/me/identities", aToken).json().get("items").size(), "A's is still there");
    }

    @Test
    void theRoutesAreInTheOpenApiDocument() {
        JsonNode paths = http.get("/api/v1/openapi.json", null).json().get("paths");
        for (String p : List.of("/api/v1/auth/oidc/providers", "/api/v1/auth/oidc/{provider}/start",
                "/api/v1/auth/oidc/{provider}/callback", "/api/v1/auth/oidc/exchange", "/api/v1/auth/oidc/link/confirm",
                "/api/v1/me/identities", "/api/v1/me/identities/{provider}/link", "/api/v1/me/identities/{provider}")) {
            assertTrue(paths.has(p), p);
        }
    }

    @Test
    void theProvidersRefusalEndsTheRequest() {
        Begun b = begin();
        String back = authorize(b.authorize());
        String state = back.replaceAll(".*[?&]state=([^&]+).*", "$1");
        String denied = "/api/v1/auth/oidc/local/callback?error=access_denied&state=" + state;
        assertProblem(callback(denied, b.cookie()), 400, "bad-request");
        assertProblem(callback(back, b.cookie()), 401, "invalid-token"); // the state went with the refusal
    }

    @Test
    void aResponseNamingAnotherIssuerIsRefused() {
        Begun b = begin();
        String back = authorize(b.authorize()) + "&iss=" + java.net.URLEncoder.encode("https://evil.example",
                java.nio.charset.StandardCharsets.UTF_8);
        assertProblem(callback(back, b.cookie()), 401, "invalid-token");
    }

    @Test
    void anAuthorisationRequestExpires() {
        Begun b = begin();
        String back = authorize(b.authorize());
        CLOCK.advance(OidcSignIn.REQUEST_TTL.plusSeconds(1));
        assertProblem(callback(back, b.cookie()), 401, "invalid-token");
    }

    @Test
    void theProviderChecksThePkceVerifier() throws Exception {
        RelyingParty rp = new RelyingParty(new KinoConfig.OidcProvider("local", "local", issuer, CLIENT_ID,
                dev.kino.common.config.Secret.of("not-so-secret"), KinoConfig.Oidc.DEFAULT_SCOPES),
                URI.create("http://localhost/cb"));
        for (boolean right : new boolean[]{false, true}) {
            com.nimbusds.oauth2.sdk.pkce.CodeVerifier verifier = new com.nimbusds.oauth2.sdk.pkce.CodeVerifier();
            Nonce nonce = new Nonce();
            HttpResponse<String> r = browser.send(HttpRequest.newBuilder(rp.authorizationUri(
                    new com.nimbusds.oauth2.sdk.id.State(), nonce, verifier)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String code = r.headers().firstValue("Location").orElseThrow().replaceAll(".*[?&]code=([^&]+).*", "$1");
            if (right) {
                provider.enqueueCallback(user("pkce-subject", Map.of()));
                assertEquals("pkce-subject", rp.redeem(code, verifier, nonce).getSubject().getValue());
            } else {
                // a code stolen on its way back is worthless without the verifier that never left Kino
                InvalidTokenException e = assertThrows(InvalidTokenException.class,
                        () -> rp.redeem(code, new com.nimbusds.oauth2.sdk.pkce.CodeVerifier(), nonce));
                assertTrue(e.getMessage().contains("refused the authorisation code"), e.getMessage());
            }
        }
    }

    @Test
    void aLinkConfirmedWithASecondFactorCodeSignsInAtOnce() {
        User u = passwordUser();
        Http.Resp enrol = http.post("/api/v1/me/mfa/totp", u.token(), Map.of());
        byte[] secret = Base32.decode(enrol.json().get("secret").asText());
        assertEquals(200, http.post("/api/v1/me/mfa/totp/confirm", u.token(),
                Map.of("code", Totp.code(secret, Totp.step(CLOCK.instant())))).status());
        CLOCK.advance(Totp.STEP);
        Http.Resp r = signIn(UUID.randomUUID().toString(), claims(u.email(), true));
        assertTrue(r.json().get("proofs").toString().contains("totp"), r.text());
        assertFalse(r.json().get("proofs").toString().contains("password"), r.text());
        resetLimits();
        // the password alone does not link an account that asked for a second factor
        Http.Resp byPassword = http.post("/api/v1/auth/oidc/link/confirm", null, Map.of("linkToken",
                r.json().get("linkToken").asText(), "password", u.password()));
        assertProblem(byPassword, 422, "validation");
        assertEquals(0, http.get("/api/v1/me/identities", u.token()).json().get("items").size());
        resetLimits();
        Http.Resp done = http.post("/api/v1/auth/oidc/link/confirm", null, Map.of("linkToken",
                r.json().get("linkToken").asText(), "code", Totp.code(secret, Totp.step(CLOCK.instant()))));
        assertEquals(200, done.status(), done.text());
        assertTrue(done.json().has("accessToken"), "the provider and the second factor: " + done.text());
    }

    @Test
    void aBannedAccountIsNotSignedIn() {
        String subject = UUID.randomUUID().toString();
        String email = unique("ban") + "@example.net";
        assertEquals(200, signIn(subject, claims(email, true)).status());
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("""
                        insert into bans (id, account_id, reason, created_at)
                        select gen_random_uuid(), id, 'spam', now() from accounts where lower(email) = lower(:e)""")
                .bind("e", email).execute());
        assertProblem(signIn(subject, claims(email, true)), 403, "banned");
    }

    @Test
    void theClientSecretIsNeverLogged() {
        assertEquals(200, signIn(UUID.randomUUID().toString(), claims(unique("log") + "@example.net", true)).status());
        assertFalse(LOGS.list.isEmpty(), "the log is captured");
        for (var e : List.copyOf(LOGS.list)) {
            if (e.getLoggerName().startsWith("no.nav") || e.getLoggerName().startsWith("okhttp3")
                    || e.getLoggerName().startsWith("mockwebserver")) {
                continue; // the provider's own log, not Kino's
            }
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            assertFalse(line.contains("not-so-secret"), e.getLoggerName() + ": " + line);
            assertFalse(line.contains(java.util.Base64.getEncoder().encodeToString(
                    (CLIENT_ID + ":not-so-secret").getBytes(java.nio.charset.StandardCharsets.UTF_8))), line);
        }
    }

    @Test
    void anErasedAccountKeepsNoIdentity() {
        User u = passwordUser();
        String subject = UUID.randomUUID().toString();
        String linkToken = signIn(subject, claims(u.email(), true)).json().get("linkToken").asText();
        resetLimits();
        assertEquals(200, http.post("/api/v1/auth/oidc/link/confirm", null,
                Map.of("linkToken", linkToken, "password", u.password())).status());
        Http.Resp deletion = http.send(http.builder("/api/v1/me", u.token()).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"currentPassword\":\"" + u.password() + "\"}")));
        assertEquals(202, deletion.status(), deletion.text());
        CLOCK.advance(Duration.ofDays(15));
        api.accountDeletion().eraseDue();
        // the provider's next sign-in makes a new account: nothing of the erased one is reachable
        Http.Resp again = signIn(subject, claims(u.email(), true));
        assertEquals(200, again.status(), again.text());
        assertNotEquals(u.id().toString(), http.get("/api/v1/me", again.json().get("accessToken").asText())
                .json().get("id").asText());
    }
}
