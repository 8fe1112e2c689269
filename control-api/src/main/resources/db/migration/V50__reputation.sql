-- Reputation (owner: reputation.Reputation): every change is a ledger row with its reason, so a total can be rebuilt
-- and audited; totals are kept in step in the same transaction. Levels are data: their thresholds and privileges
-- can be changed without a release.
create table reputation_ledger (
    id           bigserial primary key,
    account_id   uuid not null references accounts (id) on delete cascade,
    points       int not null,
    reason       text not null,
    object_type  text,
    object_id    uuid,
    created_at   timestamptz not null
);
create index reputation_ledger_account on reputation_ledger (account_id, created_at desc);
create index reputation_ledger_object on reputation_ledger (object_type, object_id);

create table reputation_totals (
    account_id     uuid primary key references accounts (id) on delete cascade,
    points         int not null default 0,
    earned_on      date,                      -- the UTC day earned_today counts
    earned_today   int not null default 0     -- points earned that day, for the daily cap
);
create index reputation_totals_rank on reputation_totals (points desc, account_id);

create table reputation_levels (
    level                  int primary key,
    name                   text not null,
    min_points             int not null unique,
    may_post_links         boolean not null,
    comments_per_hour      int not null check (comments_per_hour > 0),
    may_flag_for_hiding    boolean not null
);
insert into reputation_levels values
    (0, 'Newcomer', -1000000, false, 10, false),
    (1, 'Member', 10, true, 60, false),
    (2, 'Regular', 100, true, 120, false),
    (3, 'Trusted', 500, true, 240, true);
