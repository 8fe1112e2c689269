-- Uploaded avatars (owner: account.Avatars): only the re-encoded 256x256 PNG is kept, never the uploaded bytes.
create table avatars (
    account_id  uuid primary key references accounts (id) on delete cascade,
    png         bytea not null,
    etag        text not null,
    updated_at  timestamptz not null
);
