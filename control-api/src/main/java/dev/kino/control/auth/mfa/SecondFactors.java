package dev.kino.control.auth.mfa;

import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.Validation;
import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.LoginThrottle;
import dev.kino.control.auth.OpaqueTokens;
import dev.kino.control.auth.TokenAuthenticator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Second factors of an account and the second step of its sign-in.
 *
 * <p>TOTP enrolment is two steps: {@link #enrolTotp} makes a secret (sealed at rest by a {@link SecretBox}) and shows
 * it as an {@code otpauth://} URI and QR code; {@link #confirmTotp} with a first code from the app turns it on and
 * answers {@value RecoveryCodes#COUNT} recovery codes, shown only then. A code is accepted once: the time-step of the
 * last accepted code is kept per account and a code of that step or an earlier one is refused (RFC 6238 §5.2).
 *
 * <p>Sign-in: {@link #challenge} (the {@link AuthService.SecondStep}) gives an account with a second factor a
 * challenge instead of tokens: random, stored hashed, valid {@link #CHALLENGE_TTL}, tied to its account, spent by one
 * successful {@link #complete} and given up after {@link #CHALLENGE_ATTEMPTS} wrong codes. Attempts are also limited
 * per account ({@link #ACCOUNT_ATTEMPTS} per {@link #ATTEMPT_WINDOW}, every challenge together) and per client
 * address (the login limit), so guessing a 6-digit code is out of reach.
 *
 * <p>Every method blocks (JDBC, Argon2id for passwords): call from the blocking executor.
 */
public final class SecondFactors implements AuthService.SecondStep {
    /** How long a sign-in challenge may be answered. */
    public static final Duration CHALLENGE_TTL = Duration.ofMinutes(5);
    /** Wrong answers a challenge takes before it is spent (sign in with the password again). */
    public static final int CHALLENGE_ATTEMPTS = 5;
    /** Second-factor attempts (sign-in, confirm, removal) an account may make per {@link #ATTEMPT_WINDOW}. */
    public static final int ACCOUNT_ATTEMPTS = 10;
    public static final Duration ATTEMPT_WINDOW = Duration.ofMinutes(15);
    /** Issuer shown by authenticator apps. */
    public static final String ISSUER = "Kino";

    private final Jdbi jdbi;
    private final SecretBox box;
    private final AuthService auth;
    private final LoginThrottle throttle;
    private final TokenAuthenticator authenticator;
    private final Clock clock;

    public SecondFactors(Jdbi jdbi, SecretBox box, AuthService auth, LoginThrottle throttle,
                         TokenAuthenticator authenticator, Clock clock) {
        this.jdbi = jdbi;
        this.box = box;
        this.auth = auth;
        this.throttle = throttle;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    // ---- API types ------------------------------------------------------------------------------------

    /**
     * @param secret the shared secret in base32 (RFC 4648), for typing into an app by hand
     * @param otpauthUri the Key URI ({@code otpauth://totp/Kino:<username>?secret=...&issuer=Kino&...}) apps scan
     * @param qrCode the URI as a QR code: a {@code data:image/svg+xml;base64,...} URI for an {@code <img src>}
     */
    public record TotpEnrolment(String secret, String otpauthUri, String qrCode) {
    }

    /** @param code the 6-digit code the app shows now */
    public record CodeRequest(String code) {
    }

    /** @param recoveryCodes {@value RecoveryCodes#COUNT} single-use codes, shown this once only */
    public record RecoveryCodesView(List<String> recoveryCodes) {
    }

    /**
     * What proves the owner when removing a factor: a current code (or a recovery code), or the password.
     *
     * @param code a current 6-digit code or a recovery code, or absent
     * @param password the account's password, or absent
     */
    public record RemoveRequest(String code, String password) {
    }

    /**
     * @param challenge the challenge from {@code POST /api/v1/auth/login}
     * @param code a current 6-digit code or a recovery code
     */
    public record ChallengeAnswer(String challenge, String code) {
    }

    /**
     * @param totp true when an authenticator app is set up (confirmed)
     * @param totpPending true when an enrolment waits for its first code
     * @param recoveryCodesLeft unused recovery codes
     * @param passkeys passkeys registered
     */
    public record Status(boolean totp, boolean totpPending, int recoveryCodesLeft, int passkeys) {
    }

    /**
     * A challenge that was answered: the sign-in it completes.
     *
     * @param accountId the account
     * @param ip the address the password came from
     * @param userAgent its {@code User-Agent}
     */
    public record Completed(UUID accountId, String ip, String userAgent) {
    }

    // ---- status and enrolment --------------------------------------------------------------------------

    /** @return the account's second factors */
    public Status status(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select exists (select 1 from mfa_totp where account_id = :a and confirmed_at is not null) as totp,
                               exists (select 1 from mfa_totp where account_id = :a and confirmed_at is null) as pending,
                               (select count(*) from mfa_recovery_codes where account_id = :a and used_at is null) as codes,
                               (select count(*) from passkeys where account_id = :a) as passkeys""")
                .bind("a", accountId)
                .map((rs, ctx) -> new Status(rs.getBoolean("totp"), rs.getBoolean("pending"), rs.getInt("codes"),
                        rs.getInt("passkeys")))
                .one());
    }

    /** @return true when the account has a confirmed authenticator app or a passkey */
    public boolean hasSecondFactor(UUID accountId) {
        Status s = status(accountId);
        return s.totp() || s.passkeys() > 0;
    }

    /**
     * Starts (or restarts) setting up an authenticator app.
     *
     * @throws ConflictException when one is already set up (remove it first)
     */
    public TotpEnrolment enrolTotp(AuthenticatedUser user) {
        byte[] secret = Totp.newSecret();
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("""
                            insert into mfa_totp (account_id, secret_sealed, created_at) values (:a, :s, :now)
                            on conflict (account_id) do update set secret_sealed = excluded.secret_sealed,
                                created_at = excluded.created_at, last_used_step = -1
                            where mfa_totp.confirmed_at is null""")
                    .bind("a", user.accountId()).bind("s", box.seal(user.accountId(), secret)).bind("now", utc(now))
                    .execute();
            if (updated == 0) {
                throw new ConflictException("an authenticator app is already set up: remove it first"
                        + " (DELETE /api/v1/me/mfa/totp) to set up another");
            }
        });
        String base32 = Base32.encode(secret);
        String label = URLEncoder.encode(ISSUER + ":" + user.username(), StandardCharsets.UTF_8)
                .replace("+", "%20").replace("%3A", ":");
        String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer=" + ISSUER
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP.toSeconds();
        return new TotpEnrolment(base32, uri, QrCodes.svgDataUri(uri));
    }

    /**
     * Turns the pending authenticator app on with a first code and makes new recovery codes (any older ones end).
     *
     * @throws ConflictException when no set-up is pending
     * @throws InvalidInputException ({@code code}) when the code is not the app's current one
     */
    public RecoveryCodesView confirmTotp(AuthenticatedUser user, CodeRequest req) {
        Validation v = new Validation();
        v.required("code", req.code());
        v.throwIfInvalid();
        UUID account = user.accountId();
        countAttempt(account);
        Instant now = clock.instant();
        List<String> codes = RecoveryCodes.generate();
        boolean ok = jdbi.inTransaction(h -> {
            Optional<byte[]> sealed = h.createQuery(
                            "select secret_sealed from mfa_totp where account_id = :a and confirmed_at is null for update")
                    .bind("a", account).mapTo(byte[].class).findOne();
            if (sealed.isEmpty()) {
                throw new ConflictException("no authenticator app set-up is pending: start one with"
                        + " POST /api/v1/me/mfa/totp");
            }
            long step = Totp.matchingStep(box.open(account, sealed.get()), req.code(), now);
            if (step < 0) {
                return false;
            }
            h.createUpdate("update mfa_totp set confirmed_at = :now, last_used_step = :step where account_id = :a")
                    .bind("now", utc(now)).bind("step", step).bind("a", account).execute();
            replaceRecoveryCodes(h, account, codes, now);
            return true;
        });
        if (!ok) {
            throw InvalidInputException.of("code", "is not the code your app shows now (check the phone's clock)");
        }
        authenticator.invalidateAccount(account); // a staff session limited to enrolment is a full one now
        auth.securityNotice(account, "second-factor-added", "An authenticator app was set up as a second factor");
        return new RecoveryCodesView(codes);
    }

    /**
     * Removes the authenticator app. With no passkey left, the recovery codes go too.
     *
     * @throws InvalidInputException when neither a right code nor the right password is given
     */
    public void removeTotp(AuthenticatedUser user, RemoveRequest req) {
        UUID account = user.accountId();
        proveOwner(account, req);
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from mfa_totp where account_id = :a").bind("a", account).execute();
            dropRecoveryCodesWithoutFactor(h, account);
        });
        authenticator.invalidateAccount(account);
        auth.securityNotice(account, "second-factor-removed", "The authenticator app was removed from your second factors");
    }

    /**
     * Replaces the recovery codes; the old ones stop working.
     *
     * @throws ConflictException when the account has no second factor
     * @throws InvalidInputException when neither a right code nor the right password is given
     */
    public RecoveryCodesView regenerateRecoveryCodes(AuthenticatedUser user, RemoveRequest req) {
        UUID account = user.accountId();
        if (!hasSecondFactor(account)) {
            throw new ConflictException("recovery codes need a second factor: set one up first");
        }
        proveOwner(account, req);
        List<String> codes = RecoveryCodes.generate();
        jdbi.useTransaction(h -> replaceRecoveryCodes(h, account, codes, clock.instant()));
        auth.securityNotice(account, "recovery-codes-replaced", "New recovery codes were made; the old ones no longer work");
        return new RecoveryCodesView(codes);
    }

    /**
     * Checks that the caller is the account's owner: a current code or unused recovery code (spent), or the password.
     *
     * @throws InvalidInputException when neither is right
     */
    public void proveOwner(UUID account, RemoveRequest req) {
        boolean hasCode = req.code() != null && !req.code().isBlank();
        boolean hasPassword = req.password() != null && !req.password().isEmpty();
        if (!hasCode && !hasPassword) {
            throw InvalidInputException.of("code", "a current code, a recovery code or your password is required");
        }
        countAttempt(account);
        if (hasCode && jdbi.inTransaction(h -> spend(h, account, req.code(), clock.instant()))) {
            return;
        }
        if (hasPassword && auth.passwordMatches(account, req.password())) {
            return;
        }
        throw InvalidInputException.of(hasCode ? "code" : "password", hasCode ? "is wrong or was already used"
                : "is wrong");
    }

    /** Drops the recovery codes once the account has no second factor left (after a passkey is removed too). */
    public void afterFactorRemoved(UUID account) {
        jdbi.useTransaction(h -> dropRecoveryCodesWithoutFactor(h, account));
        authenticator.invalidateAccount(account);
    }

    /** Makes recovery codes when the first passkey is an account's first second factor. @return them, or null */
    public RecoveryCodesView recoveryCodesIfNone(UUID account) {
        List<String> codes = RecoveryCodes.generate();
        boolean made = jdbi.inTransaction(h -> {
            int left = h.createQuery("select count(*) from mfa_recovery_codes where account_id = :a and used_at is null")
                    .bind("a", account).mapTo(Integer.class).one();
            if (left > 0) {
                return false;
            }
            replaceRecoveryCodes(h, account, codes, clock.instant());
            return true;
        });
        return made ? new RecoveryCodesView(codes) : null;
    }

    private static void dropRecoveryCodesWithoutFactor(Handle h, UUID account) {
        h.createUpdate("""
                        delete from mfa_recovery_codes where account_id = :a
                          and not exists (select 1 from mfa_totp where account_id = :a and confirmed_at is not null)
                          and not exists (select 1 from passkeys where account_id = :a)""")
                .bind("a", account).execute();
    }

    private static void replaceRecoveryCodes(Handle h, UUID account, List<String> codes, Instant now) {
        h.createUpdate("delete from mfa_recovery_codes where account_id = :a").bind("a", account).execute();
        var batch = h.prepareBatch("insert into mfa_recovery_codes (account_id, code_hash, created_at) values (:a, :h, :now)");
        for (String c : codes) {
            batch.bind("a", account).bind("h", RecoveryCodes.hash(account, c)).bind("now", utc(now)).add();
        }
        batch.execute();
    }

    /**
     * Spends a code: a recovery code (once), or a TOTP code of a time-step later than the last one accepted.
     *
     * @return true when the code was right and is now spent
     */
    private boolean spend(Handle h, UUID account, String code, Instant now) {
        if (RecoveryCodes.looksLikeOne(code)) {
            return h.createUpdate("""
                            update mfa_recovery_codes set used_at = :now
                            where account_id = :a and code_hash = :h and used_at is null""")
                    .bind("now", utc(now)).bind("a", account).bind("h", RecoveryCodes.hash(account, code))
                    .execute() == 1;
        }
        Optional<byte[]> sealed = h.createQuery(
                        "select secret_sealed from mfa_totp where account_id = :a and confirmed_at is not null")
                .bind("a", account).mapTo(byte[].class).findOne();
        if (sealed.isEmpty()) {
            return false;
        }
        long step = Totp.matchingStep(box.open(account, sealed.get()), code, now);
        // only a step after the last accepted one: the same code twice, or an older one, is refused
        return step >= 0 && h.createUpdate(
                        "update mfa_totp set last_used_step = :s where account_id = :a and last_used_step < :s")
                .bind("s", step).bind("a", account).execute() == 1;
    }

    private void countAttempt(UUID account) {
        throttle.limit("mfa:attempt:" + account, ACCOUNT_ATTEMPTS, ATTEMPT_WINDOW,
                "too many second-factor attempts on this account");
    }

    // ---- sign-in challenges ----------------------------------------------------------------------------

    /** A sign-in's second step: a challenge for an account with a second factor, else null (tokens at once). */
    @Override
    public AuthService.LoginResponse challenge(UUID accountId, String ip, String userAgent) {
        Status s = status(accountId);
        if (!s.totp() && s.passkeys() == 0) {
            return null;
        }
        List<String> factors = new ArrayList<>();
        if (s.totp()) {
            factors.add("totp");
        }
        if (s.passkeys() > 0) {
            factors.add("passkey");
        }
        if (s.recoveryCodesLeft() > 0) {
            factors.add("recovery-code");
        }
        return AuthService.LoginResponse.challenge(issueChallenge(accountId, ip, userAgent), List.copyOf(factors));
    }

    private String issueChallenge(UUID accountId, String ip, String userAgent) {
        String token = OpaqueTokens.generate();
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into mfa_challenges (token_hash, account_id, created_at, expires_at, ip, user_agent)
                        values (:h, :a, :now, :exp, :ip, :ua)""")
                .bind("h", OpaqueTokens.hash(token)).bind("a", accountId).bind("now", utc(now))
                .bind("exp", utc(now.plus(CHALLENGE_TTL))).bind("ip", ip).bind("ua", userAgent).execute());
        return token;
    }

    private enum Outcome { UNKNOWN, OK, WRONG, EXHAUSTED }

    private record Attempt(Outcome outcome, Completed completed) {
    }

    /** @return the account of a live challenge, without spending it (passkey assertions check it against theirs) */
    public Optional<UUID> challengeAccount(String challenge) {
        if (challenge == null || challenge.isBlank()) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("""
                        select account_id from mfa_challenges
                        where token_hash = :h and used_at is null and expires_at > :now""")
                .bind("h", OpaqueTokens.hash(challenge)).bind("now", utc(clock.instant()))
                .mapTo(UUID.class).findOne());
    }

    /**
     * Answers a sign-in challenge with a code.
     *
     * @param ip the client address now (counted against the login limit of that address)
     * @return the sign-in it completes; the challenge is spent
     * @throws InvalidTokenException when the challenge is unknown, expired, already used or gave up
     * @throws InvalidInputException ({@code code}) when the code is wrong or was already used
     * @throws dev.kino.control.RateLimitedException when the address or the account made too many attempts
     */
    public Completed complete(ChallengeAnswer req, String ip) {
        Validation v = new Validation();
        v.required("challenge", req.challenge());
        v.required("code", req.code());
        v.throwIfInvalid();
        throttle.attemptFrom(ip);
        UUID account = challengeAccount(req.challenge()).orElseThrow(SecondFactors::challengeGone);
        countAttempt(account);
        return finish(req.challenge(), h -> spend(h, account, req.code(), clock.instant()));
    }

    /**
     * Spends a challenge with a proof checked by {@code proof} inside the same transaction (a code; a passkey
     * assertion already verified).
     */
    Completed finish(String challenge, java.util.function.Predicate<Handle> proof) {
        Instant now = clock.instant();
        Attempt a = jdbi.inTransaction(h -> {
            var row = h.createQuery("""
                            select account_id, attempts, ip, user_agent from mfa_challenges
                            where token_hash = :h and used_at is null and expires_at > :now for update""")
                    .bind("h", OpaqueTokens.hash(challenge)).bind("now", utc(now))
                    .map((rs, ctx) -> new Object[]{rs.getObject("account_id", UUID.class), rs.getInt("attempts"),
                            rs.getString("ip"), rs.getString("user_agent")})
                    .findOne();
            if (row.isEmpty()) {
                return new Attempt(Outcome.UNKNOWN, null);
            }
            Object[] r = row.get();
            Completed done = new Completed((UUID) r[0], (String) r[2], (String) r[3]);
            if (proof.test(h)) {
                h.createUpdate("update mfa_challenges set used_at = :now where token_hash = :h")
                        .bind("now", utc(now)).bind("h", OpaqueTokens.hash(challenge)).execute();
                return new Attempt(Outcome.OK, done);
            }
            int attempts = (int) r[1] + 1;
            // a wrong answer is counted (and commits); the last one allowed spends the challenge
            h.createUpdate("update mfa_challenges set attempts = :n, used_at = case when :n >= :max then cast(:now as timestamptz) end"
                            + " where token_hash = :h")
                    .bind("n", attempts).bind("max", CHALLENGE_ATTEMPTS).bind("now", utc(now))
                    .bind("h", OpaqueTokens.hash(challenge)).execute();
            return new Attempt(attempts >= CHALLENGE_ATTEMPTS ? Outcome.EXHAUSTED : Outcome.WRONG, null);
        });
        return switch (a.outcome()) {
            case OK -> a.completed();
            case UNKNOWN -> throw challengeGone();
            case EXHAUSTED -> throw new InvalidTokenException("too many wrong codes: this sign-in was cancelled;"
                    + " sign in with your password again", false);
            case WRONG -> throw InvalidInputException.of("code", "is wrong or was already used");
        };
    }

    private static InvalidTokenException challengeGone() {
        return new InvalidTokenException("the sign-in challenge is unknown, expired or already used: sign in with"
                + " your password again", false);
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
