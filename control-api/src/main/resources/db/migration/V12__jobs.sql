-- Packaging job queue: claimed with FOR UPDATE SKIP LOCKED; a running job holds a lease that its
-- worker renews, so the job of a worker that died is claimed again once the lease has expired.

create table jobs (
    id                uuid primary key,
    media_id          uuid not null references media_items (id) on delete cascade,
    state             text not null check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    ladder            text[] not null default '{}',
    protection        text not null,
    attempts          int not null default 0,
    max_attempts      int not null check (max_attempts between 1 and 20),
    progress          real not null default 0,
    lease_owner       text,
    lease_expires_at  timestamptz,
    cancel_requested  boolean not null default false,
    error             text,
    created_by        uuid references accounts (id) on delete set null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    started_at        timestamptz,
    finished_at       timestamptz
);
create index jobs_claimable on jobs (created_at, id) where state in ('queued', 'running');
create index jobs_media on jobs (media_id, created_at desc);
-- at most one live job per media item
create unique index jobs_one_live_per_media on jobs (media_id) where state in ('queued', 'running');

create table job_log (
    id       bigserial primary key,
    job_id   uuid not null references jobs (id) on delete cascade,
    at       timestamptz not null,
    line     text not null
);
create index job_log_job on job_log (job_id, id);
