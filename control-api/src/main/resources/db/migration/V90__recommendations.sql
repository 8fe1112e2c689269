-- Recommendations (owner: recommend.RecommendStore). Everything here but the taste picks is computed by the
-- background job (recommend.RecommendJob) and replaced on each of its runs; the API only reads it.

-- A new account's taste picks: a few genres and titles, so that its first shelves are not only "trending".
create table recommend_taste (
    account_id  uuid primary key references accounts (id) on delete cascade,
    genres      text[] not null default '{}',
    title_ids   uuid[] not null default '{}',
    updated_at  timestamptz not null
);

-- "Similar titles": each title's most similar titles (collaborative blended with content), best first.
create table recommend_similar (
    title_id    uuid not null references titles (id) on delete cascade,
    rank        smallint not null check (rank >= 0),
    similar_id  uuid not null references titles (id) on delete cascade,
    score       real not null,
    primary key (title_id, rank)
);

-- "Trending": views of the last days with time decay, best first.
create table recommend_trending (
    rank      int primary key check (rank >= 0),
    title_id  uuid not null references titles (id) on delete cascade,
    score     real not null
);

-- "Top rated in <genre>": by weighted (Bayesian) rating, per genre, best first.
create table recommend_top_rated (
    genre     text not null,
    rank      smallint not null check (rank >= 0),
    title_id  uuid not null references titles (id) on delete cascade,
    score     real not null,
    primary key (genre, rank)
);

-- An account's own shelves: "Recommended for you", "Because you watched X" (anchor_id = X), "Top rated in <genre>".
create table recommend_shelves (
    account_id  uuid not null references accounts (id) on delete cascade,
    position    smallint not null check (position >= 0),
    kind        text not null check (kind in ('recommended-for-you', 'because-you-watched', 'top-rated-in-genre')),
    anchor_id   uuid references titles (id) on delete cascade,
    genre       text,
    rank        smallint not null check (rank >= 0),
    title_id    uuid not null references titles (id) on delete cascade,
    score       real not null,
    primary key (account_id, position, rank)
);

-- When each account's shelves were last computed, from signals up to when (incremental runs), and the titles the
-- account has any signal for (kept off the shared trending shelf on its home page).
create table recommend_accounts (
    account_id     uuid primary key references accounts (id) on delete cascade,
    computed_at    timestamptz not null,
    latest_signal  timestamptz,
    known_titles   uuid[] not null default '{}'
);

-- One row per job run.
create table recommend_runs (
    id           bigserial primary key,
    started_at   timestamptz not null,
    finished_at  timestamptz not null,
    full_run     boolean not null,
    signals      bigint not null,
    accounts     int not null,
    titles       int not null,
    recomputed   int not null,
    millis       bigint not null
);
