-- The social feature: each account's watchlist ("My list"). Continue-watching is read from
-- playback_progress (V13); the index below serves its newest-first listing.

create table watchlist_entries (
    account_id  uuid not null references accounts (id) on delete cascade,
    title_id    uuid not null references titles (id) on delete cascade,
    added_at    timestamptz not null,
    primary key (account_id, title_id)
);
-- GET /api/v1/me/watchlist: newest first, keyset pagination on (added_at, title_id)
create index watchlist_entries_account_added on watchlist_entries (account_id, added_at desc, title_id desc);

-- GET /api/v1/me/continue-watching: newest first per account
create index playback_progress_account_updated on playback_progress (account_id, updated_at desc, media_id desc);
