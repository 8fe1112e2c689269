package dev.kino.control.jobs;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;

/**
 * Periodic background jobs in PostgreSQL ({@code periodic_jobs}): one row per kind (such as {@link #RECOMMENDATIONS}),
 * due again {@code every} after its last run ended. Workers {@linkplain #schedule schedule} the kinds they can run and
 * {@linkplain #claim claim} a due one with {@code FOR UPDATE SKIP LOCKED} and a lease, so among any number of workers
 * on any number of machines one runs it at a time; a worker that dies mid-run leaves the row leased until the lease
 * passes, then the next worker takes it. {@link JobWorkers} runs them beside the packaging jobs.
 *
 * <pre>{@code
 * PeriodicJobs periodic = new PeriodicJobs(jdbi, clock);
 * periodic.schedule(PeriodicJobs.RECOMMENDATIONS, Duration.ofMinutes(10));
 * periodic.claim("worker-1", Duration.ofMinutes(30), Set.of(PeriodicJobs.RECOMMENDATIONS))
 *         .ifPresent(kind -> periodic.finish(kind, "worker-1", null));
 * }</pre>
 */
public final class PeriodicJobs {
    /** The recommendations computation ({@code dev.kino.control.recommend.RecommendJob}). */
    public static final String RECOMMENDATIONS = "recommendations";
    /** The viewing analytics rollup ({@code dev.kino.control.analytics.Analytics#rollupJob}): hourly and daily aggregates. */
    public static final String ANALYTICS_ROLLUPS = "analytics-rollups";
    /** The first run of a newly scheduled kind waits at most this long (the system has just started). */
    static final Duration FIRST_RUN_AFTER = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Clock clock;

    public PeriodicJobs(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Makes {@code kind} run every {@code every}: a new kind is first due after {@code every} or
     * {@link #FIRST_RUN_AFTER} (a minute), whichever is shorter; a known one keeps its due time and takes the new interval
     * from its next run on.
     *
     * @param every at least one second
     * @throws IllegalArgumentException for a shorter interval
     */
    public void schedule(String kind, Duration every) {
        if (every.toSeconds() < 1) {
            throw new IllegalArgumentException("a periodic job runs at most once a second: " + every);
        }
        Duration first = every.compareTo(FIRST_RUN_AFTER) < 0 ? every : FIRST_RUN_AFTER;
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into periodic_jobs (kind, every_seconds, due_at) values (:kind, :every, :due)
                        on conflict (kind) do update set every_seconds = excluded.every_seconds""")
                .bind("kind", kind).bind("every", (int) Math.min(Integer.MAX_VALUE, every.toSeconds()))
                .bind("due", now().plus(first)).execute());
    }

    /**
     * Claims the longest-due kind among {@code kinds} that no live lease holds.
     *
     * @param worker the claiming worker's id (kept in {@code leased_by})
     * @param lease how long the claim lasts; a run longer than this may be started again by another worker
     * @return the claimed kind, or empty when none is due
     */
    public Optional<String> claim(String worker, Duration lease, Collection<String> kinds) {
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        Instant now = now();
        return jdbi.inTransaction(h -> h.createQuery("""
                        with next as (
                            select kind from periodic_jobs
                             where kind = any(:kinds) and due_at <= :now and (lease_until is null or lease_until <= :now)
                             order by due_at
                             for update skip locked
                             limit 1)
                        update periodic_jobs p set leased_by = :worker, lease_until = :until, last_started_at = :now
                          from next where p.kind = next.kind
                        returning p.kind""")
                .bind("kinds", kinds.toArray(String[]::new)).bind("now", now).bind("worker", worker)
                .bind("until", now.plus(lease)).mapTo(String.class).findOne());
    }

    /**
     * Ends {@code worker}'s run of {@code kind}: the kind is due again {@code every} from now.
     *
     * @param error why the run failed, or null when it succeeded
     * @return false when {@code worker} no longer held the lease (it passed and another worker claimed the kind)
     */
    public boolean finish(String kind, String worker, String error) {
        Instant now = now();
        return jdbi.withHandle(h -> h.createUpdate("""
                        update periodic_jobs set due_at = cast(:now as timestamptz) + make_interval(secs => every_seconds), leased_by = null,
                               lease_until = null, last_finished_at = :now, last_error = :error, runs = runs + 1
                         where kind = :kind and leased_by = :worker""")
                .bind("kind", kind).bind("worker", worker).bind("now", now).bind("error", error).execute() == 1);
    }

    /**
     * A kind's schedule and last run.
     *
     * @param dueAt when it runs next (a worker claims it at its first poll from then)
     * @param leasedBy the worker running it now, or null
     * @param lastFinishedAt the end of its last run, or null before the first
     * @param lastError why its last run failed, or null
     * @param runs runs ended so far
     */
    public record Status(String kind, Duration every, Instant dueAt, String leasedBy, Instant lastFinishedAt,
                         String lastError, long runs) {
    }

    /** @return {@code kind}'s schedule, or empty when no worker scheduled it */
    public Optional<Status> status(String kind) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select kind, every_seconds, due_at, leased_by, last_finished_at, last_error, runs
                          from periodic_jobs where kind = :kind""")
                .bind("kind", kind)
                .map((rs, ctx) -> new Status(rs.getString(1), Duration.ofSeconds(rs.getInt(2)),
                        rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getLong(7)))
                .findOne());
    }
}
