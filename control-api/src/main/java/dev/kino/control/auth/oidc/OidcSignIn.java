package dev.kino.control.auth.oidc;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.kino.common.config.KinoConfig;
import dev.kino.control.AccountBannedException;
import dev.kino.control.BadRequestException;
import dev.kino.control.ConflictException;
import dev.kino.control.ForbiddenException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.LoginThrottle;
import dev.kino.control.auth.OpaqueTokens;
import dev.kino.control.auth.mfa.SecondFactors;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Sign-in with OpenID Connect identity providers, and linking them to accounts.
 *
 * <p>The flow (OpenID Connect Core 1.0 §3.1, authorisation code with PKCE):
 * <ol>
 *   <li>{@link #start} makes a {@code state}, a {@code nonce} and a PKCE verifier, keeps them server-side for
 *       {@link #REQUEST_TTL} (single use) together with the hash of a random browser binding (a cookie set by the
 *       route), and answers the provider's authorization URL.</li>
 *   <li>{@link #callback} spends the state (unknown, expired, used, for another provider or from another browser:
 *       refused), redeems the code with the verifier, validates the ID token ({@link RelyingParty}), then decides:
 *       <ul>
 *         <li>an identity linked to an account: that account signs in;</li>
 *         <li>no linked identity and no account with the address: a new account (no password; its address counts
 *             as confirmed only when the provider says {@code email_verified}) with the identity linked;</li>
 *         <li>an account already has the address: never linked silently. With {@code email_verified} the owner
 *             confirms with the account's password, or with its second factor when it has one
 *             ({@link #confirmLink}); without it, 409 (an unverified address proves nothing: sign in and link from
 *             the settings).</li>
 *       </ul>
 *       The decision is kept server-side under a single-use code ({@link #HANDOFF_TTL}); the browser is sent to the
 *       web app with that code in the URL fragment (never sent to a server, nor in {@code Referer}), and the web app
 *       exchanges it by POST ({@link #exchange}): no token ever travels in a URL.</li>
 *   <li>{@link #exchange} answers as a password sign-in does: tokens, or for an account with a second factor the
 *       same {@code mfaRequired} challenge. The provider's sign-in stands in for the password only: Kino cannot tell
 *       how the provider authenticated the user ({@code acr}/{@code amr} are optional and mean different things at
 *       each provider), so an account that asked for a second factor gets asked for it.</li>
 * </ol>
 * A signed-in account links a provider with {@link #startLink} (the same flow; the callback links instead of signing
 * in) and unlinks with {@link #unlink}, which refuses to remove the last way to sign in. Links and unlinks are told
 * to the owner as security notices.
 *
 * <p>Re-authentication ({@link #startReauth}): an account made by a provider's sign-in has no password, so it proves
 * it is its owner (for deletion, e-mail and password changes) by signing in at a linked provider again. The request
 * asks for {@code prompt=login} and {@code max_age} {@link #REAUTH_MAX_AGE} (Core §3.1.2.1); the callback accepts
 * only an identity linked to the account that began it, and an {@code auth_time} (when the provider sends one) no
 * older than that; the web app exchanges its hand-off for a re-authentication proof: single use, for that account
 * only, {@link #PROOF_TTL} ({@link #proveOwner}).
 *
 * <p>Rate limits (per client address): starting {@value #START_LIMIT}, callbacks and exchanges
 * {@value #CALLBACK_LIMIT} per {@link #WINDOW}; a link confirmation counts against the login limit and the account's
 * second-factor attempts, and its token is spent after {@value #CONFIRM_ATTEMPTS} wrong answers.
 *
 * <p>Every method blocks (JDBC, HTTP to the provider, Argon2id): call from the blocking executor.
 */
public final class OidcSignIn {
    /** How long an authorisation request may come back. */
    public static final Duration REQUEST_TTL = Duration.ofMinutes(10);
    /** How long the web app has to exchange a callback's code. */
    public static final Duration HANDOFF_TTL = Duration.ofMinutes(2);
    /** How long a pending link waits for its confirmation. */
    public static final Duration LINK_TTL = Duration.ofMinutes(10);
    public static final int CONFIRM_ATTEMPTS = 5;
    /** A re-authentication's {@code max_age}: how long ago the provider may have asked for the credentials. */
    public static final Duration REAUTH_MAX_AGE = Duration.ofMinutes(2);
    /** How long a re-authentication proof may be used (once). */
    public static final Duration PROOF_TTL = Duration.ofMinutes(5);
    /** Tolerated difference between the provider's clock and ours when reading {@code auth_time}. */
    static final Duration AUTH_TIME_SKEW = Duration.ofSeconds(60);
    static final int START_LIMIT = 30;
    static final int CALLBACK_LIMIT = 30;
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final OidcStore store;
    private final Map<String, RelyingParty> providers;
    private final AuthService auth;
    private final SecondFactors secondFactors;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final String publicUrl;

    /**
     * @param config the configured providers
     * @param publicUrl the control API's public URL (callbacks and the web app's pages are under it)
     */
    public OidcSignIn(org.jdbi.v3.core.Jdbi jdbi, KinoConfig.Oidc config, String publicUrl, AuthService auth,
                      SecondFactors secondFactors, LoginThrottle throttle, Clock clock) {
        this.store = new OidcStore(jdbi);
        this.auth = auth;
        this.secondFactors = secondFactors;
        this.throttle = throttle;
        this.clock = clock;
        this.publicUrl = publicUrl;
        Map<String, RelyingParty> m = new LinkedHashMap<>();
        for (KinoConfig.OidcProvider p : config.providers()) {
            m.put(p.id(), new RelyingParty(p, URI.create(publicUrl + "/api/v1/auth/oidc/" + p.id() + "/callback")));
        }
        this.providers = Map.copyOf(m);
        this.order = List.copyOf(m.keySet());
    }

    private final List<String> order;

    // ---- API types ------------------------------------------------------------------------------------------

    /**
     * @param id the provider's id, as in the routes
     * @param name what a sign-in button says
     * @param startUrl where a sign-in with it begins ({@code GET}, a browser navigation)
     */
    public record ProviderView(String id, String name, String startUrl) {
    }

    /** @param items the configured providers */
    public record ProviderList(List<ProviderView> items) {
    }

    /** @param authorizationUrl the provider's page to send the browser to */
    public record AuthorizationUrl(String authorizationUrl) {
    }

    /** A begun authorisation: where to send the browser, and the browser binding for its cookie. */
    public record Started(URI authorizationUri, String browserBinding) {
    }

    /** @param code the single-use code from the {@code #oidc=} fragment of the callback's redirect */
    public record ExchangeRequest(String code) {
    }

    /**
     * The answer to an exchange: what a password sign-in answers ({@link AuthService.LoginResponse}: tokens, or
     * {@code mfaRequired} and a challenge), or a link waiting for the owner's confirmation. Fields that do not apply
     * are left out.
     *
     * @param accessToken JWT for {@code Authorization: Bearer}
     * @param tokenType {@code Bearer}
     * @param expiresIn seconds until the access token expires
     * @param refreshToken single-use token for {@code /auth/refresh}
     * @param sessionId the session
     * @param mfaRequired true when a second factor must complete the sign-in ({@code /auth/login/mfa})
     * @param challenge the second step's challenge
     * @param factors what answers it: {@code totp}, {@code recovery-code}, {@code passkey}
     * @param linkRequired true when an account already has the provider's verified address: confirm with
     *                     {@code POST /api/v1/auth/oidc/link/confirm}
     * @param linkToken the single-use token of that confirmation ({@link #LINK_TTL})
     * @param provider the provider to be linked
     * @param email the address the account and the provider share
     * @param proofs what may confirm: {@code password} (only for an account without a second factor), {@code totp},
     *               {@code recovery-code} (empty: sign in another way and link from the account's settings)
     * @param reauthProof after a re-authentication ({@code POST /api/v1/me/identities/{provider}/reauth}): the proof of
     *                    the owner that {@code DELETE /api/v1/me}, {@code POST /api/v1/me/email} and
     *                    {@code POST /api/v1/me/password} accept as {@code reauthProof}; single use,
     *                    {@link #PROOF_TTL}, that account only
     */
    public record SignInResult(String accessToken, String tokenType, Long expiresIn, String refreshToken,
                               UUID sessionId, Boolean mfaRequired, String challenge, List<String> factors,
                               Boolean linkRequired, String linkToken, String provider, String email,
                               List<String> proofs, String reauthProof) {
        static SignInResult of(AuthService.LoginResponse r) {
            return new SignInResult(r.accessToken(), r.tokenType(), r.expiresIn(), r.refreshToken(), r.sessionId(),
                    r.mfaRequired(), r.challenge(), r.factors(), null, null, null, null, null, null);
        }

        static SignInResult link(String token, String provider, String email, List<String> proofs) {
            return new SignInResult(null, null, null, null, null, null, null, null, true, token, provider, email,
                    proofs, null);
        }

        static SignInResult reauth(String proof) {
            return new SignInResult(null, null, null, null, null, null, null, null, null, null, null, null, null,
                    proof);
        }
    }

    /**
     * @param linkToken the token from the exchange's {@code linkRequired} answer
     * @param password the account's password, or absent
     * @param code a current code of the authenticator app or a recovery code, or absent
     */
    public record LinkConfirmation(String linkToken, String password, String code) {
    }

    /**
     * @param provider the provider's id
     * @param name its display name (the id when it is no longer configured)
     * @param email the address the provider gave when linked
     * @param linkedAt when it was linked
     * @param lastUsedAt when it last signed in, or absent
     */
    public record IdentityView(String provider, String name, String email, Instant linkedAt, Instant lastUsedAt) {
    }

    /**
     * @param items the account's linked identities
     * @param hasPassword whether the account has a password (when not, its last way to sign in cannot be unlinked)
     */
    public record IdentityList(List<IdentityView> items, boolean hasPassword) {
    }

    // ---- providers ------------------------------------------------------------------------------------------

    /** @return the configured providers, in configuration order */
    public ProviderList providers() {
        List<ProviderView> out = new ArrayList<>();
        for (String id : order) {
            out.add(new ProviderView(id, providers.get(id).config().name(), "/api/v1/auth/oidc/" + id + "/start"));
        }
        return new ProviderList(out);
    }

    private RelyingParty provider(String id) {
        RelyingParty rp = providers.get(id);
        if (rp == null) {
            throw new NotFoundException("no identity provider '" + id + "' is configured");
        }
        return rp;
    }

    // ---- the flow ---------------------------------------------------------------------------------------------

    /**
     * Begins a sign-in (or, with {@code linkAccount}, a link) at a provider.
     *
     * @throws NotFoundException when no such provider is configured
     * @throws dev.kino.control.RateLimitedException beyond {@value #START_LIMIT} per {@link #WINDOW} per address
     * @throws dev.kino.control.UnavailableException when the provider's discovery document cannot be read
     */
    public Started start(String providerId, UUID linkAccount, String ip) {
        return begin(providerId, linkAccount, linkAccount == null ? "sign-in" : "link", ip);
    }

    private Started begin(String providerId, UUID account, String purpose, String ip) {
        RelyingParty rp = provider(providerId);
        throttle.limit("oidc:start:ip:" + ip, START_LIMIT, WINDOW, "too many sign-ins begun from this address");
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        // discovery first: nothing is stored if it fails
        URI uri = rp.authorizationUri(state, nonce, verifier, purpose.equals("reauth") ? REAUTH_MAX_AGE : null);
        String browser = OpaqueTokens.generate();
        Instant now = clock.instant();
        store.saveRequest(OpaqueTokens.hash(state.getValue()), OpaqueTokens.hash(browser),
                new OidcStore.PendingRequest(providerId, nonce.getValue(), verifier.getValue(), account, purpose),
                now, now.plus(REQUEST_TTL));
        return new Started(uri, browser);
    }

    /**
     * Begins linking a provider to the caller's account (from the account's settings).
     *
     * @throws ConflictException when the account already has an identity at that provider
     */
    public Started startLink(AuthenticatedUser user, String providerId, String ip) {
        provider(providerId);
        if (store.identities(user.accountId()).stream().anyMatch(i -> i.provider().equals(providerId))) {
            throw new ConflictException("your account is already linked to " + providerId + ": unlink it first");
        }
        return start(providerId, user.accountId(), ip);
    }

    /**
     * Begins a re-authentication of the caller at a provider linked to the account (from the deletion or e-mail
     * form of an account without a password): the callback hands off a proof of the owner instead of signing in.
     *
     * @throws NotFoundException when no such provider is configured or the account has no identity there
     */
    public Started startReauth(AuthenticatedUser user, String providerId, String ip) {
        provider(providerId);
        if (store.identities(user.accountId()).stream().noneMatch(i -> i.provider().equals(providerId))) {
            throw new NotFoundException("your account is not linked to " + providerId);
        }
        return begin(providerId, user.accountId(), "reauth", ip);
    }

    /**
     * Handles the provider's redirect back (the authorisation response, RFC 6749 §4.1.2, with RFC 9207's {@code iss}
     * when the provider sends it).
     *
     * @param params the query parameters of the redirect
     * @param browserBinding the value of the cookie {@link #start} set, or null
     * @return where to send the browser: the web app's sign-in page with {@code #oidc=<code>}, or the security page
     *         after a link
     * @throws InvalidTokenException when the state is unknown, expired, used, for another provider or from another
     *                               browser; when the provider refuses the code; when the ID token is not valid
     * @throws BadRequestException when the provider answered an error ({@code access_denied}: the user said no)
     * @throws ConflictException when the identity or the address is another account's
     * @throws ForbiddenException when a re-authentication comes back with an identity not linked to the account
     *                            that began it
     */
    public String callback(String providerId, Map<String, String> params, String browserBinding, String ip) {
        RelyingParty rp = provider(providerId);
        throttle.limit("oidc:callback:ip:" + ip, CALLBACK_LIMIT, WINDOW, "too many sign-in callbacks from this address");
        String state = params.get("state");
        if (state == null || state.isBlank()) {
            throw new InvalidTokenException("the authorisation response has no state: start the sign-in again", false);
        }
        Instant now = clock.instant();
        OidcStore.PendingRequest pending = store.spendRequest(OpaqueTokens.hash(state),
                        OpaqueTokens.hash(browserBinding == null ? "" : browserBinding), providerId, now)
                .orElseThrow(() -> new InvalidTokenException("the authorisation response's state is unknown, expired,"
                        + " already used or was begun in another browser: start the sign-in again", false));
        if (params.get("error") != null) {
            throw new BadRequestException("the identity provider " + providerId + " did not sign you in ("
                    + clip(params.get("error")) + ")");
        }
        String iss = params.get("iss");
        if (iss != null && !iss.equals(rp.issuer())) { // RFC 9207 §2.4: a response from another provider (mix-up)
            throw new InvalidTokenException("the authorisation response comes from another issuer", false);
        }
        String code = params.get("code");
        if (code == null || code.isBlank()) {
            throw new BadRequestException("the authorisation response has no code");
        }
        IDTokenClaimsSet claims = rp.redeem(code, new CodeVerifier(pending.codeVerifier()), new Nonce(pending.nonce()));
        String subject = claims.getSubject().getValue();
        String email = usableEmail(claims.getStringClaim("email"));
        Object flag = claims.getClaim("email_verified");
        // a JSON boolean per OpenID Connect Core §5.1; a few providers send the string "true"
        boolean verified = email != null && (Boolean.TRUE.equals(flag) || "true".equals(flag));
        if (pending.purpose().equals("reauth")) {
            return reauthenticated(pending.linkAccount(), providerId, subject, claims.getAuthenticationTime(), now);
        }
        if (pending.linkAccount() != null) {
            linkFromSettings(pending.linkAccount(), providerId, subject, email, now);
            return publicUrl + "/account/security?linked=" + providerId;
        }
        Optional<UUID> linked = store.accountOf(providerId, subject);
        OidcStore.Handoff handoff;
        if (linked.isPresent()) {
            store.touch(providerId, subject, now);
            handoff = new OidcStore.Handoff("sign-in", linked.get(), providerId, subject, email);
        } else if (email == null || email.isBlank()) {
            throw new ConflictException("the identity provider " + providerId + " shared no e-mail address, which a"
                    + " new account needs: allow the \"email\" scope, or create an account and link " + providerId
                    + " from its security settings");
        } else {
            Optional<UUID> holder = accountWithEmail(email);
            if (holder.isPresent()) {
                if (!verified) {
                    throw new ConflictException("an account already uses this e-mail address and " + providerId
                            + " has not verified it: sign in to that account and link " + providerId
                            + " from its security settings");
                }
                handoff = new OidcStore.Handoff("exchange-link", holder.get(), providerId, subject, email);
            } else {
                String hint = claims.getStringClaim("preferred_username");
                UUID created = auth.registerWithoutPassword(email, hint != null ? hint : email.substring(0,
                                Math.max(0, email.indexOf('@'))), verified,
                        (h, id) -> store.link(h, providerId, subject, id, email, now));
                store.touch(providerId, subject, now);
                handoff = new OidcStore.Handoff("sign-in", created, providerId, subject, email);
            }
        }
        String token = OpaqueTokens.generate();
        store.saveHandoff(OpaqueTokens.hash(token), handoff, now, now.plus(HANDOFF_TTL));
        return publicUrl + "/login#oidc=" + token;
    }

    /** A re-authentication came back: @return the security page with the hand-off code in its fragment */
    private String reauthenticated(UUID account, String providerId, String subject, java.util.Date authTime,
                                   Instant now) {
        Optional<UUID> owner = store.accountOf(providerId, subject);
        if (owner.isEmpty() || !owner.get().equals(account)) {
            // someone signed in at the provider as somebody else: that proves nothing about this account
            throw new ForbiddenException("this " + name(providerId) + " account is not the one linked to your"
                    + " account: sign in at " + name(providerId) + " as yourself");
        }
        // Core §3.1.2.1: with max_age the provider must send auth_time; some omit it, and prompt=login still asked
        if (authTime != null && authTime.toInstant().isBefore(now.minus(REAUTH_MAX_AGE).minus(AUTH_TIME_SKEW))) {
            throw new InvalidTokenException("the identity provider did not ask for your credentials again (auth_time"
                    + " is too old): try again", false);
        }
        store.touch(providerId, subject, now);
        String token = OpaqueTokens.generate();
        store.saveHandoff(OpaqueTokens.hash(token), new OidcStore.Handoff("reauth", account, providerId, subject, null),
                now, now.plus(HANDOFF_TTL));
        return publicUrl + "/account/security#reauth=" + token;
    }

    /**
     * Spends a re-authentication proof as the proof of the owner of {@code accountId}.
     *
     * @throws InvalidInputException ({@code reauthProof}) when it is unknown, expired, already used or another
     *                               account's, as a wrong password is
     */
    public void proveOwner(UUID accountId, String reauthProof) {
        if (reauthProof == null || reauthProof.isBlank()
                || !store.spendReauthProof(OpaqueTokens.hash(reauthProof), accountId, clock.instant())) {
            throw InvalidInputException.of("reauthProof", "is wrong, expired or already used: confirm with your"
                    + " identity provider again");
        }
    }

    private void linkFromSettings(UUID account, String providerId, String subject, String email, Instant now) {
        Optional<UUID> owner = store.accountOf(providerId, subject);
        if (owner.isPresent() && !owner.get().equals(account)) {
            throw new ConflictException("this " + providerId + " account is linked to another Kino account");
        }
        if (owner.isEmpty()) {
            boolean linked = store.jdbi().inTransaction(h -> store.link(h, providerId, subject, account, email, now));
            if (!linked) {
                throw new ConflictException("your account is already linked to " + providerId + ": unlink it first");
            }
            auth.securityNotice(account, "identity-linked", "Sign-in with " + name(providerId)
                    + " was linked to your account");
        }
    }

    /**
     * Exchanges a callback's single-use code for what the callback decided (after a re-authentication: a proof).
     *
     * @throws InvalidTokenException when the code is unknown, expired or already used
     * @throws AccountBannedException when the account is banned
     */
    public SignInResult exchange(ExchangeRequest req, String ip, String userAgent) {
        Validation v = new Validation();
        v.required("code", req.code());
        v.throwIfInvalid();
        throttle.limit("oidc:exchange:ip:" + ip, CALLBACK_LIMIT, WINDOW, "too many sign-in exchanges from this address");
        Instant now = clock.instant();
        OidcStore.Handoff h = store.spendHandoff(OpaqueTokens.hash(req.code()), List.of("sign-in", "exchange-link",
                        "reauth"), now)
                .orElseThrow(() -> new InvalidTokenException("the sign-in code is unknown, expired or already used:"
                        + " sign in again", false));
        if (h.kind().equals("sign-in")) {
            return SignInResult.of(firstFactorDone(h.accountId(), ip, userAgent));
        }
        if (h.kind().equals("reauth")) {
            String proof = OpaqueTokens.generate();
            store.saveHandoff(OpaqueTokens.hash(proof), new OidcStore.Handoff("reauth-proof", h.accountId(),
                    h.provider(), h.subject(), null), now, now.plus(PROOF_TTL));
            return SignInResult.reauth(proof);
        }
        String token = OpaqueTokens.generate();
        store.saveHandoff(OpaqueTokens.hash(token), new OidcStore.Handoff("link", h.accountId(), h.provider(),
                h.subject(), h.email()), now, now.plus(LINK_TTL));
        List<String> proofs = new ArrayList<>();
        SecondFactors.Status s = secondFactors.status(h.accountId());
        if (auth.hasPassword(h.accountId()) && !s.totp() && s.passkeys() == 0) {
            proofs.add("password");
        }
        if (s.totp()) {
            proofs.add("totp");
        }
        if (s.recoveryCodesLeft() > 0) {
            proofs.add("recovery-code");
        }
        return SignInResult.link(token, h.provider(), h.email(), List.copyOf(proofs));
    }

    /**
     * Confirms a pending link with the account's password (an account without a second factor) or a second-factor
     * code (an account with one: its password alone does not link), links the identity and signs in at once: the
     * provider's sign-in and the account's own proof.
     *
     * @throws InvalidInputException ({@code password} or {@code code}) when the proof is wrong
     * @throws InvalidTokenException when the link token is unknown, expired, used, or spent by wrong answers
     * @throws ConflictException when the identity was linked elsewhere meanwhile
     */
    public SignInResult confirmLink(LinkConfirmation req, String ip, String userAgent) {
        Validation v = new Validation();
        v.required("linkToken", req.linkToken());
        boolean byCode = req.code() != null && !req.code().isBlank();
        if (!byCode) {
            v.required("password", req.password());
        }
        v.throwIfInvalid();
        throttle.attemptFrom(ip);
        Instant now = clock.instant();
        byte[] hash = OpaqueTokens.hash(req.linkToken());
        OidcStore.Handoff h = store.peekHandoff(hash, "link", now).orElseThrow(OidcSignIn::linkGone);
        if (!byCode && secondFactors.hasSecondFactor(h.accountId())) {
            // linking is a change to how the account signs in: an account that asked for a second factor proves it
            throw InvalidInputException.of("code", "this account has a second factor: confirm with a code from"
                    + " your authenticator app or a recovery code");
        }
        try {
            secondFactors.proveOwner(h.accountId(), byCode ? new SecondFactors.RemoveRequest(req.code(), null)
                    : new SecondFactors.RemoveRequest(null, req.password()));
        } catch (InvalidInputException wrong) {
            if (store.failedAttempt(hash, CONFIRM_ATTEMPTS, now)) {
                throw new InvalidTokenException("too many wrong answers: the link was cancelled; sign in again", false);
            }
            throw wrong;
        }
        store.spendHandoff(hash, List.of("link"), now).orElseThrow(OidcSignIn::linkGone);
        boolean linked = store.jdbi().inTransaction(t -> store.link(t, h.provider(), h.subject(), h.accountId(),
                h.email(), now));
        if (!linked) {
            throw new ConflictException("this " + h.provider() + " account, or another one of the same provider, is"
                    + " already linked");
        }
        store.touch(h.provider(), h.subject(), now);
        auth.securityNotice(h.accountId(), "identity-linked", "Sign-in with " + name(h.provider())
                + " was linked to your account");
        if (byCode) {
            return SignInResult.of(AuthService.LoginResponse.of(auth.signIn(h.accountId(), ip, userAgent)));
        }
        return SignInResult.of(firstFactorDone(h.accountId(), ip, userAgent)); // no second factor: tokens
    }

    private static InvalidTokenException linkGone() {
        return new InvalidTokenException("the link token is unknown, expired or already used: sign in again", false);
    }

    /** The provider's sign-in counts as the first factor: tokens, or the account's second-factor challenge. */
    private AuthService.LoginResponse firstFactorDone(UUID account, String ip, String userAgent) {
        String ban = auth.activeBan(account);
        if (ban != null) {
            throw new AccountBannedException("this account is banned: " + ban);
        }
        AuthService.LoginResponse challenge = secondFactors.challenge(account, ip, userAgent);
        return challenge != null ? challenge : AuthService.LoginResponse.of(auth.signIn(account, ip, userAgent));
    }

    // ---- the account's identities -------------------------------------------------------------------------------

    /** @return the account's linked identities */
    public IdentityList identities(UUID accountId) {
        List<IdentityView> items = store.identities(accountId).stream()
                .map(i -> new IdentityView(i.provider(), name(i.provider()), i.email(), i.linkedAt(), i.lastUsedAt()))
                .toList();
        return new IdentityList(items, auth.hasPassword(accountId));
    }

    /**
     * Unlinks the caller's identity at a provider.
     *
     * @throws NotFoundException when the account has none there
     * @throws ConflictException when it is the account's last way to sign in (no password, no other identity, no
     *                           passkey)
     */
    public void unlink(AuthenticatedUser user, String providerId) {
        UUID account = user.accountId();
        List<OidcStore.IdentityRow> rows = store.identities(account);
        if (rows.stream().noneMatch(r -> r.provider().equals(providerId))) {
            throw new NotFoundException("your account is not linked to " + providerId);
        }
        if (rows.size() == 1 && !auth.hasPassword(account) && secondFactors.status(account).passkeys() == 0) {
            throw new ConflictException("this is the only way to sign in to your account: set a password first"
                    + " (\"Forgot your password?\" mails a link) or link another provider");
        }
        if (!store.unlink(account, providerId)) {
            throw new NotFoundException("your account is not linked to " + providerId);
        }
        auth.securityNotice(account, "identity-unlinked", "Sign-in with " + name(providerId)
                + " was removed from your account");
    }

    private String name(String providerId) {
        RelyingParty rp = providers.get(providerId);
        return rp == null ? providerId : rp.config().name();
    }

    private Optional<UUID> accountWithEmail(String email) {
        return store.jdbi().withHandle(h -> h.createQuery("select id from accounts where lower(email) = lower(:e)")
                .bind("e", email.strip()).mapTo(UUID.class).findOne());
    }

    /** What an e-mail address must look like to become an account's (as at registration). */
    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    /** @return the provider's address when it could be an account's, else null (treated as not shared) */
    private static String usableEmail(String email) {
        if (email == null) {
            return null;
        }
        String e = email.strip();
        return e.length() <= 254 && EMAIL.matcher(e).matches() ? e : null;
    }

    private static String clip(String s) {
        String t = s.replaceAll("[^A-Za-z0-9_.\\- ]", "");
        return t.length() <= 64 ? t : t.substring(0, 64);
    }

    /** @return the configured provider's relying party (tests validate tokens with it directly) */
    RelyingParty relyingParty(String id) {
        return provider(id);
    }
}
