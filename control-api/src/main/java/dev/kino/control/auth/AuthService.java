package dev.kino.control.auth;

import dev.kino.control.AccountBannedException;
import dev.kino.control.ConflictException;
import dev.kino.control.InvalidCredentialsException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.mail.Mail;
import dev.kino.control.mail.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Registration, login, refresh-token rotation, logout, e-mail verification and password reset. Every
 * method blocks (JDBC, Argon2id): call it from the blocking executor. It writes the sign-in tables
 * ({@code accounts}' credentials, {@code sessions}, {@code refresh_tokens}, {@code one_time_tokens}) itself and
 * goes through {@link RoleStore}, {@link BanStore} and {@link SessionStore} for roles, bans and bulk revocation.
 * Failures are domain exceptions: {@link ConflictException}, {@link InvalidInputException},
 * {@link InvalidCredentialsException}, {@link InvalidTokenException}, {@link AccountBannedException}, and
 * {@code RateLimitedException} from the {@link LoginThrottle}.
 */
public final class AuthService {
    public static final Duration SESSION_TTL = Duration.ofDays(30);
    /** A client address the account signed in from within this long is a known device for {@link LoginThrottle}. */
    public static final Duration KNOWN_DEVICE_WINDOW = Duration.ofDays(90);
    public static final Duration VERIFY_EMAIL_TTL = Duration.ofDays(2);
    public static final Duration PASSWORD_RESET_TTL = Duration.ofHours(1);
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9_.-]{3,32}$");

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final AccessTokens accessTokens;
    private final TokenAuthenticator authenticator;
    private final LoginThrottle throttle;
    private final Outbox outbox;
    private final Clock clock;
    private final String publicUrl;
    private final String dummyHash;
    private final RoleStore roles;
    private final BanStore bans;
    private final SessionStore sessions;
    private final AccountStore accounts;
    private final OneTimeTokenStore oneTimeTokens;

    public AuthService(Jdbi jdbi, PasswordHasher hasher, PasswordPolicy policy, AccessTokens accessTokens,
                       TokenAuthenticator authenticator, LoginThrottle throttle, Outbox outbox, Clock clock,
                       String publicUrl) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.policy = policy;
        this.accessTokens = accessTokens;
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.outbox = outbox;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.dummyHash = hasher.hash("not a real password, only to spend the same time");
        this.roles = new RoleStore(jdbi);
        this.bans = new BanStore(jdbi);
        this.sessions = new SessionStore(jdbi);
        this.accounts = new AccountStore(jdbi);
        this.oneTimeTokens = new OneTimeTokenStore();
    }

    // ---- API types ------------------------------------------------------------------------------------

    /** @param email e-mail address @param username 3-32 of A-Z a-z 0-9 _ . - @param password see {@link PasswordPolicy} */
    public record RegisterRequest(String email, String username, String password) {
    }

    /** @param id account id @param email e-mail @param username username @param roles role names */
    public record RegisteredAccount(UUID id, String email, String username, java.util.List<String> roles) {
    }

    /** @param login e-mail or username @param password the password */
    public record LoginRequest(String login, String password) {
    }

    /** @param refreshToken the current refresh token */
    public record RefreshRequest(String refreshToken) {
    }

    /**
     * @param accessToken JWT for {@code Authorization: Bearer}
     * @param tokenType always {@code Bearer}
     * @param expiresIn seconds until the access token expires
     * @param refreshToken single-use token for {@code /auth/refresh}
     * @param sessionId the session these tokens belong to
     */
    public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken, UUID sessionId) {
    }

    /**
     * The answer to a password sign-in: tokens, or, for an account with a second factor, a challenge and no tokens
     * (then {@code POST /api/v1/auth/login/mfa} with the challenge and a code, or {@code /auth/passkey/...}, completes
     * it). Fields that do not apply are left out of the JSON.
     *
     * @param accessToken JWT for {@code Authorization: Bearer}; absent when {@code mfaRequired}
     * @param tokenType always {@code Bearer}; absent when {@code mfaRequired}
     * @param expiresIn seconds until the access token expires; absent when {@code mfaRequired}
     * @param refreshToken single-use token for {@code /auth/refresh}; absent when {@code mfaRequired}
     * @param sessionId the session these tokens belong to; absent when {@code mfaRequired}
     * @param mfaRequired true when a second factor must complete the sign-in; absent otherwise
     * @param challenge the single-use, short-lived challenge to complete it with; absent otherwise
     * @param factors what answers the challenge: {@code totp}, {@code recovery-code}, {@code passkey}
     */
    public record LoginResponse(String accessToken, String tokenType, Long expiresIn, String refreshToken,
                                UUID sessionId, Boolean mfaRequired, String challenge, java.util.List<String> factors) {
        /** @return the answer carrying tokens */
        public static LoginResponse of(TokenResponse t) {
            return new LoginResponse(t.accessToken(), t.tokenType(), t.expiresIn(), t.refreshToken(), t.sessionId(),
                    null, null, null);
        }

        /** @return the answer asking for a second factor */
        public static LoginResponse challenge(String challenge, java.util.List<String> factors) {
            return new LoginResponse(null, null, null, null, null, true, challenge, factors);
        }
    }

    /** Decides whether a sign-in whose password was right needs a second step (the second factors feature). */
    @FunctionalInterface
    public interface SecondStep {
        /**
         * @param accountId the account whose password was right
         * @param ip the client address
         * @param userAgent the client's {@code User-Agent}, or null
         * @return a {@link LoginResponse#challenge challenge} when the account has a second factor, else null
         */
        LoginResponse challenge(UUID accountId, String ip, String userAgent);
    }

    private volatile SecondStep secondStep = (a, i, u) -> null;

    /** Sets the one decider of second steps (while wiring). */
    public void secondStep(SecondStep decider) {
        this.secondStep = decider;
    }

    /** @param token the token from the mail */
    public record TokenRequest(String token) {
    }

    /** @param email the account's e-mail */
    public record PasswordResetRequest(String email) {
    }

    /** @param token the token from the mail @param password the new password */
    public record PasswordResetConfirm(String token, String password) {
    }

    // ---- registration ---------------------------------------------------------------------------------

    public RegisteredAccount register(RegisterRequest req, String ip) {
        Validation v = new Validation();
        if (v.required("email", req.email())) {
            v.check("email", req.email().length() <= 254 && EMAIL.matcher(req.email()).matches(), "must be an e-mail address");
        }
        if (v.required("username", req.username())) {
            v.check("username", USERNAME.matcher(req.username()).matches(), "must be 3 to 32 of A-Z a-z 0-9 _ . -");
        }
        policy.problems(req.password(), req.username(), req.email()).forEach(p -> v.add("password", p));
        v.throwIfInvalid();
        throttle.limit("register:ip:" + ip, 20, Duration.ofHours(1), "too many registrations from this address");
        String hash = hasher.hash(req.password());
        String email = req.email().strip();
        String username = req.username();
        try {
            return jdbi.inTransaction(h -> {
                // serialises registrations: the checks below and the insert see one another
                accounts.lockRegistrations(h);
                if (accounts.usernameTaken(h, username)) {
                    throw new ConflictException("that username is taken"); // usernames are public: nothing to hide
                }
                if (accounts.emailTaken(h, email)) {
                    // Answer exactly as for a new account, so the form does not tell who is registered (the password
                    // was hashed above, so the time matches too); the owner of the address learns it by mail.
                    outbox.enqueue(h, new Mail("already-registered", email, "You already have a Kino account",
                            "Someone (you?) tried to register a new Kino account with this e-mail address, which"
                                    + " already has one.\n\nSign in at " + publicUrl + "/login, or if you forgot"
                                    + " your password, reset it at " + publicUrl + "/reset-password.\n\nIf it was"
                                    + " not you, ignore this mail: nothing changed."));
                    return new RegisteredAccount(UUID.randomUUID(), email, username,
                            java.util.List.of(RoleStore.USER_ROLE));
                }
                UUID id = UUID.randomUUID();
                accounts.insert(h, id, email, username, hash, clock.instant());
                // never more than "user": the first administrator is the operator's act (OperatorAccounts)
                java.util.List<String> roles = java.util.List.of(RoleStore.USER_ROLE);
                this.roles.grant(h, id, roles);
                sendToken(h, id, email, "verify-email", VERIFY_EMAIL_TTL, "Confirm your e-mail address",
                        "/verify-email?token=");
                return new RegisteredAccount(id, email, username, roles);
            });
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                throw new ConflictException("that username is taken"); // a concurrent registration took it
            }
            throw e;
        }
    }

    /**
     * What {@code accounts.password_hash} holds for an account made by an identity provider's sign-in: no PHC string,
     * so no password matches it ({@link PasswordHasher#verify} refuses it); a password reset sets a real one.
     */
    public static final String NO_PASSWORD = "!none";

    /**
     * Creates an account that signs in through an identity provider (no password), in one transaction with
     * {@code also} (which records the identity).
     *
     * @param email the address the provider gave; taken by another account: {@link ConflictException}
     * @param usernameHint a wished user name (the provider's {@code preferred_username} or the address's local part);
     *                     cleaned to 3-32 of A-Z a-z 0-9 _ . - and given a number when taken
     * @param emailVerified true when the provider says it verified the address ({@code email_verified})
     * @param also more writes in the same transaction, given the handle and the new account's id
     * @return the new account's id
     * @throws ConflictException when an account already uses the address
     */
    public UUID registerWithoutPassword(String email, String usernameHint, boolean emailVerified,
                                        java.util.function.BiConsumer<Handle, UUID> also) {
        String base = usernameHint == null ? "" : usernameHint.replaceAll("[^A-Za-z0-9_.-]", "");
        if (base.length() < 3) {
            base = "viewer";
        }
        base = base.substring(0, Math.min(base.length(), 24));
        String stem = base;
        return jdbi.inTransaction(h -> {
            accounts.lockRegistrations(h);
            if (accounts.emailTaken(h, email)) {
                throw new ConflictException("an account already uses this e-mail address");
            }
            String username = stem;
            java.util.random.RandomGenerator random = new java.security.SecureRandom();
            while (accounts.usernameTaken(h, username)) {
                username = stem + (1000 + random.nextInt(9000)); // 4 digits: 24 + 4 stays within 32
            }
            UUID id = UUID.randomUUID();
            Instant now = clock.instant();
            accounts.insert(h, id, email, username, NO_PASSWORD, now);
            if (emailVerified) {
                accounts.markEmailVerified(h, id, now);
            }
            this.roles.grant(h, id, java.util.List.of(RoleStore.USER_ROLE));
            also.accept(h, id);
            return id;
        });
    }

    /** @return true when the account has a password (false: it was made by an identity provider's sign-in) */
    public boolean hasPassword(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("select password_hash not like '!%' from accounts where id = :id")
                .bind("id", accountId).mapTo(boolean.class).findOne()).orElse(false);
    }

    static boolean isUniqueViolation(Exception e) {
        return e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }

    // ---- login, refresh, logout -----------------------------------------------------------------------

    /**
     * Checks a password. An account without a second factor gets tokens; one with a second factor gets a challenge
     * (see {@link LoginResponse}) and the session opens only when {@link #signIn} is called after the second step.
     */
    public LoginResponse login(LoginRequest req, String ip, String userAgent) {
        Validation v = new Validation();
        v.required("login", req.login());
        v.required("password", req.password());
        v.throwIfInvalid();
        throttle.attemptFrom(ip);
        Optional<AccountStore.Credentials> found = accounts.credentials(req.login().strip());
        if (found.isEmpty()) {
            hasher.verify(req.password(), dummyHash); // same cost as a real check: no account enumeration by timing
            throw badCredentials();
        }
        AccountStore.Credentials c = found.get();
        boolean knownDevice = sessions.signedInFrom(c.id(), ip, clock.instant().minus(KNOWN_DEVICE_WINDOW));
        throttle.checkAllowed(c.id(), ip, knownDevice);
        if (req.password().length() > PasswordPolicy.MAX_LENGTH || !hasher.verify(req.password(), c.passwordHash())) {
            throttle.failed(c.id(), ip);
            throw badCredentials();
        }
        throttle.succeeded(c.id(), ip);
        String ban = activeBan(c.id());
        if (ban != null) {
            throw new AccountBannedException("this account is banned: " + ban);
        }
        if (hasher.needsRehash(c.passwordHash())) {
            String rehash = hasher.hash(req.password());
            jdbi.useTransaction(h -> accounts.upgradeHash(h, c.id(), c.passwordHash(), rehash));
        }
        LoginResponse challenge = secondStep.challenge(c.id(), ip, userAgent);
        return challenge != null ? challenge : LoginResponse.of(signIn(c.id(), ip, userAgent));
    }

    /**
     * Opens a session for an account whose sign-in is complete (a password alone when it has no second factor; a
     * password and a second factor; a passkey) and issues its tokens. Tells the owner of a sign-in from an address
     * not seen for {@link #KNOWN_DEVICE_WINDOW}.
     *
     * @throws AccountBannedException when the account is banned
     */
    public TokenResponse signIn(UUID accountId, String ip, String userAgent) {
        String ban = activeBan(accountId);
        if (ban != null) {
            throw new AccountBannedException("this account is banned: " + ban);
        }
        boolean knownDevice = sessions.signedInFrom(accountId, ip, clock.instant().minus(KNOWN_DEVICE_WINDOW));
        boolean everSignedIn = !knownDevice && sessions.everSignedIn(accountId);
        TokenResponse issued = jdbi.inTransaction(h -> {
            UUID sessionId = UUID.randomUUID();
            Instant now = clock.instant();
            sessions.open(h, sessionId, accountId, now, now.plus(SESSION_TTL), userAgent, ip);
            String refresh = sessions.issueRefreshToken(h, sessionId, now);
            AccessTokens.Issued access = accessTokens.issue(accountId, sessionId, sessions.profileOf(h, sessionId));
            return new TokenResponse(access.token(), "Bearer", AccessTokens.TTL.toSeconds(), refresh, sessionId);
        });
        signIns.signedIn(accountId);
        if (everSignedIn) { // a first sign-in is no news; one from an address not seen for 90 days is
            security.notice(accountId, "new-sign-in", "New sign-in to your account from " + ip
                    + (userAgent == null || userAgent.isBlank() ? "" : " (" + clip(userAgent) + ")"));
        }
        return issued;
    }

    /** Hears of completed sign-ins (a scheduled account deletion is cancelled by one). */
    @FunctionalInterface
    public interface SignIns {
        /** @param accountId the account a session was just opened for */
        void signedIn(UUID accountId);
    }

    private volatile SignIns signIns = a -> { };

    /** Sets the one listener of completed sign-ins (while wiring). */
    public void signIns(SignIns listener) {
        this.signIns = listener;
    }

    /** Tells the account's owner of a security event raised elsewhere (second factors added or removed). */
    public void securityNotice(UUID accountId, String event, String text) {
        security.notice(accountId, event, text);
    }

    /** @return true when {@code password} is the account's password (Argon2id: call from the blocking executor) */
    public boolean passwordMatches(UUID accountId, String password) {
        if (password == null || password.isEmpty() || password.length() > PasswordPolicy.MAX_LENGTH) {
            return false;
        }
        String hash = jdbi.withHandle(h -> h.createQuery("select password_hash from accounts where id = :id")
                .bind("id", accountId).mapTo(String.class).findOne()).orElse(dummyHash);
        return hasher.verify(password, hash);
    }

    private static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }

    /** Hears of security events on accounts (notifications tell the account's owner at once, by e-mail too). */
    @FunctionalInterface
    public interface SecurityNotices {
        /**
         * @param event {@code new-sign-in}, {@code password-reset}, ...
         * @param text what happened, one line for the account's owner
         */
        void notice(UUID accountId, String event, String text);
    }

    private volatile SecurityNotices security = (a, e, t) -> { };

    /** Sets the one listener of security events (while wiring). */
    public void securityNotices(SecurityNotices listener) {
        this.security = listener;
    }

    private static InvalidCredentialsException badCredentials() {
        return new InvalidCredentialsException("wrong login or password");
    }

    /** @return the reason of the account's active ban, or null */
    public String activeBan(UUID accountId) {
        return bans.active(accountId, clock.instant()).map(BanStore.BanView::reason).orElse(null);
    }

    private enum RefreshOutcome { UNKNOWN, ENDED, REUSED }

    private record RefreshResult(RefreshOutcome failure, UUID accountId, UUID sessionId, String refreshToken,
                                 UUID profileId) {
        RefreshResult(RefreshOutcome failure, UUID accountId, UUID sessionId, String refreshToken) {
            this(failure, accountId, sessionId, refreshToken, null);
        }
    }

    /**
     * Rotates a refresh token. Presenting one that was already rotated means it leaked (or was replayed):
     * the whole session (token family) is revoked.
     */
    public TokenResponse refresh(RefreshRequest req) {
        Validation v = new Validation();
        v.required("refreshToken", req.refreshToken());
        v.throwIfInvalid();
        RefreshResult r = jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            byte[] hash = OpaqueTokens.hash(req.refreshToken());
            Optional<SessionStore.RefreshTokenRow> row = sessions.lockRefreshToken(h, hash);
            if (row.isEmpty()) {
                return new RefreshResult(RefreshOutcome.UNKNOWN, null, null, null);
            }
            SessionStore.RefreshTokenRow t = row.get();
            if (t.sessionRevoked() || !now.isBefore(t.sessionExpires())) {
                return new RefreshResult(RefreshOutcome.ENDED, t.accountId(), t.sessionId(), null);
            }
            if (t.rotated()) {
                sessions.revoke(h, t.sessionId(), "refresh-token-reuse", now);
                return new RefreshResult(RefreshOutcome.REUSED, t.accountId(), t.sessionId(), null);
            }
            sessions.rotate(h, hash, t.sessionId(), now, now.plus(SESSION_TTL));
            return new RefreshResult(null, t.accountId(), t.sessionId(), sessions.issueRefreshToken(h, t.sessionId(), now),
                    sessions.profileOf(h, t.sessionId()));
        });
        if (r.failure() == RefreshOutcome.REUSED) {
            authenticator.invalidateSession(r.sessionId());
            throw new InvalidTokenException(
                    "refresh token was already used; the session has been revoked as a precaution", false);
        }
        if (r.failure() != null) {
            throw new InvalidTokenException("refresh token is unknown, expired or revoked", false);
        }
        String ban = activeBan(r.accountId());
        if (ban != null) {
            throw new AccountBannedException("this account is banned: " + ban);
        }
        AccessTokens.Issued access = accessTokens.issue(r.accountId(), r.sessionId(), r.profileId());
        return new TokenResponse(access.token(), "Bearer", AccessTokens.TTL.toSeconds(), r.refreshToken(), r.sessionId());
    }

    /**
     * Makes the caller's session act as one of its account's profiles and issues the session's new tokens: an access
     * token naming the profile ({@code pid}) and a new refresh token (the session's earlier refresh tokens count as
     * exchanged, and its earlier access tokens stop working, see {@link TokenAuthenticator}). The caller checks that
     * the profile is the account's and that its PIN was given.
     *
     * @param profileId a profile of the caller's account
     */
    public TokenResponse switchProfile(AuthenticatedUser caller, UUID profileId) {
        TokenResponse issued = jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            if (!sessions.actAs(h, caller.sessionId(), caller.accountId(), profileId, now)) {
                throw new InvalidTokenException("the session ended", false);
            }
            String refresh = sessions.issueRefreshToken(h, caller.sessionId(), now);
            AccessTokens.Issued access = accessTokens.issue(caller.accountId(), caller.sessionId(), profileId);
            return new TokenResponse(access.token(), "Bearer", AccessTokens.TTL.toSeconds(), refresh, caller.sessionId());
        });
        authenticator.invalidateSession(caller.sessionId());
        return issued;
    }

    /** Ends the session of a refresh token. Idempotent: unknown tokens are ignored. */
    public void logout(RefreshRequest req) {
        Validation v = new Validation();
        v.required("refreshToken", req.refreshToken());
        v.throwIfInvalid();
        sessions.endByRefreshToken(OpaqueTokens.hash(req.refreshToken()), clock.instant())
                .ifPresent(authenticator::invalidateSession);
    }

    /** Revokes one of the caller's own sessions. @throws NotFoundException when it is not theirs or not active */
    public void revokeSession(UUID accountId, UUID sessionId) {
        if (!sessions.revokeOwn(accountId, sessionId, clock.instant())) {
            throw new NotFoundException("no active session " + sessionId);
        }
        authenticator.invalidateSession(sessionId);
    }

    // ---- e-mail tokens --------------------------------------------------------------------------------

    private void sendToken(Handle h, UUID accountId, String email, String purpose, Duration ttl, String subject,
                           String path) {
        String token = OpaqueTokens.generate();
        Instant now = clock.instant();
        oneTimeTokens.insert(h, OpaqueTokens.hash(token), accountId, purpose, now, now.plus(ttl));
        String link = publicUrl + path + token;
        outbox.enqueue(h, new Mail(purpose, email, subject, subject + ":\n\n" + link + "\n\nThe link works once and expires in "
                + humanize(ttl) + ". If you did not ask for it, ignore this mail."));
    }

    private static String humanize(Duration d) {
        return d.toHours() >= 24 ? d.toDays() + " days" : d.toHours() + " hour" + (d.toHours() == 1 ? "" : "s");
    }

    /** Spends a single-use token. @return its account @throws InvalidInputException when invalid, used or expired */
    private UUID consume(Handle h, String token, String purpose) {
        if (token == null || token.isBlank()) {
            throw InvalidInputException.of("token", "is required");
        }
        return oneTimeTokens.consume(h, OpaqueTokens.hash(token), purpose, clock.instant())
                .orElseThrow(() -> InvalidInputException.of("token", "is invalid, already used or expired"));
    }

    /**
     * Confirms an address with a mailed link: the registration's (or a resent) confirmation, or an e-mail change's
     * ({@link CredentialChanges}), which makes the new address the account's and tells the old one.
     *
     * @throws InvalidInputException ({@code token}) when the token is invalid, used or expired
     * @throws ConflictException when the new address of an e-mail change was taken meanwhile
     */
    public void verifyEmail(TokenRequest req) {
        if (req.token() == null || req.token().isBlank()) {
            throw InvalidInputException.of("token", "is required");
        }
        Instant now = clock.instant();
        UUID changed = jdbi.inTransaction(h -> {
            Optional<UUID> account = oneTimeTokens.consume(h, OpaqueTokens.hash(req.token()), "verify-email", now);
            if (account.isPresent()) {
                accounts.markEmailVerified(h, account.get(), now);
                return null;
            }
            if (credentialChanges == null) {
                throw InvalidInputException.of("token", "is invalid, already used or expired");
            }
            return credentialChanges.confirmChange(h, OpaqueTokens.hash(req.token()), now)
                    .orElseThrow(() -> InvalidInputException.of("token", "is invalid, already used or expired"));
        });
        if (changed != null) {
            authenticator.invalidateAccount(changed);
            security.notice(changed, "email-changed", "The e-mail address of your account was changed");
        }
    }

    private volatile CredentialChanges credentialChanges;

    /** Sets the one handler of e-mail change links (while wiring). */
    void credentialChanges(CredentialChanges changes) {
        this.credentialChanges = changes;
    }

    /** Sends a reset link when the address belongs to an account; answers the same either way. */
    public void requestPasswordReset(PasswordResetRequest req, String ip) {
        Validation v = new Validation();
        v.required("email", req.email());
        v.throwIfInvalid();
        throttle.limit("reset:ip:" + ip, 10, Duration.ofHours(1), "too many password reset requests from this address");
        jdbi.useTransaction(h -> accounts.byEmail(h, req.email().strip())
                .ifPresent(a -> sendToken(h, a.id(), a.email(), "password-reset",
                        PASSWORD_RESET_TTL, "Reset your password", "/reset-password?token=")));
    }

    /** Sets a new password from a reset token; every session of the account ends. */
    public void confirmPasswordReset(PasswordResetConfirm req) {
        UUID account = jdbi.inTransaction(h -> {
            UUID id = consume(h, req.token(), "password-reset");
            AccountStore.Identity names = accounts.identity(h, id);
            Validation v = new Validation();
            policy.problems(req.password(), names.username(), names.email()).forEach(p -> v.add("password", p));
            v.throwIfInvalid(); // rolls back: the token stays usable
            Instant now = clock.instant();
            accounts.resetPassword(h, id, hasher.hash(req.password()), now);
            sessions.revokeAll(h, id, "password-reset", now);
            return id;
        });
        authenticator.invalidateAccount(account);
        throttle.passwordReset(account);
        security.notice(account, "password-reset", "Your password was reset and every session was signed out");
    }
}
