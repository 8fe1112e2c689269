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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Owns {@code reactions} and {@code reaction_counts}. Changes are written by <em>group commit</em>: a request queues
 * its change ({@link #reactLater}: nothing waits; {@link #react} waits for it) and, unless one is already at work, a
 * writer thread starts draining the queue of the object's writer: it takes every change queued and writes them, object
 * by object, one transaction per object: the voters' rows are locked (in account order) with one statement, then
 * inserted, updated or deleted and the counts row adjusted once by the summed difference with one more (two round
 * trips whatever the batch's size), and the owning feature's part
 * ({@link InTransaction}: score, reputation) runs once with every change. Changes queued meanwhile form the next
 * batch. Each request then gets its own {@link Change} (the counts right after it, as if the changes had been made
 * one by one in queue order), only after the transaction committed: no acknowledged change is lost, and counts stay
 * exact under any number of concurrent voters on any number of nodes (the counts row is locked while adjusted).
 * The feature's work after the commit ({@link AfterCommit}: notifications) runs after the batch's requests are
 * answered, off their path: on the writer thread, before it takes the next batch (so an object's notices are written
 * in the order its batches committed, and the work does not compete with the next batch for the machine's cores:
 * in interleaved runs on two cores, running it on a pool beside the next batch answered a burst of likes no sooner,
 * running it here did, {@code control-api/BENCHMARK.md}); its failures are logged.
 *
 * <p>Why: 100 voters on one comment at the same instant spent their time in per-vote statements and commits, each a
 * round trip between the API and PostgreSQL on a two-core machine ({@code control-api/BENCHMARK.md}); written
 * together they share a handful of statements and one commit; answered from the future, a queued vote holds no
 * request thread, so a burst of votes queues whole and is written in one or two batches.
 *
 * <p>Whether the object exists and the caller may see it is for the feature that owns the object: either checked
 * before the change is queued ({@link #reactLater}), or decided in the writing transaction for every change of the
 * batch, each for its own voter, by the feature's {@link Admission} ({@link #changeLater}: comments), which reads what
 * is common to the batch once instead of once per vote.
 */
public final class Reactions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Reactions.class);
    /** Reactions per account: a bot's flood is refused, a person's clicking is not. */
    public static final ActionLimits.Limit LIMIT = new ActionLimits.Limit("reactions", 120, Duration.ofMinutes(10));
    /**
     * Writers per node; an object always goes to the same one ({@code targetId.hashCode()}), so changes of one object
     * are written together while other objects' are written in parallel.
     */
    static final int WRITERS = 8;
    /** Most changes one transaction writes (bounds its statements' arrays and the time it holds the counts row). */
    static final int MAX_BATCH = 500;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ActionLimits limits;
    private final Writer[] writers = new Writer[WRITERS];
    /**
     * Runs the drainers: at most one per writer at a time, so at most {@link #WRITERS} threads (daemon threads:
     * they end when idle, and never keep the process alive).
     */
    private final java.util.concurrent.ExecutorService drainers = new java.util.concurrent.ThreadPoolExecutor(0,
            Integer.MAX_VALUE, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "kino-reactions-writer");
                t.setDaemon(true);
                return t;
            });

    public Reactions(Jdbi jdbi, Clock clock, ActionLimits limits) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.limits = limits;
        for (int i = 0; i < WRITERS; i++) {
            writers[i] = new Writer();
        }
    }

    /**
     * Sets the account's reaction to an object (idempotent: the same value again changes nothing).
     *
     * @throws dev.kino.control.RateLimitedException over {@link #LIMIT}
     */
    public Change react(Target target, UUID targetId, UUID accountId, Value value) {
        return react(target, targetId, accountId, value, InTransaction.NONE, AfterCommit.NONE);
    }

    /**
     * What the feature owning an object does in the transaction that writes changes of its reactions, while the
     * object's counts row is locked (so writes of the same object apply in order): keep its own score column in
     * step, grant reputation. Called once per object and transaction.
     */
    @FunctionalInterface
    public interface InTransaction {
        InTransaction NONE = (h, changes) -> { };

        /**
         * @param changes the changes written, in the order they were applied; the last one's summary has the
         *                object's counts as committed
         */
        void apply(Handle h, List<Change> changes);
    }

    /** What the feature owning an object does once changes of its reactions are committed (notifications). */
    @FunctionalInterface
    public interface AfterCommit {
        AfterCommit NONE = changes -> { };

        /**
         * Called after the changes' requests are answered, on the writer thread (the object's next batch is
         * written after it returns), in the order the batches of the object committed; a failure is logged (the
         * changes stay committed and acknowledged).
         *
         * @param changes the changes committed together, in order
         */
        void run(List<Change> changes);
    }

    /**
     * Who a queued change is for: the account, and the profile its token acts as (null: the primary profile).
     */
    public record Voter(UUID accountId, UUID profileId) {
    }

    /**
     * Decides, in the transaction that writes the queued changes of one object and before anything is written,
     * which of them may be written: each change is judged for its own voter (whether that voter may see the object
     * and react to it, from what is stored now), while what is the same for all of them (the object, its place's
     * visibility) is read once per transaction instead of once per vote. The owning feature's parts come with the
     * decision, so they can use what it read.
     */
    @FunctionalInterface
    public interface Admission {
        /**
         * @param voters each queued change's voter, in queue order (an account may appear more than once)
         * @return the refusal of each change (same order and size; null for admitted) and the parts to run with the
         *         admitted ones
         */
        Admitted admit(Handle h, List<Voter> voters);
    }

    /**
     * An {@link Admission}'s decision.
     *
     * @param refusals per change, in queue order: null to write it, or the exception its request is answered with
     * @param then run in the transaction with the admitted changes (none: not run)
     * @param after run after the commit with the admitted changes (none: not run)
     */
    public record Admitted(List<RuntimeException> refusals, InTransaction then, AfterCommit after) {
    }

    /**
     * Queues a change whose admission is decided when its batch is written ({@link Admission}); the future
     * completes with its {@link Change} once committed, or with the admission's refusal (nothing written for it).
     * The rate limit is taken now, per account, before the change is queued.
     *
     * @param value null removes the voter's reaction
     * @throws dev.kino.control.RateLimitedException over {@link #LIMIT} (at once, nothing queued)
     */
    public CompletableFuture<Change> changeLater(Target target, UUID targetId, Voter voter, Value value,
                                                 Admission admission) {
        if (value != null) {
            limits.hit(LIMIT, voter.accountId());
        }
        return submit(new Pending(target, targetId, voter, value, admission, new CompletableFuture<>()));
    }

    /**
     * {@link #react(Target, UUID, UUID, Value)}, with the owning feature's parts. The requests of one object written
     * together run {@code then} and {@code after} of one of them (they must not depend on which request's they are).
     *
     * @throws dev.kino.control.RateLimitedException over {@link #LIMIT}
     */
    public Change react(Target target, UUID targetId, UUID accountId, Value value, InTransaction then, AfterCommit after) {
        return join(reactLater(target, targetId, accountId, value, then, after));
    }

    /**
     * {@link #react(Target, UUID, UUID, Value, InTransaction, AfterCommit)} without waiting: the change is queued
     * and the returned future completes once it is committed (with its {@link Change}) or failed, on a writer
     * thread. A route answers from it ({@link dev.kino.control.http.Response#later}) so that no thread waits while
     * the vote waits for its batch, and votes arriving together are written in one transaction.
     *
     * @throws dev.kino.control.RateLimitedException over {@link #LIMIT} (at once, nothing queued)
     */
    public CompletableFuture<Change> reactLater(Target target, UUID targetId, UUID accountId, Value value,
                                                InTransaction then, AfterCommit after) {
        limits.hit(LIMIT, accountId);
        return submit(new Pending(target, targetId, accountId, value, then, after));
    }

    /** Removes the account's reaction to an object, if any (idempotent). */
    public Change remove(Target target, UUID targetId, UUID accountId) {
        return remove(target, targetId, accountId, InTransaction.NONE, AfterCommit.NONE);
    }

    /** {@link #remove(Target, UUID, UUID)}, with the owning feature's parts (as for {@code react}). */
    public Change remove(Target target, UUID targetId, UUID accountId, InTransaction then, AfterCommit after) {
        return join(removeLater(target, targetId, accountId, then, after));
    }

    /** {@link #remove(Target, UUID, UUID, InTransaction, AfterCommit)} without waiting (as {@link #reactLater}). */
    public CompletableFuture<Change> removeLater(Target target, UUID targetId, UUID accountId, InTransaction then,
                                                 AfterCommit after) {
        return submit(new Pending(target, targetId, accountId, null, then, after));
    }

    /** A change waiting to be written; {@code value} null removes. */
    private record Pending(Target target, UUID targetId, Voter voter, Value value, Admission admission,
                           CompletableFuture<Change> done) {
        /** A change admitted already (its feature checked it before queueing), with that feature's parts. */
        Pending(Target target, UUID targetId, UUID accountId, Value value, InTransaction then, AfterCommit after) {
            this(target, targetId, new Voter(accountId, null), value,
                    (h, voters) -> new Admitted(java.util.Collections.nCopies(voters.size(), null), then, after),
                    new CompletableFuture<>());
        }

        UUID accountId() {
            return voter.accountId();
        }
    }

    /** One writer: its queue, and whether a writer thread is draining it. */
    private static final class Writer {
        final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean draining = new AtomicBoolean();
    }

    /**
     * Queues a change; unless a writer thread is already draining its writer's queue, starts one. A drainer takes
     * everything queued (up to {@link #MAX_BATCH}), writes it, and goes on while more is queued, so changes that
     * arrive while a batch is written form the next batch.
     */
    private CompletableFuture<Change> submit(Pending p) {
        Writer w = writers[Math.floorMod(p.targetId().hashCode(), WRITERS)];
        w.queue.add(p);
        startDraining(w);
        return p.done();
    }

    private void startDraining(Writer w) {
        if (w.draining.compareAndSet(false, true)) {
            drainers.execute(() -> drain(w));
        }
    }

    private void drain(Writer w) {
        do {
            try {
                for (List<Pending> batch = take(w); !batch.isEmpty(); batch = take(w)) {
                    try {
                        writeBatch(batch);
                    } catch (RuntimeException e) {
                        batch.forEach(q -> q.done().completeExceptionally(e));
                    } finally {
                        IllegalStateException unanswered = new IllegalStateException("a reaction change was not written");
                        batch.forEach(q -> q.done().completeExceptionally(unanswered)); // no-op for answered ones
                    }
                }
            } finally {
                w.draining.set(false);
            }
            // a change queued between the last take and clearing the flag found it set and started no drainer
        } while (!w.queue.isEmpty() && w.draining.compareAndSet(false, true));
    }

    private static List<Pending> take(Writer w) {
        List<Pending> batch = new ArrayList<>();
        for (Pending q = w.queue.poll(); q != null; q = batch.size() < MAX_BATCH ? w.queue.poll() : null) {
            batch.add(q);
        }
        return batch;
    }

    private static Change join(CompletableFuture<Change> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Writes queued changes, one transaction per object; a failed transaction is retried change by change. */
    private void writeBatch(List<Pending> batch) {
        Map<List<Object>, List<Pending>> byObject = new LinkedHashMap<>();
        for (Pending p : batch) {
            byObject.computeIfAbsent(List.of(p.target(), p.targetId()), k -> new ArrayList<>()).add(p);
        }
        for (List<Pending> group : byObject.values()) {
            try {
                writeObject(group);
            } catch (RuntimeException e) {
                if (group.size() == 1) {
                    group.get(0).done().completeExceptionally(e);
                    continue;
                }
                // one change's failure must not fail the others written with it
                for (Pending p : group) {
                    try {
                        writeObject(List.of(p));
                    } catch (RuntimeException one) {
                        p.done().completeExceptionally(one);
                    }
                }
            }
        }
    }

    /** What one object's transaction decided and wrote. */
    private record Written(List<Pending> admitted, List<Change> changes, Admitted decision) {
    }

    /**
     * Writes changes of one object in one transaction (those its admission lets through), answers them, then runs
     * the after-commit work.
     */
    private void writeObject(List<Pending> group) {
        Pending first = group.get(0);
        Written w;
        for (int attempt = 1; ; attempt++) {
            try {
                w = jdbi.inTransaction(h -> {
                    // the first change's admission decides for the group: the feature's rules, the same for each
                    Admitted decision = first.admission().admit(h, group.stream().map(Pending::voter).toList());
                    List<Pending> admitted = new ArrayList<>(group.size());
                    for (int i = 0; i < group.size(); i++) {
                        if (decision.refusals().get(i) == null) {
                            admitted.add(group.get(i));
                        }
                    }
                    return new Written(admitted, admitted.isEmpty() ? List.of()
                            : writeObject(h, admitted, decision.then()), decision);
                });
                break;
            } catch (ConcurrentlyInserted e) {
                // another node inserted a row of one of these accounts between our read and our insert: the
                // transaction is rolled back and done again (the row is there and locked this time)
                if (attempt == 3) {
                    throw new IllegalStateException("reactions of " + first.targetId() + " kept changing", e);
                }
            }
        }
        // answered as soon as committed: what follows (notifications) is not part of the vote
        for (int i = 0; i < w.admitted().size(); i++) {
            w.admitted().get(i).done().complete(w.changes().get(i));
        }
        for (int i = 0; i < group.size(); i++) {
            RuntimeException refused = w.decision().refusals().get(i);
            if (refused != null) {
                group.get(i).done().completeExceptionally(refused);
            }
        }
        if (!w.changes().isEmpty()) {
            try {
                w.decision().after().run(w.changes());
            } catch (RuntimeException e) {
                // committed and answered: a failed notification must not lose the votes (nor have them retried),
                // nor go unnoticed
                LOG.warn("after reactions of {} {} were written: {}", first.target().wire(), first.targetId(),
                        e.toString(), e);
            }
        }
    }

    /** Thrown inside the transaction when an insert met a row that was not there when read. */
    private static final class ConcurrentlyInserted extends RuntimeException {
        ConcurrentlyInserted() {
            super(null, null, false, false);
        }
    }

    private List<Change> writeObject(Handle h, List<Pending> group, InTransaction then) {
        Pending first = group.get(0);
        String type = first.target().wire();
        UUID id = first.targetId();
        Timestamp now = Timestamp.from(clock.instant());
        // every voter's row, locked in account order (the order every writer locks them in: no deadlock)
        UUID[] accounts = group.stream().map(Pending::accountId).distinct().sorted().toArray(UUID[]::new);
        Map<UUID, Value> stored = new HashMap<>();
        h.createQuery("select account_id, value from reactions where target_type = :t and target_id = :id"
                        + " and account_id = any(:a) order by account_id for update")
                .bind("t", type).bind("id", id).bindArray("a", UUID.class, (Object[]) accounts)
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), Value.of(rs.getInt(2))))
                .forEach(e -> stored.put(e.getKey(), e.getValue()));
        // the changes one by one in queue order, in memory; then each row's end state
        Map<UUID, Value> state = new HashMap<>(stored);
        Set<UUID> removedOnce = new HashSet<>();
        Set<UUID> changed = new HashSet<>();
        List<Value[]> steps = new ArrayList<>();
        int likes = 0;
        int dislikes = 0;
        for (Pending p : group) {
            Value before = state.get(p.accountId());
            Value after = p.value();
            steps.add(new Value[]{before, after});
            if (before != after) {
                changed.add(p.accountId());
                if (after == null) {
                    removedOnce.add(p.accountId());
                }
            }
            state.put(p.accountId(), after);
            likes += (after == Value.like ? 1 : 0) - (before == Value.like ? 1 : 0);
            dislikes += (after == Value.dislike ? 1 : 0) - (before == Value.dislike ? 1 : 0);
        }
        // each voter's row to its end state: deleted, inserted, updated, or created again (removed and set again
        // within the batch: one by one that is a new row created now; here the row's value and both times set)
        List<UUID> delete = new ArrayList<>();
        List<UUID> insert = new ArrayList<>();
        List<UUID> update = new ArrayList<>();
        List<Boolean> recreated = new ArrayList<>();
        for (UUID a : accounts) {
            Value end = state.get(a);
            boolean existed = stored.containsKey(a);
            if (end == null) {
                if (existed && removedOnce.contains(a)) {
                    delete.add(a);
                }
            } else if (!existed) {
                insert.add(a);
            } else if (removedOnce.contains(a) || changed.contains(a)) {
                update.add(a);
                recreated.add(removedOnce.contains(a));
            }
        }
        // the rows and the counts (once, by the summed difference) in one statement: one round trip. Its parts see
        // the same snapshot, which is why no row is both deleted and inserted here; the rows were locked above.
        int[] counts = h.createQuery("""
                        with deleted as (
                            delete from reactions where target_type = :t and target_id = :id and account_id = any(:da)),
                        inserted as (
                            insert into reactions (target_type, target_id, account_id, value, created_at, updated_at)
                            select :t, :id, x.a, cast(x.v as smallint), :now, :now from unnest(:ia, :iv) as x(a, v)
                            on conflict do nothing
                            returning 1),
                        updated as (
                            update reactions r set value = cast(x.v as smallint), updated_at = :now,
                                   created_at = case when x.r then :now else r.created_at end
                              from unnest(:ua, :uv, :ur) as x(a, v, r)
                             where r.target_type = :t and r.target_id = :id and r.account_id = x.a),
                        counted as (
                            insert into reaction_counts (target_type, target_id, likes, dislikes)
                            values (:t, :id, greatest(:l, 0), greatest(:d, 0))
                            on conflict (target_type, target_id) do update
                               set likes = reaction_counts.likes + :l, dislikes = reaction_counts.dislikes + :d
                            returning likes, dislikes)
                        select likes, dislikes, (select count(*) from inserted) from counted""")
                .bind("t", type).bind("id", id).bind("now", now).bind("l", likes).bind("d", dislikes)
                .bindArray("da", UUID.class, delete.toArray())
                .bindArray("ia", UUID.class, insert.toArray())
                .bindArray("iv", Integer.class, insert.stream().map(a -> state.get(a).sign).toArray())
                .bindArray("ua", UUID.class, update.toArray())
                .bindArray("uv", Integer.class, update.stream().map(a -> state.get(a).sign).toArray())
                .bindArray("ur", Boolean.class, recreated.toArray())
                .map((rs, ctx) -> new int[]{rs.getInt(1), rs.getInt(2), rs.getInt(3)}).one();
        if (counts[2] != insert.size()) {
            // another node inserted a row of one of these accounts after our read: the transaction (counts too) is
            // rolled back and done again, the row then read and locked
            throw new ConcurrentlyInserted();
        }
        int l = counts[0] - likes;
        int d = counts[1] - dislikes;
        List<Change> changes = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            Value before = steps.get(i)[0];
            Value after = steps.get(i)[1];
            l += (after == Value.like ? 1 : 0) - (before == Value.like ? 1 : 0);
            d += (after == Value.dislike ? 1 : 0) - (before == Value.dislike ? 1 : 0);
            changes.add(new Change(group.get(i).accountId(), before, after, new ReactionSummary(l, d, after)));
        }
        then.apply(h, changes);
        return changes;
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
