-- Second factors (#17): TOTP (RFC 6238), recovery codes, sign-in challenges and passkeys (WebAuthn).

-- One authenticator app per account. The shared secret is sealed with a key derived from the key-encryption key
-- (AES-256-GCM, the account id as associated data); a row without confirmed_at is an enrolment not yet confirmed
-- by a first code, and does not count as a second factor.
create table mfa_totp (
    account_id      uuid primary key references accounts (id) on delete cascade,
    secret_sealed   bytea not null,
    created_at      timestamptz not null,
    confirmed_at    timestamptz,
    -- the RFC 6238 time-step (T) of the last code accepted: a code of that step or an earlier one is refused
    last_used_step  bigint not null default -1
);

-- Ten single-use codes for when the app is lost, stored as SHA-256 (they carry 80 random bits).
create table mfa_recovery_codes (
    account_id  uuid not null references accounts (id) on delete cascade,
    code_hash   bytea not null,
    created_at  timestamptz not null,
    used_at     timestamptz,
    primary key (account_id, code_hash)
);

-- The second step of a sign-in: issued after the password, spent by a code, a recovery code or a passkey.
-- Stored as SHA-256 of the challenge token; single use, short-lived, a few attempts at most.
create table mfa_challenges (
    token_hash  bytea primary key,
    account_id  uuid not null references accounts (id) on delete cascade,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    attempts    int not null default 0,
    -- the client the password came from: the session opened by the challenge records it
    ip          text,
    user_agent  text
);
create index mfa_challenges_account on mfa_challenges (account_id);

-- WebAuthn credentials (passkeys) an account registered. credential_id and user_handle are the raw bytes of the
-- WebAuthn ids; public_key_cose is the COSE_Key (RFC 9052 §7) from the attested credential data.
create table passkeys (
    credential_id    bytea primary key,
    account_id       uuid not null references accounts (id) on delete cascade,
    user_handle      bytea not null,
    public_key_cose  bytea not null,
    signature_count  bigint not null,
    name             text not null,
    transports       text[] not null default '{}',
    discoverable     boolean,
    created_at       timestamptz not null,
    last_used_at     timestamptz
);
create index passkeys_account on passkeys (account_id);
create index passkeys_user_handle on passkeys (user_handle);

-- The random WebAuthn user handle of each account (W3C WebAuthn Level 3 §14.6.1: not the account id, no personal
-- data), made on first passkey registration.
create table passkey_user_handles (
    account_id   uuid primary key references accounts (id) on delete cascade,
    user_handle  bytea not null unique
);
