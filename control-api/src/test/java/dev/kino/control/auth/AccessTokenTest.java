package dev.kino.control.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kino.common.secret.AccessTokenKey;
import dev.kino.common.secret.SecretStore;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.support.Http;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tampered, forged and stale access tokens are all 401. */
class AccessTokenTest {
    private final TestApi.Node api = node();
    private final Http http = api.http();

    /** @return the node the tests run against: in-process shared state here, Redis in the subclass */
    TestApi.Node node() {
        return TestApi.inProcess();
    }

    private static String forge(ECKey key, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims(TestApi.User u) {
        Date now = Date.from(TestApi.CLOCK.instant());
        return new JWTClaimsSet.Builder().issuer(SharedDatabase.config().control().publicUrl()).audience("kino-api")
                .subject(u.id().toString()).claim("sid", u.sessionId().toString()).issueTime(now)
                .expirationTime(Date.from(TestApi.CLOCK.instant().plusSeconds(600)));
    }

    private void assertRejected(String token) {
        Http.Resp r = http.get("/api/v1/me", token);
        assertEquals(401, r.status(), r.text());
        assertTrue(r.header("www-authenticate").startsWith("Bearer"), r.header("www-authenticate"));
    }

    @Test
    void validTokenWorks() {
        assertEquals(200, http.get("/api/v1/me", api.newUser().accessToken()).status());
    }

    @Test
    void algNoneIsRejected() {
        TestApi.User u = api.newUser();
        String[] parts = u.accessToken().split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertRejected(header + "." + parts[1] + ".");
        assertRejected(header + "." + parts[1]);
    }

    @Test
    void tamperedPayloadIsRejected() {
        TestApi.User u = api.newUser();
        TestApi.User other = api.newUser();
        String[] parts = u.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(u.id().toString(), other.id().toString());
        assertRejected(parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    }

    @Test
    void tokenSignedWithAnotherKeyIsRejected() throws Exception {
        TestApi.User u = api.newUser();
        String realKid = SignedJWT.parse(u.accessToken()).getHeader().getKeyID();
        ECKey attacker = AccessTokenKeys.of(List.of(SecretStore.newAccessTokenKey())).signing();
        assertRejected(forge(attacker, realKid, claims(u).build()));
        assertRejected(forge(attacker, attacker.getKeyID(), claims(u).build()));
    }

    @Test
    void wrongAudienceOrIssuerIsRejected() throws Exception {
        TestApi.User u = api.newUser();
        ECKey real = AccessTokenKeys.of(SecretStore.resolve(SharedDatabase.config()).accessTokenKeys()).signing();
        assertEquals(200, http.get("/api/v1/me", forge(real, real.getKeyID(), claims(u).build())).status(),
                "control: a correctly forged token with the real key passes");
        assertRejected(forge(real, real.getKeyID(), claims(u).audience("someone-else").build()));
        assertRejected(forge(real, real.getKeyID(), claims(u).issuer("https://evil.example").build()));
        assertRejected(forge(real, real.getKeyID(), claims(u).subject(UUID.randomUUID().toString()).build()));
    }

    @Test
    void notBeforeInTheFutureIsRejectedBeyondTheSkew() throws Exception {
        TestApi.User u = api.newUser();
        ECKey real = AccessTokenKeys.of(SecretStore.resolve(SharedDatabase.config()).accessTokenKeys()).signing();
        java.time.Duration skew = SharedDatabase.config().tokens().clockSkew();
        assertRejected(forge(real, real.getKeyID(), claims(u)
                .notBeforeTime(Date.from(TestApi.CLOCK.instant().plusSeconds(3600))).build()));
        assertRejected(forge(real, real.getKeyID(), claims(u)
                .notBeforeTime(Date.from(TestApi.CLOCK.instant().plus(skew).plusSeconds(5))).build()));
        assertEquals(200, http.get("/api/v1/me", forge(real, real.getKeyID(), claims(u)
                .notBeforeTime(Date.from(TestApi.CLOCK.instant().plus(skew))).build())).status(), "within the skew");
        assertEquals(200, http.get("/api/v1/me", forge(real, real.getKeyID(), claims(u)
                .notBeforeTime(Date.from(TestApi.CLOCK.instant().minusSeconds(60))).build())).status());
    }

    @Test
    void expiredTokenIsRejected() {
        TestApi.User u = api.newUser();
        api.elapse(AccessTokens.TTL.plus(Duration.ofSeconds(1)));
        assertRejected(u.accessToken());
        Http.Resp r = http.get("/api/v1/me", u.accessToken());
        assertTrue(r.json().get("detail").asText().contains("expired"), r.text());
    }

    @Test
    void aRememberedSignatureStillChecksTimeAndOtherBytesAfresh() {
        // the first use checks the signature and remembers it; later uses must still refuse what is wrong now
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-05T12:00:00Z"));
        AccessTokens tokens = new AccessTokens(AccessTokenKeys.of(List.of(SecretStore.newAccessTokenKey())),
                "https://k", clock);
        UUID a = UUID.randomUUID();
        String token = tokens.issue(a, UUID.randomUUID()).token();
        assertEquals(a, tokens.verify(token).accountId());
        assertEquals(a, tokens.verify(token).accountId(), "remembered");
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(10);
        String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        InvalidTokenException refused = assertThrows(InvalidTokenException.class, () -> tokens.verify(badSignature));
        assertTrue(refused.getMessage().contains("signature") || refused.getMessage().contains("JWT"),
                refused.getMessage());
        clock.advance(AccessTokens.TTL);
        refused = assertThrows(InvalidTokenException.class, () -> tokens.verify(token));
        assertTrue(refused.getMessage().contains("expired"), refused.getMessage());
        AccessTokens otherRing = new AccessTokens(AccessTokenKeys.of(List.of(SecretStore.newAccessTokenKey())),
                "https://k", clock);
        assertThrows(InvalidTokenException.class, () -> otherRing.verify(token), "another ring checks for itself");
    }

    @Test
    void garbageIsRejected() {
        assertRejected("not-a-jwt");
        assertRejected("a.b.c");
    }

    @Test
    void keyFileIsOwnerOnlyAndVerifiesEveryKeyOfTheRing() throws Exception {
        Path file = SecretStore.directory(SharedDatabase.config().dataDir()).resolve(SecretStore.ACCESS_TOKEN_KEYS_FILE);
        api.api();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        AccessTokenKey old = SecretStore.newAccessTokenKey();
        AccessTokenKey current = SecretStore.newAccessTokenKey();
        java.time.Clock clock = java.time.Clock.systemUTC();
        AccessTokens before = new AccessTokens(AccessTokenKeys.of(List.of(old)), "https://k", clock);
        AccessTokens after = new AccessTokens(AccessTokenKeys.of(List.of(current, old)), "https://k", clock);
        UUID a = UUID.randomUUID();
        assertEquals(a, after.verify(before.issue(a, UUID.randomUUID()).token()).accountId(), "rotation keeps old tokens valid");
        assertEquals(current.keyId(), SignedJWT.parse(after.issue(a, UUID.randomUUID()).token()).getHeader().getKeyID());
    }

    @Test
    void aJwkSetWrittenByTheJoseLibraryIsReadByTheSecretStore(@TempDir Path dataDir) throws Exception {
        // The key file of earlier versions (and of JOSE tools) was a Nimbus JWK set: it keeps working.
        ECKey written = new ECKeyGenerator(Curve.P_256).keyID("jwt-old").keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256).generate();
        Path dir = Files.createDirectories(SecretStore.directory(dataDir));
        Files.writeString(dir.resolve(SecretStore.ACCESS_TOKEN_KEYS_FILE), new JWKSet(written).toString(false));
        List<AccessTokenKey> read = SecretStore.resolve(SharedDatabase.config("data.dir=" + dataDir)).accessTokenKeys();
        assertEquals(List.of("jwt-old"), read.stream().map(AccessTokenKey::keyId).toList());
        AccessTokens tokens = new AccessTokens(AccessTokenKeys.of(read), "https://k", java.time.Clock.systemUTC());
        UUID a = UUID.randomUUID();
        JWTClaimsSet c = new JWTClaimsSet.Builder().issuer("https://k").audience(AccessTokens.AUDIENCE)
                .subject(a.toString()).claim("sid", UUID.randomUUID().toString()).issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();
        assertEquals(a, tokens.verify(forge(written, "jwt-old", c)).accountId(), "signed by the file's key, as written");
        SignedJWT issued = SignedJWT.parse(tokens.issue(a, UUID.randomUUID()).token());
        assertEquals("jwt-old", issued.getHeader().getKeyID());
        assertTrue(issued.verify(new ECDSAVerifier(written.toECPublicKey())), "signed with the file's private key");
    }
}
