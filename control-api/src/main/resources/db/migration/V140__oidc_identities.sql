-- Sign-in with OpenID Connect identity providers (#17).

-- An account's identity at a provider: the provider's id (oidc.* configuration) and the ID token's "sub", which
-- OpenID Connect Core 1.0 §2 makes unique and never reassigned within its issuer. One identity per provider per
-- account. email is what the provider said at linking (shown in account settings; never used to find the account).
create table oidc_identities (
    provider      text not null,
    subject       text not null,
    account_id    uuid not null references accounts (id) on delete cascade,
    email         text,
    linked_at     timestamptz not null,
    last_used_at  timestamptz,
    primary key (provider, subject)
);
create unique index oidc_identities_account_provider on oidc_identities (account_id, provider);

-- Authorisation requests in flight, keyed by SHA-256 of their "state" (RFC 6749 §10.12): single use (deleted by the
-- callback that spends them), short-lived. browser_hash is SHA-256 of the random value of the cookie set by /start,
-- so an authorisation response only completes in the browser that began it (no login CSRF). The PKCE verifier
-- (RFC 7636) and the nonce (OpenID Connect Core §3.1.2.1) never leave the server.
create table oidc_requests (
    state_hash     bytea primary key,
    browser_hash   bytea not null,
    provider       text not null,
    nonce          text not null,
    code_verifier  text not null,
    -- set when a signed-in account links the provider from its settings; null for a sign-in
    link_account   uuid references accounts (id) on delete cascade,
    created_at     timestamptz not null,
    expires_at     timestamptz not null
);
create index oidc_requests_expiry on oidc_requests (expires_at);

-- What a callback decided, handed to the web app by a single-use code (SHA-256 stored) so that no token ever
-- travels in a URL. kind 'sign-in': exchanging the code signs the account in (tokens, or its second-factor
-- challenge); 'exchange-link': an account already has the provider's verified address, and exchanging the code
-- answers a 'link' token instead, which only the account's password or second factor spends (a few attempts);
-- provider, subject and email say what to link.
create table oidc_handoffs (
    token_hash  bytea primary key,
    kind        text not null check (kind in ('sign-in', 'exchange-link', 'link')),
    account_id  uuid not null references accounts (id) on delete cascade,
    provider    text not null,
    subject     text not null,
    email       text,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    attempts    int not null default 0
);
create index oidc_handoffs_expiry on oidc_handoffs (expires_at);
