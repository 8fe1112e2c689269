package dev.kino.control.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.kino.common.config.KinoConfig;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.UnavailableException;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Kino as the relying party of one configured OpenID provider: the authorisation code flow of OpenID Connect Core
 * 1.0 §3.1 with PKCE (RFC 7636, {@code S256}), on Nimbus OAuth 2.0 SDK.
 *
 * <ul>
 *   <li>Discovery (OpenID Connect Discovery 1.0 §4): {@code <issuer>/.well-known/openid-configuration} is read on
 *       first use and kept; its {@code issuer} must equal the configured one (§4.3: otherwise the document may speak
 *       for another provider). A failed read is tried again on the next request.</li>
 *   <li>ID token validation (Core §3.1.3.7): signature by a key of the provider's JWKS with one of the asymmetric
 *       algorithms its metadata lists, {@code iss} equal to the issuer, {@code aud} containing the client id (and
 *       {@code azp} when there are several audiences), {@code exp} in the future and {@code iat} not in it (with
 *       {@link #CLOCK_SKEW} either way, on this machine's clock: the provider signs real time), and {@code nonce}
 *       equal to the one sent. The JWKS is cached ({@link JWKSourceBuilder}: a few minutes) and fetched again when a
 *       token names a key id it does not hold (a provider rotating keys), at most once per 30 s.</li>
 * </ul>
 *
 * Every method that talks to the provider blocks (HTTP, with {@link #TIMEOUT}): call from the blocking executor.
 * The client secret goes only into the token request's {@code Authorization} header; nothing here logs it.
 */
final class RelyingParty {
    /** Tolerance on the ID token's {@code exp} and {@code iat}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** Connect and read timeout of every call to the provider. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Largest discovery document or JWKS accepted, bytes. */
    private static final int MAX_DOCUMENT = 256 * 1024;
    /** Signature algorithms accepted on ID tokens: asymmetric only (an HMAC with the client secret proves less). */
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final KinoConfig.OidcProvider config;
    private final URI redirectUri;
    private volatile Discovered discovered;

    /** The provider's metadata and the validator built on its JWKS. */
    private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    /**
     * @param config the provider's configuration
     * @param redirectUri this provider's callback, {@code <control.publicUrl>/api/v1/auth/oidc/<id>/callback}
     */
    RelyingParty(KinoConfig.OidcProvider config, URI redirectUri) {
        this.config = config;
        this.redirectUri = redirectUri;
    }

    KinoConfig.OidcProvider config() {
        return config;
    }

    URI redirectUri() {
        return redirectUri;
    }

    /**
     * The authentication request (Core §3.1.2.1) the browser is sent to.
     *
     * @param state the request's {@code state}
     * @param nonce the {@code nonce} the ID token must carry
     * @param verifier the PKCE code verifier; its S256 challenge goes into the request
     * @return the provider's authorization endpoint with the request in its query
     * @throws UnavailableException when the provider's discovery document cannot be read
     */
    URI authorizationUri(State state, Nonce nonce, CodeVerifier verifier) {
        return authorizationUri(state, nonce, verifier, null);
    }

    /**
     * @param maxAge for a re-authentication: {@code prompt=login} (the provider must ask for the user's credentials
     *               again rather than reuse its session) and {@code max_age} in seconds (Core §3.1.2.1: the ID token
     *               then carries {@code auth_time}); null for an ordinary request
     */
    URI authorizationUri(State state, Nonce nonce, CodeVerifier verifier, java.time.Duration maxAge) {
        OIDCProviderMetadata m = discover().metadata();
        AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope(config.scopes().toArray(String[]::new)), new ClientID(config.clientId()), redirectUri)
                .endpointURI(m.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        if (maxAge != null) {
            b.prompt(new com.nimbusds.openid.connect.sdk.Prompt(com.nimbusds.openid.connect.sdk.Prompt.Type.LOGIN))
                    .maxAge((int) maxAge.toSeconds());
        }
        return b.build().toURI();
    }

    /** @return the issuer, to compare with an authorisation response's {@code iss} (RFC 9207) */
    String issuer() {
        return config.issuer();
    }

    /**
     * Exchanges an authorisation code at the token endpoint (Core §3.1.3.1, with the PKCE verifier) and validates the
     * ID token that comes back.
     *
     * @return the validated claims
     * @throws InvalidTokenException when the provider refuses the code (used, expired, not issued for this verifier
     *                               or redirect URI) or the ID token is not valid
     * @throws UnavailableException when the provider cannot be reached or answers nonsense
     */
    IDTokenClaimsSet redeem(String code, CodeVerifier verifier, Nonce nonce) {
        Discovered d = discover();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, verifier);
        URI endpoint = d.metadata().getTokenEndpointURI();
        TokenRequest request = config.clientSecret().isEmpty()
                ? new TokenRequest(endpoint, new ClientID(config.clientId()), grant)
                : new TokenRequest(endpoint, new ClientSecretBasic(new ClientID(config.clientId()),
                        new com.nimbusds.oauth2.sdk.auth.Secret(config.clientSecret().reveal())), grant);
        TokenResponse response;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout((int) TIMEOUT.toMillis());
            http.setReadTimeout((int) TIMEOUT.toMillis());
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException e) {
            throw unreachable("its token endpoint", e);
        } catch (ParseException e) {
            throw new UnavailableException("the identity provider " + config.id() + " answered the token request with"
                    + " something that is not a token response: " + e.getMessage(), 30, e);
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new InvalidTokenException("the identity provider " + config.id() + " refused the authorisation code ("
                    + (error == null ? "no reason given" : error.getCode()) + "): start the sign-in again", false);
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new InvalidTokenException("the identity provider " + config.id() + " sent no ID token (is \"openid\""
                    + " among the scopes?)", false);
        }
        return validate(idToken, nonce);
    }

    /**
     * Validates an ID token (Core §3.1.3.7; see the class).
     *
     * @throws InvalidTokenException naming what is wrong (signature, issuer, audience, expiry, nonce)
     */
    IDTokenClaimsSet validate(JWT idToken, Nonce nonce) {
        try {
            return discover().validator().validate(idToken, nonce);
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException("the ID token from " + config.id() + " was refused: " + e.getMessage(), false);
        }
    }

    /** @return the provider's metadata and validator, discovered now when not yet */
    private Discovered discover() {
        Discovered d = discovered;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (discovered == null) {
                discovered = fetchMetadata();
            }
            return discovered;
        }
    }

    private Discovered fetchMetadata() {
        Issuer issuer = new Issuer(config.issuer());
        OIDCProviderMetadata m;
        try {
            // resolve() compares the document's issuer with ours and refuses a mismatch
            m = OIDCProviderMetadata.resolve(issuer, (int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis());
        } catch (IOException e) {
            throw unreachable("its discovery document", e);
        } catch (GeneralException e) {
            throw new UnavailableException("the discovery document of the identity provider " + config.id()
                    + " is not usable: " + e.getMessage(), 60, e);
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        List<JWSAlgorithm> offered = m.getIDTokenJWSAlgs();
        for (JWSAlgorithm a : offered == null ? List.of(JWSAlgorithm.RS256) : offered) {
            if (ASYMMETRIC.contains(a)) {
                algorithms.add(a);
            }
        }
        if (algorithms.isEmpty() || m.getJWKSetURI() == null) {
            throw new UnavailableException("the identity provider " + config.id() + " offers no asymmetric ID token"
                    + " signature (id_token_signing_alg_values_supported: " + offered + ") or no jwks_uri", 60, null);
        }
        URL jwks;
        try {
            jwks = m.getJWKSetURI().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new UnavailableException("the jwks_uri of the identity provider " + config.id() + " is not a URL", 60, e);
        }
        int timeout = (int) TIMEOUT.toMillis();
        JWKSource<SecurityContext> keys = JWKSourceBuilder
                .create(jwks, new DefaultResourceRetriever(timeout, timeout, MAX_DOCUMENT))
                .build(); // cached, refreshed ahead of expiry, re-read on an unknown key id (rate-limited)
        IDTokenValidator validator = new IDTokenValidator(issuer, new ClientID(config.clientId()),
                new JWSVerificationKeySelector<>(algorithms, keys), null);
        validator.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        return new Discovered(m, validator);
    }

    private UnavailableException unreachable(String what, IOException e) {
        return new UnavailableException("the identity provider " + config.id() + " cannot be reached (" + what + "): "
                + e.getMessage(), 30, e);
    }
}
