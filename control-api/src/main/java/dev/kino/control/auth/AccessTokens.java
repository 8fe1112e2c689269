package dev.kino.control.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kino.control.ControlApiException;
import dev.kino.control.InvalidTokenException;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Short-lived ES256 JWT access tokens: {@code iss} = the control API's public URL, {@code aud} =
 * {@value #AUDIENCE}, {@code sub} = account id, {@code sid} = session id, {@code pid} = the viewer profile the
 * session acts as (absent in tokens from before profiles: the session's profile applies), {@code iat}, {@code exp}
 * ({@link #TTL}). Verification accepts only ES256 with a {@code kid} of the ring; {@code nbf} (when present) and
 * {@code iat} may lie in the future by the configured clock skew at most.
 *
 * <p>Checking an ES256 signature costs about a millisecond of CPU (P-256 arithmetic in Java), more than everything
 * else a small request does: it was two thirds of the CPU of a vote in {@code control-api/BENCHMARK.md}'s profile.
 * A client sends the same token with every request for its lifetime, so a token whose signature checked out is
 * remembered (the exact compact string, so any other bytes are checked afresh; failures are never remembered) for
 * at most its lifetime. Everything that depends on time or on the key ring is checked on every use: the {@code kid}
 * must still be in the ring, and {@code exp}, {@code nbf} and {@code iat} against the clock.
 */
public final class AccessTokens {
    public static final String AUDIENCE = "kino-api";
    public static final Duration TTL = Duration.ofMinutes(15);
    /** Tokens whose signature is remembered: about 1 KiB each, so at most ~20 MiB. */
    static final int VERIFIED_CACHE_SIZE = 20_000;

    /**
     * A token whose signature checked out with {@code key} (of the ring, named by {@code kid}), and its claims: what
     * never changes for the token (issuer, audience, the ids) checked and parsed once, the instants kept for the
     * checks against the clock on every use.
     */
    private record Signed(String kid, ECKey key, Claims claims, Instant expires, Instant notBefore) {
    }

    private final Cache<String, Signed> verified = Caffeine.newBuilder()
            .maximumSize(VERIFIED_CACHE_SIZE).expireAfterWrite(TTL).build();

    private final AccessTokenKeys keys;
    private final String issuer;
    private final Clock clock;
    private final Duration skew;

    /** Verifies with no clock skew allowance. */
    public AccessTokens(AccessTokenKeys keys, String issuer, Clock clock) {
        this(keys, issuer, clock, Duration.ZERO);
    }

    /**
     * @param skew how far another node's clock may run ahead of this one's ({@code tokens.clockSkew}): a token's
     *             {@code nbf} and {@code iat} may be that much in the future (RFC 7519 §4.1.5 and §4.1.6); expiry gets
     *             no allowance
     */
    public AccessTokens(AccessTokenKeys keys, String issuer, Clock clock, Duration skew) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
        this.skew = skew;
    }

    /**
     * What a valid token says.
     *
     * @param accountId the account
     * @param sessionId the session (refresh-token family) it was issued for
     * @param issuedAt when, to the second
     * @param profileId the viewer profile it acts as, or null when the token names none
     */
    public record Claims(UUID accountId, UUID sessionId, Instant issuedAt, UUID profileId) {
    }

    /**
     * @param token the compact JWS
     * @param expiresAt its expiry
     */
    public record Issued(String token, Instant expiresAt) {
    }

    /** Issues a token that names no profile (the session's profile applies). */
    public Issued issue(UUID accountId, UUID sessionId) {
        return issue(accountId, sessionId, null);
    }

    /** @param profileId the viewer profile the token acts as ({@code pid}), or null for none */
    public Issued issue(UUID accountId, UUID sessionId, UUID profileId) {
        Instant now = clock.instant();
        Instant exp = now.plus(TTL);
        ECKey key = keys.signing();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer).audience(AUDIENCE).subject(accountId.toString())
                .claim("sid", sessionId.toString())
                .claim("pid", profileId == null ? null : profileId.toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(exp))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new ControlApiException("cannot sign an access token with key " + key.getKeyID(), e);
        }
        return new Issued(jwt.serialize(), exp);
    }

    /** @throws InvalidTokenException naming why the token is refused */
    public Claims verify(String token) {
        Signed signed = verified.getIfPresent(token);
        if (signed != null) {
            ECKey current = keys.verifying(signed.kid());
            if (current != signed.key() && !signed.key().equals(current)) {
                signed = null; // the key left the ring (or was replaced): check again, which refuses or re-admits
            }
        }
        if (signed == null) {
            signed = checkSignature(token);
            verified.put(token, signed);
        }
        return checkTimes(signed);
    }

    /** @return the token's key id and claims once its signature checks out with a key of the ring */
    private Signed checkSignature(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw invalid("not a signed JWT");
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            throw invalid("algorithm " + jwt.getHeader().getAlgorithm() + " is not accepted");
        }
        ECKey key = keys.verifying(jwt.getHeader().getKeyID());
        if (key == null) {
            throw invalid("unknown signing key");
        }
        try {
            if (!jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                throw invalid("bad signature");
            }
        } catch (JOSEException e) {
            throw invalid("bad signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw invalid("malformed claims");
        }
        Signed signed = new Signed(jwt.getHeader().getKeyID(), key, staticClaims(claims),
                claims.getExpirationTime().toInstant(),
                claims.getNotBeforeTime() == null ? null : claims.getNotBeforeTime().toInstant());
        return signed;
    }

    /** @return the claims, once the token's {@code exp}, {@code nbf} and {@code iat} are valid now */
    private Claims checkTimes(Signed s) {
        Instant now = clock.instant();
        if (!now.isBefore(s.expires())) {
            throw invalid("expired");
        }
        Instant latest = now.plus(skew).plusSeconds(1); // our own tokens are stamped to the second
        if (s.notBefore() != null && s.notBefore().isAfter(latest)) {
            throw invalid("not valid yet (nbf)");
        }
        if (s.claims().issuedAt().isAfter(latest)) {
            throw invalid("issued in the future");
        }
        return s.claims();
    }

    /**
     * @return what never changes for a token: the claims when they are for us (issuer, audience) and well formed,
     *         with an {@code exp} and an {@code iat}; the instants are checked on every use ({@link #checkTimes})
     */
    private Claims staticClaims(JWTClaimsSet c) {
        try {
            if (!issuer.equals(c.getIssuer())) {
                throw invalid("wrong issuer");
            }
            if (c.getAudience() == null || !c.getAudience().contains(AUDIENCE)) {
                throw invalid("wrong audience");
            }
            if (c.getExpirationTime() == null) {
                throw invalid("expired");
            }
            if (c.getIssueTime() == null) {
                throw invalid("issued in the future");
            }
            String pid = c.getStringClaim("pid");
            return new Claims(UUID.fromString(c.getSubject()), UUID.fromString(c.getStringClaim("sid")),
                    c.getIssueTime().toInstant(), pid == null ? null : UUID.fromString(pid));
        } catch (ParseException | RuntimeException e) {
            if (e instanceof InvalidTokenException refused) {
                throw refused;
            }
            throw invalid("malformed claims");
        }
    }

    private static InvalidTokenException invalid(String why) {
        return InvalidTokenException.accessToken("access token rejected: " + why);
    }
}
