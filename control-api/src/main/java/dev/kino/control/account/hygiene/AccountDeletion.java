package dev.kino.control.account.hygiene;

import dev.kino.control.ConflictException;
import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.CredentialChanges;
import dev.kino.control.auth.TokenAuthenticator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Deletion of an account by its owner: asked for ({@code DELETE /api/v1/me}, with the password or a second-factor
 * code), it waits a grace period ({@code control.accountDeletionGrace}); signing in meanwhile, or
 * {@code POST /api/v1/me/deletion/cancel}, calls it off. Then {@link #eraseDue} (the API's background scheduler)
 * erases the personal data.
 *
 * <p>What erasure does, in one transaction per account (all or nothing):
 * <ul>
 *   <li>The {@code accounts} row stays, anonymous: e-mail {@code deleted-<id>@deleted.invalid} (RFC 2606 reserves
 *       {@code .invalid}: nothing is ever mailed there), user name {@code deleted-<12 hex>}, no display name, bio,
 *       avatar or languages, a password hash no password matches, {@code deleted_at} set. Public comments and forum
 *       posts keep pointing at it and are shown with the author "deleted user"; aggregates the account contributed to
 *       (ratings, reactions, reputation) stay consistent.</li>
 *   <li>Deleted: sessions and refresh tokens, e-mail link tokens, second factors (TOTP, recovery codes, challenges,
 *       passkeys), roles, follows (titles, threads, users), forum read positions, notifications with their settings,
 *       counters and digests, watch history (playback progress) and watchlist, the uploaded avatar, the
 *       recommendations computed for the account; all of these for every viewer profile. The profiles themselves stay,
 *       nameless (their ratings are kept), without PIN or avatar.</li>
 *   <li>Kept: invoices and the billing customer (bookkeeping law keeps invoices for years; they hold no e-mail
 *       address or name of ours), ratings and reactions (anonymous now), the comments and posts themselves, and
 *       the audit log's records of what admins did to the account, with its e-mail address and names taken out of
 *       their before/after (and as an actor its rows point at the anonymous account).</li>
 *   <li>Before erasure, outside the transaction's writes: the subscription at the payment provider is cancelled
 *       ({@link #beforeErase}).</li>
 * </ul>
 * NOTE: erasure deletes rows of several features' tables here, in one transaction, because a half-erased account is
 * worse than a cross-feature statement list; a feature that adds a table keyed by account adds it to {@link #erase}.
 */
public final class AccountDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(AccountDeletion.class);
    /** The most accounts one {@link #eraseDue} round erases. */
    static final int BATCH = 100;
    /** The name every erased account shows next to what it wrote. */
    public static final String DELETED_USER = "deleted user";

    private final Jdbi jdbi;
    private final AuthService auth;
    private final TokenAuthenticator authenticator;
    private final CredentialChanges.OwnerProof proof;
    private final Duration grace;
    private final Clock clock;

    public AccountDeletion(Jdbi jdbi, AuthService auth, TokenAuthenticator authenticator,
                           CredentialChanges.OwnerProof proof, Duration grace, Clock clock) {
        this.jdbi = jdbi;
        this.auth = auth;
        this.authenticator = authenticator;
        this.proof = proof;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * @param currentPassword the account's password; may be left out when {@code code} is given
     * @param code a current code of the account's second factor, instead of the password
     * @param reauthProof the proof from re-authenticating at a linked identity provider, instead of the password
     *                    (an account made by a provider's sign-in has none)
     */
    public record DeletionRequest(String currentPassword, String code, String reauthProof) {
    }

    /**
     * @param deletionDueAt when the personal data will be erased unless cancelled
     * @param gracePeriodDays the grace period, in days
     */
    public record DeletionScheduled(Instant deletionDueAt, long gracePeriodDays) {
    }

    /**
     * Schedules the deletion of the caller's account; its other sessions end (the caller's stays, to cancel from).
     *
     * @throws dev.kino.control.InvalidInputException when neither the password nor a code is right
     * @throws ConflictException when a deletion is already scheduled
     */
    public DeletionScheduled request(AuthenticatedUser user, DeletionRequest req) {
        UUID id = user.accountId();
        boolean hasCode = req.code() != null && !req.code().isBlank();
        boolean hasPassword = req.currentPassword() != null && !req.currentPassword().isEmpty();
        boolean hasProof = req.reauthProof() != null && !req.reauthProof().isBlank();
        if (!hasCode && !hasPassword && !hasProof) {
            throw dev.kino.control.InvalidInputException.of("currentPassword", "your current password (or a code of"
                    + " your second factor, or a reauthProof from your identity provider) is required");
        }
        try {
            proof.prove(id, req.code(), req.currentPassword(), req.reauthProof());
        } catch (dev.kino.control.InvalidInputException e) {
            throw dev.kino.control.InvalidInputException.of(hasCode ? "code" : hasPassword ? "currentPassword"
                    : "reauthProof", "is wrong" + (hasCode || hasPassword ? "" : ", expired or already used"));
        }
        Instant now = clock.instant();
        Instant due = now.plus(grace);
        List<UUID> ended = jdbi.inTransaction(h -> {
            int n = h.createUpdate("""
                            update accounts set deletion_requested_at = :now, deletion_due_at = :due
                            where id = :id and deletion_due_at is null and deleted_at is null""")
                    .bind("now", utc(now)).bind("due", utc(due)).bind("id", id).execute();
            if (n == 0) {
                throw new ConflictException("this account's deletion is already scheduled; cancel it with"
                        + " POST /api/v1/me/deletion/cancel");
            }
            return h.createQuery("""
                            update sessions set revoked_at = :now, revoke_reason = 'account-deletion'
                            where account_id = :id and id <> :current and revoked_at is null returning id""")
                    .bind("now", utc(now)).bind("id", id).bind("current", user.sessionId()).mapTo(UUID.class).list();
        });
        ended.forEach(authenticator::invalidateSession);
        auth.securityNotice(id, "account-deletion-scheduled", "Your account will be deleted on " + due
                + ". Sign in before then to keep it.");
        return new DeletionScheduled(due, grace.toDays());
    }

    /** @return when the account's scheduled deletion is due, or empty when none is */
    public Optional<Instant> scheduled(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("select deletion_due_at from accounts where id = :id")
                .bind("id", accountId).mapTo(OffsetDateTime.class).findOne()).map(OffsetDateTime::toInstant);
    }

    /**
     * Calls a scheduled deletion off (the owner signed in, or asked). Nothing happens when none is scheduled.
     *
     * @return whether one was
     */
    public boolean cancel(UUID accountId) {
        boolean cancelled = jdbi.withHandle(h -> h.createUpdate("""
                        update accounts set deletion_requested_at = null, deletion_due_at = null
                        where id = :id and deletion_due_at is not null and deleted_at is null""")
                .bind("id", accountId).execute()) > 0;
        if (cancelled) {
            auth.securityNotice(accountId, "account-deletion-cancelled", "The deletion of your account was cancelled");
        }
        return cancelled;
    }

    /**
     * Erases the accounts whose grace period is over, at most {@link #BATCH} a call; safe on several nodes at once
     * (each account is locked and skipped by the others).
     *
     * @return how many were erased
     */
    public int eraseDue() {
        Instant now = clock.instant();
        int erased = 0;
        List<String> deferred = new java.util.ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            Optional<UUID> done;
            try {
                done = jdbi.inTransaction(h -> {
                    Optional<UUID> next = h.createQuery("""
                                    select id from accounts where deletion_due_at <= :now and deleted_at is null
                                      and not (cast(id as text) = any(:deferred))
                                    order by deletion_due_at limit 1 for update skip locked""")
                            .bind("now", utc(now)).bindArray("deferred", String.class, deferred)
                            .mapTo(UUID.class).findOne();
                    next.ifPresent(id -> {
                        runBeforeErase(id);
                        erase(h, id, now);
                    });
                    return next;
                });
            } catch (Deferred e) {
                // the account stays as it is (row lock released) and is tried again on the next sweep
                LOG.warn("account {} not erased yet: {}", e.account, e.getCause().toString());
                deferred.add(e.account.toString());
                continue;
            }
            if (done.isEmpty()) {
                break;
            }
            authenticator.invalidateAccount(done.get());
            try {
                erasedListener.accept(done.get());
            } catch (RuntimeException e) {
                // the account's row is erased already; the listener's data is retried by nobody, so say so loudly
                LOG.error("account {} erased, but a feature's erasure failed: {}", done.get(), e.toString());
            }
            LOG.info("account {} erased (deletion asked for by its owner)", done.get());
            erased++;
        }
        return erased;
    }

    private volatile java.util.function.Consumer<UUID> beforeErase = id -> { };

    /**
     * Sets what must happen outside the database before an account is erased (billing cancels its subscription at
     * the payment provider). It runs while the account's row is locked, so one node does it; when it throws, the
     * account is not erased and is tried again on the next {@link #eraseDue}.
     */
    public void beforeErase(java.util.function.Consumer<UUID> hook) {
        this.beforeErase = java.util.Objects.requireNonNull(hook);
    }

    private void runBeforeErase(UUID id) {
        try {
            beforeErase.accept(id);
        } catch (RuntimeException e) {
            throw new Deferred(id, e);
        }
    }

    /** {@link #beforeErase}'s hook failed for an account. */
    private static final class Deferred extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient UUID account;

        Deferred(UUID account, RuntimeException cause) {
            super(cause);
            this.account = account;
        }
    }

    private volatile java.util.function.Consumer<UUID> erasedListener = id -> { };

    /**
     * Sets the one listener told of each erased account after its transaction (viewing analytics, whose raw events
     * live behind their own sink, possibly outside this database).
     */
    public void onErased(java.util.function.Consumer<UUID> listener) {
        this.erasedListener = listener;
    }

    private static void erase(Handle h, UUID id, Instant now) {
        for (String table : List.of("sessions", "one_time_tokens", "mfa_totp", "mfa_recovery_codes", "mfa_challenges",
                "passkeys", "passkey_user_handles", "account_roles", "follows", "forum_follows", "forum_reads",
                "notifications", "notification_settings", "notification_counters", "notification_digests",
                "playback_progress", "watchlist_entries", "avatars", "recommend_taste", "recommend_shelves",
                "recommend_accounts", "oidc_identities", "oidc_handoffs")) {
            // NOTE: table names are the constants above, never input
            h.createUpdate("delete from " + table + " where account_id = :id").bind("id", id).execute();
        }
        // an identity provider's sign-in must not reach the erased account: its identities went above, and a link
        // begun from its settings goes too
        h.createUpdate("delete from oidc_requests where link_account = :id").bind("id", id).execute();
        // the audit log keeps what was done to the account, without its address and name (admin.AuditLog)
        h.createUpdate("""
                        update audit_log set before = before - 'email' - 'username' - 'displayName',
                                             after = after - 'email' - 'username' - 'displayName'
                         where target_type = 'account' and target_id = :id""")
                .bind("id", id.toString()).execute();
        // Viewer profiles stay (their ratings are kept, anonymous, like the account's) but lose their names, PINs and
        // avatars; their history, watchlist, settings and recommendations went with the tables above.
        h.createUpdate("""
                        update profiles set name = 'profile ' || left(cast(id as text), 8), maturity = 'adult',
                            pin_hash = null, pin_failures = 0, pin_locked_until = null, avatar_png = null,
                            avatar_etag = null, updated_at = :now
                        where account_id = :id""").bind("now", utc(now)).bind("id", id).execute();
        // follows of this account as a user (others following it) point at nobody now
        h.createUpdate("delete from follows where target_type = 'user' and target_id = :id").bind("id", id).execute();
        String hex = id.toString().replace("-", "");
        h.createUpdate("""
                        update accounts set email = :email, username = :username, password_hash = '!erased',
                            email_verified_at = null, display_name = null, avatar_url = null, bio = null,
                            audio_languages = '{}', subtitle_languages = '{}', show_activity = false,
                            tokens_valid_after = :now, deletion_requested_at = null, deletion_due_at = null,
                            deleted_at = :now, updated_at = :now
                        where id = :id""")
                .bind("email", "deleted-" + id + "@deleted.invalid").bind("username", "deleted-" + hex.substring(0, 12))
                .bind("now", utc(now)).bind("id", id).execute();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
