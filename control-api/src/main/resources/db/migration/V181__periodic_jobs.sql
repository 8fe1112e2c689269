-- Periodic background jobs run by the workers (dev.kino.control.jobs.PeriodicJobs): one row per kind, due again
-- every_seconds after its last run ended. A worker claims a due row with FOR UPDATE SKIP LOCKED and a lease, so one
-- worker among many runs it; a worker that dies mid-run leaves it to the next once the lease has passed.
create table periodic_jobs (
    kind             text primary key,
    every_seconds    integer     not null check (every_seconds > 0),
    due_at           timestamptz not null,
    leased_by        text,
    lease_until      timestamptz,
    last_started_at  timestamptz,
    last_finished_at timestamptz,
    last_error       text,
    runs             bigint      not null default 0
);
