-- Accounts, sessions (refresh-token families), single-use tokens and the mail outbox.

create table accounts (
    id                  uuid primary key,
    email               text not null,
    username            text not null,
    password_hash       text not null,
    email_verified_at   timestamptz,
    display_name        text,
    avatar_url          text,
    bio                 text,
    audio_languages     text[] not null default '{}',
    subtitle_languages  text[] not null default '{}',
    maturity            text not null default 'adult',
    -- access tokens issued before this instant are rejected (logout everywhere, password change, ban)
    tokens_valid_after  timestamptz not null,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create unique index accounts_email_key on accounts (lower(email));
create unique index accounts_username_key on accounts (lower(username));

-- A session is one refresh-token family: every refresh rotates the token inside it.
create table sessions (
    id            uuid primary key,
    account_id    uuid not null references accounts (id) on delete cascade,
    created_at    timestamptz not null,
    last_used_at  timestamptz not null,
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoke_reason text,
    user_agent    text,
    ip            text
);
create index sessions_account on sessions (account_id, created_at desc, id);

create table refresh_tokens (
    token_hash  bytea primary key,
    session_id  uuid not null references sessions (id) on delete cascade,
    created_at  timestamptz not null,
    rotated_at  timestamptz
);
create index refresh_tokens_session on refresh_tokens (session_id);

-- E-mail verification and password reset: single use, expiring, stored as SHA-256 of the token.
create table one_time_tokens (
    token_hash  bytea primary key,
    account_id  uuid not null references accounts (id) on delete cascade,
    purpose     text not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index one_time_tokens_account on one_time_tokens (account_id, purpose);

-- Transactional outbox: mails are written with the change that causes them and sent afterwards.
create table outbox (
    id          bigserial primary key,
    kind        text not null,
    recipient   text not null,
    subject     text not null,
    body        text,          -- cleared once sent, so links with tokens do not linger
    created_at  timestamptz not null,
    sent_at     timestamptz,
    attempts    int not null default 0,
    last_error  text
);
create index outbox_pending on outbox (id) where sent_at is null;
