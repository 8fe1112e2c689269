package dev.kino.control.reactions;

import dev.kino.control.ActionLimits;
import dev.kino.control.reactions.ReactionTypes.Change;
import dev.kino.control.reactions.ReactionTypes.ReactionSummary;
import dev.kino.control.reactions.ReactionTypes.Target;
import dev.kino.control.reactions.ReactionTypes.Value;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code reactions} and {@code reaction_counts}. A change and the counts it moves are one transaction: the
 * account's row is inserted, or locked and updated, and the counts row is adjusted by the difference, so counts stay
 * exact under any number of concurrent voters (each vote waits only for the counts row of its own object).
 * Whether the object exists and the caller may see it is for the feature that owns the object to check first.
 */
public final class Reactions {
    /** Reactions per account: a bot's flood is refused, a person's clicking is not. */
    public static final ActionLimits.Limit LIMIT = new ActionLimits.Limit("reactions", 120, Duration.ofMinutes(10));

    private final Jdbi jdbi;
    private final Clock clock;
    private final ActionLimits limits;

    public Reactions(Jdbi jdbi, Clock clock, ActionLimits limits) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * Sets the account's reaction to an object (idempotent: the same value again changes nothing).
     *
     * @throws dev.kino.control.RateLimitedException over {@link #LIMIT}
     */
    public Change react(Target target, UUID targetId, UUID accountId, Value value) {
        return react(target, targetId, accountId, value, (h, c) -> { });
    }

    /**
     * What the feature owning an object does in the same transaction as a change of its reactions (while the
     * object's counts row is locked, so concurrent changes apply in order): keep its own score column in step.
     */
    @FunctionalInterface
    public interface InTransaction {
        void apply(Handle h, Change change);
    }

    /**
     * {@link #react(Target, UUID, UUID, Value)}, then {@code then} in the same transaction.
     *
     * @throws dev.kino.control.RateLimitedException over {@link #LIMIT}
     */
    public Change react(Target target, UUID targetId, UUID accountId, Value value, InTransaction then) {
        limits.hit(LIMIT, accountId);
        return jdbi.inTransaction(h -> {
            Timestamp now = Timestamp.from(clock.instant());
            int inserted = h.createUpdate("""
                            insert into reactions (target_type, target_id, account_id, value, created_at, updated_at)
                            values (:t, :id, :a, :v, :now, :now) on conflict do nothing""")
                    .bind("t", target.wire()).bind("id", targetId).bind("a", accountId).bind("v", value.sign)
                    .bind("now", now).execute();
            Value before = null;
            if (inserted == 0) {
                int old = h.createQuery("select value from reactions where target_type = :t and target_id = :id"
                                + " and account_id = :a for update")
                        .bind("t", target.wire()).bind("id", targetId).bind("a", accountId).mapTo(Integer.class).one();
                before = Value.of(old);
                if (before != value) {
                    h.createUpdate("update reactions set value = :v, updated_at = :now where target_type = :t"
                                    + " and target_id = :id and account_id = :a")
                            .bind("t", target.wire()).bind("id", targetId).bind("a", accountId).bind("v", value.sign)
                            .bind("now", now).execute();
                }
            }
            Change change = new Change(before, value, adjust(h, target, targetId, before, value));
            then.apply(h, change);
            return change;
        });
    }

    /** Removes the account's reaction to an object, if any (idempotent). */
    public Change remove(Target target, UUID targetId, UUID accountId) {
        return remove(target, targetId, accountId, (h, c) -> { });
    }

    /** {@link #remove(Target, UUID, UUID)}, then {@code then} in the same transaction. */
    public Change remove(Target target, UUID targetId, UUID accountId, InTransaction then) {
        return jdbi.inTransaction(h -> {
            Optional<Integer> old = h.createQuery("delete from reactions where target_type = :t and target_id = :id"
                            + " and account_id = :a returning value")
                    .bind("t", target.wire()).bind("id", targetId).bind("a", accountId).mapTo(Integer.class).findOne();
            Value before = old.map(Value::of).orElse(null);
            Change change = new Change(before, null, adjust(h, target, targetId, before, null));
            then.apply(h, change);
            return change;
        });
    }

    /**
     * @param viewer the caller, null for a guest
     * @return the counts of one object and the caller's reaction
     */
    public ReactionSummary summary(Target target, UUID targetId, UUID viewer) {
        return summaries(target, List.of(targetId), viewer).getOrDefault(targetId, ReactionSummary.NONE);
    }

    /**
     * @param viewer the caller, null for a guest
     * @return counts and the caller's reaction by object id; objects nobody reacted to are absent
     */
    public Map<UUID, ReactionSummary> summaries(Target target, List<UUID> targetIds, UUID viewer) {
        if (targetIds.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<UUID, Value> mine = new HashMap<>();
            if (viewer != null) {
                h.createQuery("select target_id, value from reactions where target_type = :t and account_id = :a"
                                + " and target_id = any(:ids)")
                        .bind("t", target.wire()).bind("a", viewer).bindArray("ids", UUID.class, targetIds.toArray())
                        .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), Value.of(rs.getInt(2))))
                        .forEach(e -> mine.put(e.getKey(), e.getValue()));
            }
            Map<UUID, ReactionSummary> out = new HashMap<>();
            h.createQuery("select target_id, likes, dislikes from reaction_counts where target_type = :t"
                            + " and target_id = any(:ids)")
                    .bind("t", target.wire()).bindArray("ids", UUID.class, targetIds.toArray())
                    .map((rs, ctx) -> new Object[]{rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3)})
                    .forEach(r -> out.put((UUID) r[0], new ReactionSummary((int) r[1], (int) r[2], mine.get((UUID) r[0]))));
            mine.forEach((id, v) -> out.putIfAbsent(id, new ReactionSummary(0, 0, v)));
            return out;
        });
    }

    /**
     * @return how many likes the objects of an account's making received from others (reputation reads it)
     */
    public int likesOn(Target target, List<UUID> targetIds) {
        if (targetIds.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createQuery("select coalesce(sum(likes), 0) from reaction_counts"
                        + " where target_type = :t and target_id = any(:ids)")
                .bind("t", target.wire()).bindArray("ids", UUID.class, targetIds.toArray()).mapTo(Integer.class).one());
    }

    /**
     * A like or dislike, as the recommendations job reads them.
     *
     * @param accountId who reacted
     * @param targetId the object
     * @param value +1 like, -1 dislike
     * @param at when it was last set
     */
    public record ReactionSignal(UUID accountId, UUID targetId, int value, java.time.Instant at) {
    }

    /**
     * Every reaction to objects of one kind, a page at a time in (object, account) order.
     *
     * @param afterTarget with {@code afterAccount}, the last row of the previous page, or null to start
     * @param afterAccount the last row's account, or null to start
     * @param limit most rows returned
     */
    public List<ReactionSignal> reactionSignals(Target target, UUID afterTarget, UUID afterAccount, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select account_id, target_id, value, updated_at from reactions
                         where target_type = :type
                           and (cast(:t as uuid) is null or (target_id, account_id) > (cast(:t as uuid), cast(:a as uuid)))
                         order by target_id, account_id limit :n""")
                .bind("type", target.wire()).bind("t", afterTarget).bind("a", afterAccount).bind("n", limit)
                .map((rs, ctx) -> new ReactionSignal(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getInt(3), rs.getTimestamp(4).toInstant()))
                .list());
    }

    /** Removes every reaction to an object (it was deleted). */
    public void forget(Handle h, Target target, UUID targetId) {
        h.createUpdate("delete from reactions where target_type = :t and target_id = :id")
                .bind("t", target.wire()).bind("id", targetId).execute();
        h.createUpdate("delete from reaction_counts where target_type = :t and target_id = :id")
                .bind("t", target.wire()).bind("id", targetId).execute();
    }

    private static ReactionSummary adjust(Handle h, Target target, UUID targetId, Value before, Value after) {
        int likes = (after == Value.like ? 1 : 0) - (before == Value.like ? 1 : 0);
        int dislikes = (after == Value.dislike ? 1 : 0) - (before == Value.dislike ? 1 : 0);
        List<Integer> counts = new ArrayList<>(h.createQuery("""
                        insert into reaction_counts (target_type, target_id, likes, dislikes)
                        values (:t, :id, greatest(:l, 0), greatest(:d, 0))
                        on conflict (target_type, target_id) do update
                           set likes = reaction_counts.likes + :l, dislikes = reaction_counts.dislikes + :d
                        returning likes, dislikes""")
                .bind("t", target.wire()).bind("id", targetId).bind("l", likes).bind("d", dislikes)
                .map((rs, ctx) -> List.of(rs.getInt(1), rs.getInt(2))).one());
        return new ReactionSummary(counts.get(0), counts.get(1), after);
    }

    /**
     * One of an account's reactions, for its data export.
     *
     * @param targetType {@code title}, {@code media}, {@code comment} or {@code post}
     * @param targetId what it reacted to
     * @param value 1 (like) or -1 (dislike)
     * @param at when it was last set
     */
    public record OwnReaction(String targetType, UUID targetId, int value, java.time.Instant at) {
    }

    /** @return the account's reactions, latest first, at most {@code limit} (the account's data export) */
    public List<OwnReaction> byAccount(UUID account, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select target_type, target_id, value, updated_at from reactions"
                        + " where account_id = :a order by updated_at desc limit :n").bind("a", account).bind("n", limit)
                .map((rs, ctx) -> new OwnReaction(rs.getString(1), rs.getObject(2, UUID.class), rs.getInt(3),
                        rs.getTimestamp(4).toInstant()))
                .list());
    }
}
