package dev.kino.control.auth;

import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.Validation;
import dev.kino.control.mail.Mail;
import dev.kino.control.mail.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The signed-in owner's changes of their own credentials: the password ({@code POST /api/v1/me/password}), the
 * e-mail address ({@code POST /api/v1/me/email}, confirmed from the new address) and another confirmation mail
 * ({@code POST /api/v1/me/email/verification}).
 *
 * <p>Each change needs proof that the caller is the owner and not someone at an unlocked screen or holding a stolen
 * access token: the current password, or for an account with a second factor a current code of it (the
 * {@link OwnerProof}, which counts attempts per account). A password change ends every other session of the account
 * (OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege Level Change"); the caller's own
 * stays. An e-mail change takes effect only when the link mailed to the new address is followed
 * ({@link AuthService#verifyEmail}); the old address is then told, since that is where an owner whose account was
 * taken over still reads mail. Every completed change is a security notice (in-app and mailed at once).
 *
 * <p>Rate limits per account: {@value #PASSWORD_CHANGES} password changes, {@value #EMAIL_CHANGES} e-mail changes and
 * {@value #VERIFICATION_MAILS} confirmation mails per {@link #WINDOW}. Every method blocks (JDBC, Argon2id).
 */
public final class CredentialChanges {
    /** How long the link of an e-mail change works. */
    public static final Duration CHANGE_EMAIL_TTL = Duration.ofDays(2);
    public static final int PASSWORD_CHANGES = 5;
    public static final int EMAIL_CHANGES = 5;
    public static final int VERIFICATION_MAILS = 3;
    public static final Duration WINDOW = Duration.ofHours(1);
    /** Purpose of an e-mail change link in {@code one_time_tokens}. */
    static final String CHANGE_EMAIL = "change-email";

    /**
     * Proves the caller owns the account: a current second-factor code, the password, or a re-authentication proof
     * (a fresh sign-in at a linked identity provider, {@code OidcSignIn.proveOwner}).
     */
    @FunctionalInterface
    public interface OwnerProof {
        /**
         * @param code a current code of the account's second factor (or a recovery code), or null
         * @param password the account's password, or null
         * @param reauthProof a re-authentication proof of this account, or null
         * @throws InvalidInputException when none is right (a proof: unknown, expired, used or another account's)
         * @throws dev.kino.control.RateLimitedException after too many attempts on the account
         */
        void prove(UUID accountId, String code, String password, String reauthProof);
    }

    /**
     * @param currentPassword the password now; may be left out when {@code code} is given
     * @param code a current code of the account's second factor, instead of the password
     * @param newPassword the new password (see {@link PasswordPolicy})
     * @param reauthProof for an account without a password (made by an identity provider's sign-in): the proof
     *                    from re-authenticating at a linked provider, instead of the password it does not have
     */
    public record PasswordChange(String currentPassword, String code, String newPassword, String reauthProof) {
    }

    /**
     * @param email the new address
     * @param currentPassword the password now; may be left out when {@code code} is given
     * @param code a current code of the account's second factor, instead of the password
     * @param reauthProof the proof from re-authenticating at a linked identity provider, instead of the password
     */
    public record EmailChange(String email, String currentPassword, String code, String reauthProof) {
    }

    /** @param signedOut how many other sessions were ended */
    public record PasswordChanged(int signedOut) {
    }

    /**
     * @param pendingEmail the address the confirmation link was mailed to
     * @param expiresAt when that link stops working
     */
    public record EmailChangePending(String pendingEmail, Instant expiresAt) {
    }

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final AuthService auth;
    private final TokenAuthenticator authenticator;
    private final LoginThrottle throttle;
    private final Outbox outbox;
    private final Clock clock;
    private final String publicUrl;
    private final OwnerProof proof;
    private final AccountStore accounts;
    private final OneTimeTokenStore tokens = new OneTimeTokenStore();

    public CredentialChanges(Jdbi jdbi, PasswordHasher hasher, PasswordPolicy policy, AuthService auth,
                             TokenAuthenticator authenticator, LoginThrottle throttle, Outbox outbox, Clock clock,
                             String publicUrl, OwnerProof proof) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.policy = policy;
        this.auth = auth;
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.outbox = outbox;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.proof = proof;
        this.accounts = new AccountStore(jdbi);
        auth.credentialChanges(this);
    }

    /**
     * Sets a new password and ends every session of the account but {@code user}'s.
     *
     * @throws InvalidInputException ({@code newPassword}) against the policy; ({@code currentPassword} or
     *                               {@code code}) when the proof is wrong
     * @throws dev.kino.control.RateLimitedException over {@value #PASSWORD_CHANGES} per hour, or too many proofs
     */
    public PasswordChanged changePassword(AuthenticatedUser user, PasswordChange req) {
        UUID id = user.accountId();
        AccountStore.Identity names = accounts.identity(id).orElseThrow();
        Validation v = new Validation();
        if (v.required("newPassword", req.newPassword())) {
            policy.problems(req.newPassword(), names.username(), names.email()).forEach(p -> v.add("newPassword", p));
        }
        v.throwIfInvalid();
        throttle.limit("password-change:" + id, PASSWORD_CHANGES, WINDOW, "too many password changes on this account");
        if (present(req.reauthProof()) && !present(req.code()) && auth.hasPassword(id)) {
            // the provider's sign-in stands in for a password the account lacks, not for one it has (the reset
            // link is there for a forgotten one)
            throw InvalidInputException.of("currentPassword", "this account has a password: confirm with it");
        }
        proveOwner(id, req.code(), req.currentPassword(), req.reauthProof());
        String hash = hasher.hash(req.newPassword());
        Instant now = clock.instant();
        List<UUID> ended = jdbi.inTransaction(h -> {
            h.createUpdate("update accounts set password_hash = :hash, updated_at = :now where id = :id")
                    .bind("hash", hash).bind("now", BanStore.utc(now)).bind("id", id).execute();
            return h.createQuery("""
                            update sessions set revoked_at = :now, revoke_reason = 'password-change'
                            where account_id = :id and id <> :current and revoked_at is null returning id""")
                    .bind("now", BanStore.utc(now)).bind("id", id).bind("current", user.sessionId())
                    .mapTo(UUID.class).list();
        });
        ended.forEach(authenticator::invalidateSession);
        throttle.passwordReset(id); // a guessed-at account whose owner set a new password is no longer locked
        auth.securityNotice(id, "password-changed", "Your password was changed"
                + (ended.isEmpty() ? "" : " and " + ended.size() + " other session" + (ended.size() == 1 ? " was" : "s were")
                + " signed out"));
        return new PasswordChanged(ended.size());
    }

    /**
     * Mails a confirmation link to a new address; the address changes when it is followed. A newer request replaces
     * an older pending one (its link stops working).
     *
     * @throws InvalidInputException ({@code email}) for a malformed address or the current one; for a wrong proof
     * @throws ConflictException when another account uses the address
     * @throws dev.kino.control.RateLimitedException over {@value #EMAIL_CHANGES} per hour, or too many proofs
     */
    public EmailChangePending changeEmail(AuthenticatedUser user, EmailChange req) {
        UUID id = user.accountId();
        Validation v = new Validation();
        if (v.required("email", req.email())) {
            v.check("email", req.email().strip().length() <= 254 && AuthService.EMAIL.matcher(req.email().strip()).matches(),
                    "must be an e-mail address");
        }
        v.throwIfInvalid();
        String email = req.email().strip();
        AccountStore.Identity now = accounts.identity(id).orElseThrow();
        if (now.email().toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT))) {
            throw InvalidInputException.of("email", "is already your address");
        }
        throttle.limit("email-change:" + id, EMAIL_CHANGES, WINDOW, "too many e-mail changes on this account");
        proveOwner(id, req.code(), req.currentPassword(), req.reauthProof());
        Instant at = clock.instant();
        Instant expires = at.plus(CHANGE_EMAIL_TTL);
        jdbi.useTransaction(h -> {
            if (accounts.emailTaken(h, email)) {
                // The owner proved the password and is rate-limited: telling them is worth more than hiding it.
                throw new ConflictException("another account uses that e-mail address");
            }
            tokens.spendAll(h, id, CHANGE_EMAIL, at);
            String token = OpaqueTokens.generate();
            tokens.insert(h, OpaqueTokens.hash(token), id, CHANGE_EMAIL, at, expires, email);
            outbox.enqueue(h, new Mail(CHANGE_EMAIL, email, "Confirm your new e-mail address",
                    "Someone (you, we hope) asked to use this address for the Kino account " + now.username()
                            + ". Confirm it:\n\n" + publicUrl + "/verify-email?token=" + token
                            + "\n\nThe link works once and expires in " + CHANGE_EMAIL_TTL.toDays() + " days. Until"
                            + " then the account keeps its old address. If you did not ask for it, ignore this mail."));
        });
        return new EmailChangePending(email, expires);
    }

    /**
     * Mails another confirmation link to the account's address (the one sent at registration may be lost).
     *
     * @throws ConflictException when the address is already confirmed
     * @throws dev.kino.control.RateLimitedException over {@value #VERIFICATION_MAILS} per hour
     */
    public void resendVerification(UUID accountId) {
        if (accounts.emailVerified(accountId)) {
            throw new ConflictException("your e-mail address is already confirmed");
        }
        throttle.limit("verify-email-resend:" + accountId, VERIFICATION_MAILS, WINDOW,
                "too many confirmation mails for this account");
        Instant at = clock.instant();
        jdbi.useTransaction(h -> {
            AccountStore.Identity a = accounts.identity(h, accountId);
            String token = OpaqueTokens.generate();
            tokens.insert(h, OpaqueTokens.hash(token), accountId, "verify-email", at,
                    at.plus(AuthService.VERIFY_EMAIL_TTL), null);
            outbox.enqueue(h, new Mail("verify-email", a.email(), "Confirm your e-mail address",
                    "Confirm your e-mail address:\n\n" + publicUrl + "/verify-email?token=" + token
                            + "\n\nThe link works once and expires in " + AuthService.VERIFY_EMAIL_TTL.toDays()
                            + " days. If you did not ask for it, ignore this mail."));
        });
    }

    /**
     * Spends an e-mail change link, inside the caller's transaction: the account's address becomes the new one
     * (confirmed) and the old address is told.
     *
     * @return the account whose address changed, or empty when the token is no e-mail change link
     * @throws ConflictException when another account took the address meanwhile (the transaction rolls back)
     */
    Optional<UUID> confirmChange(Handle h, byte[] tokenHash, Instant now) {
        Optional<OneTimeTokenStore.Spent> spent = tokens.consumeWithEmail(h, tokenHash, CHANGE_EMAIL, now);
        if (spent.isEmpty()) {
            return Optional.empty();
        }
        UUID id = spent.get().accountId();
        String email = spent.get().newEmail();
        AccountStore.Identity old = accounts.identity(h, id);
        if (accounts.emailTaken(h, email)) {
            throw new ConflictException("another account uses that e-mail address now");
        }
        try {
            h.createUpdate("update accounts set email = :e, email_verified_at = :now, updated_at = :now where id = :id")
                    .bind("e", email).bind("now", BanStore.utc(now)).bind("id", id).execute();
        } catch (UnableToExecuteStatementException e) {
            if (AuthService.isUniqueViolation(e)) {
                throw new ConflictException("another account uses that e-mail address now");
            }
            throw e;
        }
        outbox.enqueue(h, new Mail("email-changed", old.email(), "Your Kino e-mail address was changed",
                "The e-mail address of your Kino account " + old.username() + " was changed to " + mask(email)
                        + ". Mail about the account now goes there.\n\nIf you did not do this, reset your password at "
                        + publicUrl + "/reset-password right away and contact support: someone may be in your account."));
        return Optional.of(id);
    }

    /** @return the address with most of its local part hidden ({@code j***@example.org}), for a mail to another box */
    static String mask(String email) {
        int at = email.indexOf('@');
        return at <= 1 ? "***" + email.substring(Math.max(at, 0)) : email.charAt(0) + "***" + email.substring(at);
    }

    private void proveOwner(UUID id, String code, String password, String reauthProof) {
        boolean hasCode = present(code);
        boolean hasPassword = password != null && !password.isEmpty();
        boolean hasProof = present(reauthProof);
        if (!hasCode && !hasPassword && !hasProof) {
            throw InvalidInputException.of("currentPassword", "your current password (or a code of your second factor,"
                    + " or a reauthProof from your identity provider) is required");
        }
        try {
            proof.prove(id, code, password, reauthProof);
        } catch (InvalidInputException e) {
            // the field clients know from this request's shape
            throw InvalidInputException.of(hasCode ? "code" : hasPassword ? "currentPassword" : "reauthProof",
                    hasPassword && !hasCode ? "is wrong" : "is wrong or was already used");
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
