-- Chunked, resumable uploads of source videos. Bytes live on disk, never in the database.

create table uploads (
    id            uuid primary key,
    owner_id      uuid not null references accounts (id) on delete cascade,
    filename      text not null,
    size          bigint not null check (size > 0),
    sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    received      bigint not null default 0,
    state         text not null default 'receiving' check (state in ('receiving', 'complete', 'failed', 'aborted')),
    -- the completed file under <data.dir>/uploads/
    path          text,
    error         text,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);
create index uploads_owner on uploads (owner_id, created_at desc);
