package dev.kino.control.jobs;

import dev.kino.common.packaging.Protection;
import dev.kino.control.BadRequestException;
import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.catalog.CatalogFields;
import dev.kino.control.catalog.MediaLifecycle;
import dev.kino.control.catalog.MediaStore;
import dev.kino.control.http.Page;
import dev.kino.packager.job.PackagedTrack;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.media.TrackKind;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The packaging job queue. A worker {@linkplain #claim claims} the oldest queued job, or a running one
 * whose lease expired (its worker died), with {@code FOR UPDATE SKIP LOCKED}, so two workers never get
 * the same job; it then renews the lease with each {@linkplain #heartbeat heartbeat}. Owns {@code jobs} and
 * {@code job_log}. Every job change also reports to the media state machine ({@link MediaLifecycle}) in the same
 * transaction, so a media item's state always follows its job; the queue never writes {@code media_items} itself.
 * Time comes from the media store's clock.
 */
public final class JobQueue {
    /** Attempts when the request does not say. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final MediaLifecycle lifecycle;
    private final MediaStore store;

    /** @param lifecycle the media state machine the jobs move */
    public JobQueue(MediaLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.store = lifecycle.store();
    }

    /** @param media the catalogue's media items, in the database of the queue */
    public JobQueue(MediaStore media) {
        this(new MediaLifecycle(media));
    }

    /**
     * @param ladder renditions, or null for the default ladder
     * @param protection protection, or null for {@code packager.protection}
     * @param maxAttempts 1 to 20, or null for {@value #DEFAULT_MAX_ATTEMPTS}
     */
    public record JobInput(List<String> ladder, String protection, Integer maxAttempts) {
    }

    /** A job a worker holds. */
    public record Claimed(UUID id, UUID mediaId, int attempt, int maxAttempts, List<String> ladder,
                          Protection protection) {
    }

    /**
     * Queues packaging of a media item's source and moves the item to {@code queued}.
     *
     * @param defaultProtection {@code packager.protection}, for a job that names none and an item that has none
     * @throws NotFoundException for unknown media
     * @throws InvalidInputException for bad fields
     * @throws ConflictException when the item has no source, is being packaged or is published
     */
    public JobView enqueue(UUID mediaId, JobInput in, Protection defaultProtection, UUID createdBy) {
        Validation v = new Validation();
        CatalogFields.renditions(v, in.ladder());
        if (in.protection() != null) {
            v.check("protection", Protection.fromWire(in.protection()).isPresent(),
                    "must be one of " + Protection.wireNames());
        }
        if (in.maxAttempts() != null) {
            v.check("maxAttempts", in.maxAttempts() >= 1 && in.maxAttempts() <= 20, "must be 1 to 20");
        }
        v.throwIfInvalid();
        UUID id = UUID.randomUUID();
        return store.jdbi().inTransaction(h -> {
            MediaStore.MediaRow m = lifecycle.packagingQueued(h, mediaId);
            Instant now = store.now();
            h.createUpdate("""
                    insert into jobs (id, media_id, state, ladder, protection, max_attempts, created_by, created_at, updated_at)
                    values (:id, :media, 'queued', :ladder, :protection, :max, :by, :now, :now)""")
                    .bind("id", id).bind("media", mediaId)
                    .bind("ladder", in.ladder() == null ? new String[0] : in.ladder().toArray(String[]::new))
                    .bind("protection", in.protection() != null ? Protection.parse(in.protection()).wire()
                            : m.protection() != null ? m.protection() : defaultProtection.wire())
                    .bind("max", in.maxAttempts() != null ? in.maxAttempts() : DEFAULT_MAX_ATTEMPTS)
                    .bind("by", createdBy).bind("now", now).execute();
            log(h, id, now, "queued");
            return get(h, id).orElseThrow();
        });
    }

    /**
     * Claims the next job for {@code worker}: the oldest queued one or a running one whose lease expired.
     * Running jobs whose lease expired on their last attempt fail instead (their item too).
     *
     * @return the claimed job, or empty when there is nothing to do
     */
    public Optional<Claimed> claim(String worker, Duration lease) {
        return store.jdbi().inTransaction(h -> {
            Instant now = store.now();
            List<UUID> dead = h.createQuery("""
                    update jobs set state = case when cancel_requested then 'cancelled' else 'failed' end,
                           error = case when cancel_requested then error
                                        else 'worker ' || lease_owner || ' stopped renewing its lease on the last attempt' end,
                           lease_owner = null, lease_expires_at = null, finished_at = :now, updated_at = :now
                     where id in (select id from jobs where state = 'running' and lease_expires_at < :now
                                   and (attempts >= max_attempts or cancel_requested) for update skip locked)
                    returning media_id""").bind("now", now).mapTo(UUID.class).list();
            for (UUID media : dead) {
                lifecycle.packagingFailed(h, media);
            }
            Optional<Claimed> c = h.createQuery("""
                    with next as (
                        select id from jobs
                         where state = 'queued' or (state = 'running' and lease_expires_at < :now)
                         order by created_at, id
                         for update skip locked
                         limit 1)
                    update jobs j set state = 'running', attempts = j.attempts + 1, lease_owner = :worker,
                           lease_expires_at = :expires, progress = 0, started_at = coalesce(j.started_at, :now), updated_at = :now
                      from next where j.id = next.id
                    returning j.id, j.media_id, j.attempts, j.max_attempts, j.ladder, j.protection""")
                    .bind("now", now).bind("worker", worker).bind("expires", now.plus(lease))
                    .map((rs, ctx) -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                            rs.getInt(4), List.of((String[]) rs.getArray(5).getArray()), Protection.parse(rs.getString(6))))
                    .findOne();
            c.ifPresent(j -> {
                lifecycle.packagingStarted(h, j.mediaId());
                log(h, j.id(), now, "claimed by " + worker + " (attempt " + j.attempt() + " of " + j.maxAttempts() + ")");
            });
            return c;
        });
    }

    /**
     * What a heartbeat learned.
     *
     * @param owned the worker still holds the lease (false: stop, another worker took over)
     * @param cancelRequested cancellation was asked for: stop
     */
    public record Beat(boolean owned, boolean cancelRequested) {
        public boolean stop() {
            return !owned || cancelRequested;
        }
    }

    /** Renews the lease and records progress. */
    public Beat heartbeat(UUID jobId, String worker, double progress, Duration lease) {
        return store.jdbi().withHandle(h -> {
            Instant now = store.now();
            return h.createQuery("""
                    update jobs set lease_expires_at = :expires, progress = :p, updated_at = :now
                     where id = :id and state = 'running' and lease_owner = :worker
                    returning cancel_requested""")
                    .bind("expires", now.plus(lease)).bind("p", (float) Math.max(0, Math.min(1, progress)))
                    .bind("now", now).bind("id", jobId).bind("worker", worker)
                    .mapTo(boolean.class).findOne().map(c -> new Beat(true, c)).orElse(new Beat(false, false));
        });
    }

    /** Appends a log line. */
    public void log(UUID jobId, String line) {
        store.jdbi().useHandle(h -> log(h, jobId, store.now(), line));
    }

    private static void log(Handle h, UUID jobId, Instant at, String line) {
        h.createUpdate("insert into job_log (job_id, at, line) values (:id, :at, :line)")
                .bind("id", jobId).bind("at", at).bind("line", line.length() > 4000 ? line.substring(0, 4000) : line).execute();
    }

    /**
     * Marks the job succeeded and its item ready with the packager's typed tracks (video renditions, audio and
     * subtitle languages), if the worker still holds it.
     *
     * @return false when it did not
     */
    public boolean succeed(Claimed job, String worker, PackagingResult result) {
        boolean done = store.jdbi().inTransaction(h -> {
            Instant now = store.now();
            int n = h.createUpdate("""
                    update jobs set state = 'succeeded', progress = 1, lease_owner = null, lease_expires_at = null,
                           error = null, finished_at = :now, updated_at = :now
                     where id = :id and state = 'running' and lease_owner = :worker""")
                    .bind("now", now).bind("id", job.id()).bind("worker", worker).execute();
            if (n == 1) {
                List<String> video = result.tracks(TrackKind.VIDEO).stream().map(PackagedTrack::name).toList();
                lifecycle.packaged(h, job.mediaId(), video, result.languages(TrackKind.AUDIO),
                        result.languages(TrackKind.TEXT), (int) Math.round(result.durationSeconds()),
                        result.protection().dash());
                log(h, job.id(), now, "succeeded: " + String.join(", ", video));
            }
            return n == 1;
        });
        if (done) {
            finished(job, true, null);
        }
        return done;
    }

    /** Hears of each job that ended for good (notifications tell whoever queued it). */
    @FunctionalInterface
    public interface FinishListener {
        /**
         * @param createdBy who queued it, null when unknown
         * @param error why it failed, null when it succeeded
         */
        void finished(UUID jobId, UUID mediaId, UUID createdBy, boolean succeeded, String error);
    }

    private volatile FinishListener onFinished;

    /** Sets the one listener of finished jobs (while wiring). */
    public void onFinished(FinishListener listener) {
        this.onFinished = listener;
    }

    private void finished(Claimed job, boolean succeeded, String error) {
        FinishListener l = onFinished;
        if (l == null) {
            return;
        }
        UUID createdBy = store.jdbi().withHandle(h -> h.createQuery("select created_by from jobs where id = :id")
                .bind("id", job.id()).mapTo(UUID.class).findOne().orElse(null));
        l.finished(job.id(), job.mediaId(), createdBy, succeeded, error);
    }

    /** Ends an attempt that failed: queued again while attempts remain, else failed (with its item). */
    public void fail(Claimed job, String worker, String error) {
        fail(job, worker, error, false);
    }

    /**
     * Ends an attempt that failed.
     *
     * @param permanent another attempt cannot help (a refused source): failed at once, whatever attempts remain;
     *                  otherwise queued again while attempts remain
     */
    public void fail(Claimed job, String worker, String error, boolean permanent) {
        String ended = store.jdbi().inTransaction(h -> {
            Instant now = store.now();
            String state = h.createQuery("""
                    update jobs set state = case when attempts < max_attempts and not :permanent then 'queued' else 'failed' end,
                           error = :error, lease_owner = null, lease_expires_at = null, updated_at = :now,
                           finished_at = case when attempts < max_attempts and not :permanent then null
                                              else cast(:now as timestamptz) end
                     where id = :id and state = 'running' and lease_owner = :worker
                    returning state""")
                    .bind("error", error).bind("permanent", permanent).bind("now", now).bind("id", job.id())
                    .bind("worker", worker).mapTo(String.class).findOne().orElse(null);
            if (state != null) {
                if (state.equals("queued")) {
                    lifecycle.packagingRetrying(h, job.mediaId());
                } else {
                    lifecycle.packagingFailed(h, job.mediaId());
                }
                log(h, job.id(), now, "attempt " + job.attempt() + " failed: " + error
                        + (state.equals("queued") ? "; will retry" : permanent ? "; not retried" : "; giving up"));
            }
            return state;
        });
        if ("failed".equals(ended)) {
            finished(job, false, error);
        }
    }

    /**
     * A running job and the worker holding its lease.
     *
     * @param job the claim, as its worker got it
     * @param worker the lease owner
     */
    public record Held(Claimed job, String worker) {
    }

    /** @return the running jobs whose lease owner starts with {@code workerPrefix} (the workers of one process) */
    public List<Held> heldBy(String workerPrefix) {
        return store.jdbi().withHandle(h -> h.createQuery("""
                        select id, media_id, attempts, max_attempts, ladder, protection, lease_owner from jobs
                         where state = 'running' and starts_with(lease_owner, :prefix)""")
                .bind("prefix", workerPrefix)
                .map((rs, ctx) -> new Held(new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getInt(3), rs.getInt(4), List.of((String[]) rs.getArray(5).getArray()),
                        Protection.parse(rs.getString(6))), rs.getString(7)))
                .list());
    }

    /** Ends a running job the worker stopped on request. */
    public void cancelled(Claimed job, String worker) {
        store.jdbi().useTransaction(h -> {
            Instant now = store.now();
            int n = h.createUpdate("""
                    update jobs set state = 'cancelled', lease_owner = null, lease_expires_at = null, finished_at = :now,
                           updated_at = :now where id = :id and state = 'running' and lease_owner = :worker""")
                    .bind("now", now).bind("id", job.id()).bind("worker", worker).execute();
            if (n == 1) {
                lifecycle.packagingCancelled(h, job.mediaId());
                log(h, job.id(), now, "cancelled");
            }
        });
    }

    /**
     * Cancels a job: a queued one at once, a running one at its worker's next heartbeat.
     *
     * @throws NotFoundException for an unknown job
     * @throws ConflictException when it already finished
     */
    public JobView cancel(UUID id) {
        return store.jdbi().inTransaction(h -> {
            JobView j = lock(h, id);
            Instant now = store.now();
            switch (j.state()) {
                case "queued" -> {
                    h.createUpdate("update jobs set state = 'cancelled', finished_at = :now, updated_at = :now where id = :id")
                            .bind("now", now).bind("id", id).execute();
                    lifecycle.packagingCancelled(h, j.mediaId());
                    log(h, id, now, "cancelled before it started");
                }
                case "running" -> {
                    h.createUpdate("update jobs set cancel_requested = true, updated_at = :now where id = :id")
                            .bind("now", now).bind("id", id).execute();
                    log(h, id, now, "cancellation requested");
                }
                default -> throw new ConflictException("job " + id + " is " + j.state() + "; it cannot be cancelled");
            }
            return get(h, id).orElseThrow();
        });
    }

    /**
     * Queues a failed or cancelled job again, with its attempts reset.
     *
     * @throws NotFoundException for an unknown job
     * @throws ConflictException when not failed or cancelled, or the item has another live job or is no longer
     *                           packageable
     */
    public JobView retry(UUID id) {
        try {
            return store.jdbi().inTransaction(h -> {
                JobView j = lock(h, id);
                if (!j.state().equals("failed") && !j.state().equals("cancelled")) {
                    throw new ConflictException("job " + id + " is " + j.state() + "; only failed or cancelled jobs are retried");
                }
                lifecycle.packagingRequeued(h, j.mediaId());
                Instant now = store.now();
                h.createUpdate("""
                        update jobs set state = 'queued', attempts = 0, progress = 0, error = null, cancel_requested = false,
                               finished_at = null, updated_at = :now where id = :id""")
                        .bind("now", now).bind("id", id).execute();
                log(h, id, now, "retry requested");
                return get(h, id).orElseThrow();
            });
        } catch (UnableToExecuteStatementException e) {
            // NOTE: the partial unique index on live jobs per media item (V12__jobs.sql) is the arbiter here
            throw new ConflictException("the media item of job " + id + " already has a live job");
        }
    }

    private JobView lock(Handle h, UUID id) {
        h.createQuery("select id from jobs where id = :id for update").bind("id", id).mapTo(UUID.class).findOne()
                .orElseThrow(() -> notFound(id));
        return get(h, id).orElseThrow();
    }

    /** @return the job @throws NotFoundException when unknown */
    public JobView get(UUID id) {
        return store.jdbi().withHandle(h -> get(h, id)).orElseThrow(() -> notFound(id));
    }

    private static Optional<JobView> get(Handle h, UUID id) {
        return h.createQuery("select * from jobs where id = :id").bind("id", id).map((rs, ctx) -> view(rs)).findOne();
    }

    /**
     * @param mediaId a media item
     * @return its newest job, if it has one
     */
    public Optional<JobView> latest(UUID mediaId) {
        return list(null, mediaId, Page.Cursor.first(1)).items().stream().findFirst();
    }

    /** @return jobs, newest first, optionally of one state or media item */
    public Page<JobView> list(String state, UUID mediaId, Page.Cursor cursor) {
        return list(state, mediaId, null, cursor);
    }

    /**
     * @param createdBy only jobs this account queued, or null for everyone's
     * @return jobs, newest first, optionally of one state, media item or author
     */
    public Page<JobView> list(String state, UUID mediaId, UUID createdBy, Page.Cursor cursor) {
        StringBuilder sql = new StringBuilder("select * from jobs where true");
        if (createdBy != null) {
            sql.append(" and created_by = :by");
        }
        if (state != null) {
            sql.append(" and state = :state");
        }
        if (mediaId != null) {
            sql.append(" and media_id = :media");
        }
        if (cursor.after() != null) {
            sql.append(" and (created_at, id) < (:c0, :c1)");
        }
        sql.append(" order by created_at desc, id desc limit :fetch");
        return store.jdbi().withHandle(h -> {
            var q = h.createQuery(sql.toString()).bind("fetch", cursor.fetch());
            if (state != null) {
                q.bind("state", state);
            }
            if (mediaId != null) {
                q.bind("media", mediaId);
            }
            if (createdBy != null) {
                q.bind("by", createdBy);
            }
            if (cursor.after() != null) {
                if (cursor.after().size() != 2) {
                    throw new BadRequestException("cursor is not one returned by this API");
                }
                q.bind("c0", Timestamp.from(cursor.instant(0))).bind("c1", cursor.uuid(1));
            }
            return Page.of(cursor, q.map((rs, ctx) -> view(rs)).list(), j -> List.of(j.createdAt().toString(), j.id().toString()));
        });
    }

    /**
     * A log line.
     *
     * @param seq position in the log (the cursor)
     * @param at when it was written
     * @param line the text
     */
    public record LogLine(long seq, Instant at, String line) {
    }

    /** @return the job's log, oldest first @throws NotFoundException for an unknown job */
    public Page<LogLine> log(UUID jobId, Page.Cursor cursor) {
        get(jobId);
        long after;
        try {
            after = cursor.after() == null ? 0 : Long.parseLong(cursor.after().get(0));
        } catch (RuntimeException e) {
            throw new BadRequestException("cursor is not one returned by this API");
        }
        List<LogLine> lines = store.jdbi().withHandle(h -> h.createQuery(
                        "select id, at, line from job_log where job_id = :id and id > :after order by id limit :fetch")
                .bind("id", jobId).bind("after", after).bind("fetch", cursor.fetch())
                .map((rs, ctx) -> new LogLine(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3))).list());
        return Page.of(cursor, lines, l -> List.of(Long.toString(l.seq())));
    }

    private static JobView view(ResultSet rs) throws SQLException {
        return new JobView(rs.getObject("id", UUID.class), rs.getObject("media_id", UUID.class), rs.getString("state"),
                List.of((String[]) rs.getArray("ladder").getArray()), rs.getString("protection"), rs.getInt("attempts"),
                rs.getInt("max_attempts"), rs.getFloat("progress"), rs.getString("lease_owner"),
                instant(rs.getTimestamp("lease_expires_at")), rs.getBoolean("cancel_requested"), rs.getString("error"),
                rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")), rs.getObject("created_by", UUID.class));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no job " + id);
    }
}
