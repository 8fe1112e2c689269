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
 *       recommendations computed for the account.</li>
 *   <li>Kept: invoices and the billing customer (bookkeeping law keeps invoices for years; they hold no e-mail
 *       address or name of ours), ratings and reactions (anonymous now), the comments and posts themselves.</li>
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
     */
    public record DeletionRequest(String currentPassword, String code) {
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
        if (!hasCode && !hasPassword) {
            throw dev.kino.control.InvalidInputException.of("currentPassword",
                    "your current password (or a code of your second factor) is required");
        }
        try {
            proof.prove(id, req.code(), req.currentPassword());
        } catch (dev.kino.control.InvalidInputException e) {
            throw dev.kino.control.InvalidInputException.of(hasCode ? "code" : "currentPassword", "is wrong");
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
        for (int i = 0; i < BATCH; i++) {
            Optional<UUID> done = jdbi.inTransaction(h -> {
                Optional<UUID> next = h.createQuery("""
                                select id from accounts where deletion_due_at <= :now and deleted_at is null
                                order by deletion_due_at limit 1 for update skip locked""")
                        .bind("now", utc(now)).mapTo(UUID.class).findOne();
                next.ifPresent(id -> erase(h, id, now));
                return next;
            });
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
                "recommend_accounts")) {
            // NOTE: table names are the constants above, never input
            h.createUpdate("delete from " + table + " where account_id = :id").bind("id", id).execute();
        }
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
