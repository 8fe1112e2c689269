-- Ratings 1-10 per account and title (owner: ratings.Ratings), with per-title statistics kept in step.
create table ratings (
    title_id    uuid not null references titles (id) on delete cascade,
    account_id  uuid not null references accounts (id) on delete cascade,
    score       smallint not null check (score between 1 and 10),
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (title_id, account_id)
);
create index ratings_account on ratings (account_id, updated_at desc);

create table rating_stats (
    title_id      uuid primary key references titles (id) on delete cascade,
    count         int not null default 0 check (count >= 0),
    sum           bigint not null default 0 check (sum >= 0),
    distribution  int[] not null default '{0,0,0,0,0,0,0,0,0,0}'
);

-- The catalogue's copy of each title's count and sum (owner: catalog.TitleStore; written only through
-- Catalog.ratingChanged), so "top rated" sorts titles by their weighted rating without leaving the catalogue.
alter table titles add column rating_count int not null default 0;
alter table titles add column rating_sum bigint not null default 0;
create index titles_rating on titles (rating_count) where rating_count > 0;
