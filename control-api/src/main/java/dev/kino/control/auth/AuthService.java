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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
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
                // NOTE: serialises registrations so "the first account becomes admin" holds under concurrency
                h.execute("select pg_advisory_xact_lock(7301)");
                checkFree(h, email, username);
                boolean first = h.createQuery("select not exists (select 1 from accounts)").mapTo(boolean.class).one();
                UUID id = UUID.randomUUID();
                OffsetDateTime now = now();
                h.createUpdate("insert into accounts (id, email, username, password_hash, tokens_valid_after, created_at, updated_at) "
                                + "values (:id, :email, :username, :hash, :now, :now, :now)")
                        .bind("id", id).bind("email", email).bind("username", username).bind("hash", hash)
                        .bind("now", now).execute();
                java.util.List<String> roles = first ? java.util.List.of(RoleStore.USER_ROLE, "admin")
                        : java.util.List.of(RoleStore.USER_ROLE);
                this.roles.grant(h, id, roles);
                sendToken(h, id, email, "verify-email", VERIFY_EMAIL_TTL, "Confirm your e-mail address",
                        "/verify-email?token=");
                return new RegisteredAccount(id, email, username, roles);
            });
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                throw new ConflictException("that e-mail address or username is already registered");
            }
            throw e;
        }
    }

    private static void checkFree(Handle h, String email, String username) {
        boolean emailTaken = h.createQuery("select exists (select 1 from accounts where lower(email) = lower(:e))")
                .bind("e", email).mapTo(boolean.class).one();
        if (emailTaken) {
            throw new ConflictException("that e-mail address is already registered");
        }
        boolean nameTaken = h.createQuery("select exists (select 1 from accounts where lower(username) = lower(:u))")
                .bind("u", username).mapTo(boolean.class).one();
        if (nameTaken) {
            throw new ConflictException("that username is taken");
        }
    }

    static boolean isUniqueViolation(Exception e) {
        return e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }

    // ---- login, refresh, logout -----------------------------------------------------------------------

    private record Credentials(UUID id, String hash) {
    }

    public TokenResponse login(LoginRequest req, String ip, String userAgent) {
        Validation v = new Validation();
        v.required("login", req.login());
        v.required("password", req.password());
        v.throwIfInvalid();
        throttle.attemptFrom(ip);
        Optional<Credentials> found = jdbi.withHandle(h -> h.createQuery(
                        "select id, password_hash from accounts where lower(email) = lower(:l) or lower(username) = lower(:l)")
                .bind("l", req.login().strip())
                .map((rs, ctx) -> new Credentials(rs.getObject("id", UUID.class), rs.getString("password_hash")))
                .findFirst());
        if (found.isEmpty()) {
            hasher.verify(req.password(), dummyHash); // same cost as a real check: no account enumeration by timing
            throw badCredentials();
        }
        Credentials c = found.get();
        throttle.checkNotLocked(c.id());
        if (req.password().length() > PasswordPolicy.MAX_LENGTH || !hasher.verify(req.password(), c.hash())) {
            throttle.failed(c.id());
            throw badCredentials();
        }
        throttle.succeeded(c.id());
        String ban = activeBan(c.id());
        if (ban != null) {
            throw new AccountBannedException("this account is banned: " + ban);
        }
        String rehash = hasher.needsRehash(c.hash()) ? hasher.hash(req.password()) : null;
        return jdbi.inTransaction(h -> {
            if (rehash != null) {
                h.createUpdate("update accounts set password_hash = :hash where id = :id and password_hash = :old")
                        .bind("hash", rehash).bind("id", c.id()).bind("old", c.hash()).execute();
            }
            UUID sessionId = UUID.randomUUID();
            OffsetDateTime now = now();
            h.createUpdate("insert into sessions (id, account_id, created_at, last_used_at, expires_at, user_agent, ip) "
                            + "values (:id, :account, :now, :now, :expires, :ua, :ip)")
                    .bind("id", sessionId).bind("account", c.id()).bind("now", now)
                    .bind("expires", now.plus(SESSION_TTL))
                    .bind("ua", userAgent == null ? null : userAgent.substring(0, Math.min(256, userAgent.length())))
                    .bind("ip", ip).execute();
            String refresh = newRefreshToken(h, sessionId, now);
            AccessTokens.Issued access = accessTokens.issue(c.id(), sessionId);
            return new TokenResponse(access.token(), "Bearer", AccessTokens.TTL.toSeconds(), refresh, sessionId);
        });
    }

    private static InvalidCredentialsException badCredentials() {
        return new InvalidCredentialsException("wrong login or password");
    }

    /** @return the reason of the account's active ban, or null */
    public String activeBan(UUID accountId) {
        return bans.active(accountId, clock.instant()).map(BanStore.BanView::reason).orElse(null);
    }

    private static String newRefreshToken(Handle h, UUID sessionId, OffsetDateTime now) {
        String token = OpaqueTokens.generate();
        h.createUpdate("insert into refresh_tokens (token_hash, session_id, created_at) values (:hash, :sid, :now)")
                .bind("hash", OpaqueTokens.hash(token)).bind("sid", sessionId).bind("now", now).execute();
        return token;
    }

    private enum RefreshOutcome { UNKNOWN, ENDED, REUSED }

    private record RefreshResult(RefreshOutcome failure, UUID accountId, UUID sessionId, String refreshToken) {
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
            OffsetDateTime now = now();
            var row = h.createQuery("select t.session_id, t.rotated_at is not null as rotated, s.account_id, "
                            + "s.revoked_at is not null as revoked, s.expires_at from refresh_tokens t "
                            + "join sessions s on s.id = t.session_id where t.token_hash = :hash for update of t, s")
                    .bind("hash", OpaqueTokens.hash(req.refreshToken()))
                    .mapToMap().findOne();
            if (row.isEmpty()) {
                return new RefreshResult(RefreshOutcome.UNKNOWN, null, null, null);
            }
            var m = row.get();
            UUID sessionId = (UUID) m.get("session_id");
            UUID accountId = (UUID) m.get("account_id");
            if ((Boolean) m.get("revoked") || !now.isBefore(toOffset(m.get("expires_at")))) {
                return new RefreshResult(RefreshOutcome.ENDED, accountId, sessionId, null);
            }
            if ((Boolean) m.get("rotated")) {
                h.createUpdate("update sessions set revoked_at = :now, revoke_reason = 'refresh-token-reuse' where id = :sid")
                        .bind("now", now).bind("sid", sessionId).execute();
                return new RefreshResult(RefreshOutcome.REUSED, accountId, sessionId, null);
            }
            h.createUpdate("update refresh_tokens set rotated_at = :now where token_hash = :hash")
                    .bind("now", now).bind("hash", OpaqueTokens.hash(req.refreshToken())).execute();
            h.createUpdate("update sessions set last_used_at = :now, expires_at = :expires where id = :sid")
                    .bind("now", now).bind("expires", now.plus(SESSION_TTL)).bind("sid", sessionId).execute();
            return new RefreshResult(null, accountId, sessionId, newRefreshToken(h, sessionId, now));
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
        AccessTokens.Issued access = accessTokens.issue(r.accountId(), r.sessionId());
        return new TokenResponse(access.token(), "Bearer", AccessTokens.TTL.toSeconds(), r.refreshToken(), r.sessionId());
    }

    /** Ends the session of a refresh token. Idempotent: unknown tokens are ignored. */
    public void logout(RefreshRequest req) {
        Validation v = new Validation();
        v.required("refreshToken", req.refreshToken());
        v.throwIfInvalid();
        Optional<UUID> sid = jdbi.withHandle(h -> h.createQuery("update sessions set revoked_at = :now, revoke_reason = 'logout' "
                        + "where id = (select session_id from refresh_tokens where token_hash = :hash) and revoked_at is null "
                        + "returning id")
                .bind("now", now()).bind("hash", OpaqueTokens.hash(req.refreshToken())).mapTo(UUID.class).findOne());
        sid.ifPresent(authenticator::invalidateSession);
    }

    /** Revokes one of the caller's own sessions. @throws NotFoundException when it is not theirs or not active */
    public void revokeSession(UUID accountId, UUID sessionId) {
        int n = jdbi.withHandle(h -> h.createUpdate("update sessions set revoked_at = :now, revoke_reason = 'revoked' "
                        + "where id = :sid and account_id = :account and revoked_at is null")
                .bind("now", now()).bind("sid", sessionId).bind("account", accountId).execute());
        if (n == 0) {
            throw new NotFoundException("no active session " + sessionId);
        }
        authenticator.invalidateSession(sessionId);
    }

    // ---- e-mail tokens --------------------------------------------------------------------------------

    private void sendToken(Handle h, UUID accountId, String email, String purpose, Duration ttl, String subject,
                           String path) {
        String token = OpaqueTokens.generate();
        OffsetDateTime now = now();
        h.createUpdate("insert into one_time_tokens (token_hash, account_id, purpose, created_at, expires_at) "
                        + "values (:hash, :account, :purpose, :now, :expires)")
                .bind("hash", OpaqueTokens.hash(token)).bind("account", accountId).bind("purpose", purpose)
                .bind("now", now).bind("expires", now.plus(ttl)).execute();
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
        return h.createQuery("update one_time_tokens set used_at = :now where token_hash = :hash and purpose = :purpose "
                        + "and used_at is null and expires_at > :now returning account_id")
                .bind("now", now()).bind("hash", OpaqueTokens.hash(token)).bind("purpose", purpose)
                .mapTo(UUID.class).findOne()
                .orElseThrow(() -> InvalidInputException.of("token", "is invalid, already used or expired"));
    }

    public void verifyEmail(TokenRequest req) {
        jdbi.useTransaction(h -> {
            UUID account = consume(h, req.token(), "verify-email");
            h.createUpdate("update accounts set email_verified_at = coalesce(email_verified_at, :now), updated_at = :now "
                    + "where id = :id").bind("now", now()).bind("id", account).execute();
        });
    }

    /** Sends a reset link when the address belongs to an account; answers the same either way. */
    public void requestPasswordReset(PasswordResetRequest req, String ip) {
        Validation v = new Validation();
        v.required("email", req.email());
        v.throwIfInvalid();
        throttle.limit("reset:ip:" + ip, 10, Duration.ofHours(1), "too many password reset requests from this address");
        jdbi.useTransaction(h -> h.createQuery("select id, email from accounts where lower(email) = lower(:e)")
                .bind("e", req.email().strip()).mapToMap().findOne()
                .ifPresent(m -> sendToken(h, (UUID) m.get("id"), (String) m.get("email"), "password-reset",
                        PASSWORD_RESET_TTL, "Reset your password", "/reset-password?token=")));
    }

    /** Sets a new password from a reset token; every session of the account ends. */
    public void confirmPasswordReset(PasswordResetConfirm req) {
        UUID account = jdbi.inTransaction(h -> {
            UUID id = consume(h, req.token(), "password-reset");
            var names = h.createQuery("select username, email from accounts where id = :id").bind("id", id).mapToMap().one();
            Validation v = new Validation();
            policy.problems(req.password(), (String) names.get("username"), (String) names.get("email"))
                    .forEach(p -> v.add("password", p));
            v.throwIfInvalid(); // rolls back: the token stays usable
            OffsetDateTime now = now();
            h.createUpdate("update accounts set password_hash = :hash, tokens_valid_after = :now, updated_at = :now, "
                            + "email_verified_at = coalesce(email_verified_at, :now) where id = :id")
                    .bind("hash", hasher.hash(req.password())).bind("now", now).bind("id", id).execute();
            sessions.revokeAll(h, id, "password-reset", now.toInstant());
            return id;
        });
        authenticator.invalidateAccount(account);
        throttle.succeeded(account);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static OffsetDateTime toOffset(Object o) {
        if (o instanceof OffsetDateTime t) {
            return t;
        }
        if (o instanceof java.sql.Timestamp t) {
            return OffsetDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC);
        }
        if (o instanceof Instant i) {
            return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        throw new IllegalStateException("not a timestamp: " + o);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
