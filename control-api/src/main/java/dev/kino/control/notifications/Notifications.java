package dev.kino.control.notifications;

import dev.kino.control.InvalidInputException;
import dev.kino.control.auth.AccountStore;
import dev.kino.control.mail.Outbox;
import dev.kino.control.notifications.NotificationStore.Channels;
import dev.kino.control.notifications.NotificationStore.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The notifications feature's API for the others: {@link #notify(UUID, Notice)} one account,
 * {@link #notifyAudience(String, UUID, UUID, Notice)} many (in the background, in batches), and the reads and
 * settings the routes use. A notification is stored first (the truth a client replays from), then announced to the
 * nodes holding the recipient's streams ({@link NotificationHub}).
 */
public final class Notifications {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    /** Recipients written per transaction of a fan-out. */
    static final int FANOUT_BATCH = 1000;
    /** Like counts that notify again once the previous notice was read: 1, 3, 5, 10, 25, 50, 100, ... */
    private static final int[] MILESTONES = {1, 3, 5, 10, 25, 50, 100, 250, 500, 1000};

    private final NotificationStore store;
    private final AccountStore accounts;
    private final Outbox outbox;
    private final DigestMail mail;
    private final NotificationHub hub;
    private final Duration digestInterval;
    private final Clock clock;
    private final Map<String, Audience> audiences = new ConcurrentHashMap<>();

    public Notifications(NotificationStore store, AccountStore accounts, Outbox outbox, DigestMail mail,
                         NotificationHub hub, Duration digestInterval, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.outbox = outbox;
        this.mail = mail;
        this.hub = hub;
        this.digestInterval = digestInterval;
        this.clock = clock;
    }

    /** The accounts a fan-out notifies, from the feature that knows them, in account id order. */
    @FunctionalInterface
    public interface Audience {
        /** @return up to {@code limit} accounts after {@code after} (null: from the first), by account id */
        List<UUID> after(UUID subjectId, UUID after, int limit);
    }

    /**
     * Registers an audience (while wiring): {@code title} (followers and watchlists), {@code thread} (the forum's
     * followers), {@code user} (an account's followers).
     */
    public void audience(String name, Audience audience) {
        audiences.put(name, audience);
    }

    /** @return the followers of a title or user ({@code follows}), for audiences that combine them with others */
    public List<UUID> followers(String targetType, UUID target, UUID after, int limit) {
        return store.followers(targetType, target, after, limit);
    }

    // ---- producing --------------------------------------------------------------------------------------------

    /**
     * Notifies one account, unless it is the actor or turned both channels of the type off. Security notices are
     * mailed at once; others wait for the digest when the account wants them by e-mail. Only confirmed addresses
     * are mailed.
     *
     * @return the notification's id, empty when nothing was stored
     */
    public Optional<Long> notify(UUID recipient, Notice n) {
        if (recipient == null || recipient.equals(n.actorId())) {
            return Optional.empty();
        }
        Channels c = channels(recipient, n.type());
        if (!c.inApp() && !c.email()) {
            return Optional.empty();
        }
        boolean email = c.email() && accounts.emailVerified(recipient); // never mail an address not confirmed
        if (!c.inApp() && !email) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        long id = store.jdbi().inTransaction(h -> {
            boolean mailNow = email && n.type().urgent();
            long stored = store.insert(h, recipient, n, !email ? "none" : mailNow ? "sent" : "pending", c.inApp(),
                    now);
            if (mailNow) {
                accounts.identity(recipient).ifPresent(who -> outbox.enqueue(h, mail.urgent(who, n)));
            }
            return stored;
        });
        if (c.inApp()) {
            hub.published(recipient, id);
        }
        return Optional.of(id);
    }

    /**
     * {@link #notify} for a batch of a fan-out: the same rules (never the actor, the type's channels per account,
     * only confirmed addresses mailed), in a handful of statements for the whole batch instead of a few per account.
     * Urgent notices go one by one through {@link #notify} (they are mailed at once).
     *
     * @return how many accounts got the notice
     */
    int notifyBatch(List<UUID> recipients, Notice n) {
        if (n.type().urgent()) {
            int sent = 0;
            for (UUID r : recipients) {
                sent += notify(r, n).isPresent() ? 1 : 0;
            }
            return sent;
        }
        List<UUID> candidates = recipients.stream().filter(r -> r != null && !r.equals(n.actorId())).distinct().toList();
        Channels byDefault = new Channels(n.type().defaultInApp(), n.type().defaultEmail());
        Map<UUID, Channels> chosen = store.settingsOf(candidates, n.type(), byDefault);
        List<UUID> wantMail = candidates.stream().filter(r -> chosen.getOrDefault(r, byDefault).email()).toList();
        java.util.Set<UUID> verified = accounts.emailVerifiedAmong(wantMail);
        List<UUID> to = new java.util.ArrayList<>();
        java.util.Set<UUID> inApp = new java.util.HashSet<>();
        Map<UUID, String> emailState = new java.util.HashMap<>();
        for (UUID r : candidates) {
            Channels c = chosen.getOrDefault(r, byDefault);
            boolean email = c.email() && verified.contains(r); // never mail an address not confirmed
            if (c.inApp() || email) {
                to.add(r);
                if (c.inApp()) {
                    inApp.add(r);
                }
                emailState.put(r, email ? "pending" : "none");
            }
        }
        Instant now = clock.instant();
        Map<UUID, Long> ids = store.jdbi().inTransaction(h -> store.insertMany(h, to, n, emailState, inApp, now));
        for (UUID r : inApp) {
            hub.published(r, ids.get(r));
        }
        return to.size();
    }

    private volatile Runnable fanoutQueued;

    /**
     * Sets what to run when this node queues a fan-out (while wiring): the node's background round, so followers hear
     * of it within milliseconds instead of at the next round. Must not block; other nodes find the work at their rounds.
     */
    public void onFanoutQueued(Runnable kick) {
        this.fanoutQueued = kick;
    }

    /**
     * Notifies everyone in an audience but {@code excludeId}, in the background (this call only records the work).
     *
     * @throws IllegalArgumentException for an audience nobody registered
     */
    public void notifyAudience(String audience, UUID subjectId, UUID excludeId, Notice n) {
        if (!audiences.containsKey(audience)) {
            throw new IllegalArgumentException("no audience " + audience);
        }
        store.insertFanout(audience, subjectId, excludeId, n, clock.instant());
        Runnable kick = fanoutQueued;
        if (kick != null) {
            kick.run(); // this node starts on it now rather than at its next round
        }
    }

    /**
     * A like on someone's comment or post: one notice per object that folds while unread ("12 people liked your
     * comment"); once read, the next one comes at a milestone count.
     *
     * @param likes the object's likes after this one
     */
    public void liked(UUID author, UUID voter, String objectType, UUID objectId, int likes, String what, String link) {
        if (author == null || author.equals(voter)) {
            return;
        }
        String group = "likes:" + objectType + ":" + objectId;
        if (!isMilestone(likes) && !store.hasUnread(author, group)) {
            return;
        }
        likeNotice(author, objectType, objectId, likes, what, link);
    }

    private void likeNotice(UUID author, String objectType, UUID objectId, int likes, String what, String link) {
        String group = "likes:" + objectType + ":" + objectId;
        String text = likes == 1 ? "Someone liked your " + what : likes + " people liked your " + what;
        notify(author, new Notice(NotificationType.REACTIONS, null, objectType, objectId, group, text, link,
                Map.of("likes", likes)));
    }

    /**
     * A like that was added, for {@link #likedAll}.
     *
     * @param voter who liked
     * @param likes the object's likes right after it
     */
    public record Like(UUID voter, int likes) {
    }

    /**
     * {@link #liked} for likes of one object written together, in order, with the notice they leave one by one: a
     * milestone reached on the way leaves an unread notice that each later like of the batch replaces (a group has
     * one unread notice), so the batch ends with one notice showing the last count. It is written once (one notice,
     * one push) rather than once per milestone. It runs after the likes are answered ({@link
     * dev.kino.control.reactions.Reactions.AfterCommit}), in the order their batches committed.
     */
    public void likedAll(UUID author, String objectType, UUID objectId, List<Like> likes, String what, String link) {
        List<Like> others = likes.stream().filter(l -> author != null && !author.equals(l.voter())).toList();
        if (others.isEmpty()) {
            return;
        }
        Like last = others.get(others.size() - 1);
        if (others.stream().anyMatch(l -> isMilestone(l.likes()))) {
            likeNotice(author, objectType, objectId, last.likes(), what, link);
        } else {
            liked(author, last.voter(), objectType, objectId, last.likes(), what, link);
        }
    }

    static boolean isMilestone(int likes) {
        for (int m : MILESTONES) {
            if (m == likes) {
                return true;
            }
        }
        return likes > 1000 && likes % 1000 == 0;
    }

    // ---- background -------------------------------------------------------------------------------------------

    /**
     * One background round (any node; rows are claimed with {@code skip locked}): one batch of the oldest fan-out,
     * then the digests that are due.
     *
     * @return recipients notified plus digests queued
     */
    public int backgroundRound() {
        return fanOutBatch() + sendDigests();
    }

    int fanOutBatch() {
        record Batch(List<UUID> recipients, Notice notice) {
        }
        Batch batch = store.jdbi().inTransaction(h -> {
            Optional<NotificationStore.Fanout> claimed = store.claimFanout(h);
            if (claimed.isEmpty()) {
                return null;
            }
            NotificationStore.Fanout f = claimed.get();
            Audience audience = audiences.get(f.audience());
            Instant now = clock.instant();
            if (audience == null) {
                LOG.warn("dropping fan-out {}: no audience {}", f.id(), f.audience());
                store.advanceFanout(h, f.id(), f.cursor(), now);
                return null;
            }
            List<UUID> recipients = audience.after(f.subjectId(), f.cursor(), FANOUT_BATCH);
            store.advanceFanout(h, f.id(), recipients.isEmpty() ? f.cursor() : recipients.get(recipients.size() - 1),
                    recipients.size() < FANOUT_BATCH ? now : null);
            return new Batch(recipients.stream().filter(r -> !r.equals(f.excludeId())).toList(), f.notice());
        });
        if (batch == null) {
            return 0;
        }
        return notifyBatch(batch.recipients(), batch.notice());
    }

    int sendDigests() {
        Instant now = clock.instant();
        int sent = 0;
        for (UUID account : store.digestsDue(now.minus(digestInterval), 100)) {
            Optional<AccountStore.Identity> who = accounts.identity(account);
            boolean queued = store.jdbi().inTransaction(h -> {
                List<Row> rows = store.takePending(h, account, now);
                if (rows.isEmpty() || who.isEmpty()) {
                    return false;
                }
                outbox.enqueue(h, mail.digest(who.get(), rows));
                return true;
            });
            sent += queued ? 1 : 0;
        }
        return sent;
    }

    // ---- reading and settings ---------------------------------------------------------------------------------

    /** @return up to {@code limit} of the account's notifications below {@code beforeId}, newest first */
    public List<Row> list(UUID account, boolean unreadOnly, Long beforeId, int limit) {
        return store.list(account, unreadOnly, beforeId, limit);
    }

    /** @return how many of the given ids were unread and are now read */
    public int markRead(UUID account, List<Long> ids) {
        return store.markRead(account, ids, clock.instant());
    }

    public int markAllRead(UUID account) {
        return store.markAllRead(account, clock.instant());
    }

    public int unreadCount(UUID account) {
        return store.unreadCount(account);
    }

    /**
     * @param profile a viewer profile (settings are per profile; an account gets a notification on a channel when
     *                any of its profiles wants it there)
     * @return every type's channels for the profile: its choice, else the default
     */
    public Map<NotificationType, Channels> settings(UUID profile) {
        Map<NotificationType, Channels> chosen = store.settings(profile);
        Map<NotificationType, Channels> out = new EnumMap<>(NotificationType.class);
        for (NotificationType t : NotificationType.values()) {
            out.put(t, t.urgent() ? new Channels(true, true)
                    : chosen.getOrDefault(t, new Channels(t.defaultInApp(), t.defaultEmail())));
        }
        return out;
    }

    /**
     * @param profile the viewer profile whose settings change
     * @throws InvalidInputException when turning off a channel of a type that cannot be (security)
     */
    public void putSettings(UUID profile, Map<NotificationType, Channels> settings) {
        for (var e : settings.entrySet()) {
            if (e.getKey().urgent() && !(e.getValue().inApp() && e.getValue().email())) {
                throw InvalidInputException.of("settings", e.getKey().wire() + " notifications cannot be turned off");
            }
        }
        store.putSettings(profile, settings);
    }

    /**
     * Turns e-mail off for some types (the unsubscribe link) in every profile of the account (the mail went to the
     * account's address): their other channel stays as it was.
     *
     * @return the types turned off (urgent types are left on)
     */
    public List<NotificationType> unsubscribe(UUID account, List<NotificationType> types) {
        java.util.Set<NotificationType> off = java.util.EnumSet.noneOf(NotificationType.class);
        for (UUID profile : store.profilesOf(account)) {
            Map<NotificationType, Channels> now = settings(profile);
            Map<NotificationType, Channels> changed = new EnumMap<>(NotificationType.class);
            for (NotificationType t : types) {
                if (!t.urgent()) {
                    changed.put(t, new Channels(now.get(t).inApp(), false));
                }
            }
            store.putSettings(profile, changed);
            off.addAll(changed.keySet());
        }
        return List.copyOf(off);
    }

    Channels channels(UUID account, NotificationType type) {
        if (type.urgent()) {
            return new Channels(true, true);
        }
        Channels byDefault = new Channels(type.defaultInApp(), type.defaultEmail());
        return store.settingsOf(List.of(account), type, byDefault).getOrDefault(account, byDefault);
    }

    // ---- follows ----------------------------------------------------------------------------------------------

    /** @param targetType {@code title} or {@code user} */
    public void follow(UUID account, String targetType, UUID target, boolean on) {
        store.follow(account, targetType, target, on, clock.instant());
    }

    public boolean follows(UUID account, String targetType, UUID target) {
        return store.follows(account, targetType, target);
    }
}
