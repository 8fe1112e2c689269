-- Likes and dislikes (owner: reactions.Reactions). One row per account and object; the counts table is kept
-- in step in the same transaction as every change, so a listing reads counts without aggregating.
create table reactions (
    target_type  text not null check (target_type in ('title', 'media', 'comment', 'post')),
    target_id    uuid not null,
    account_id   uuid not null references accounts (id) on delete cascade,
    value        smallint not null check (value in (-1, 1)),
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    primary key (target_type, target_id, account_id)
);
create index reactions_account on reactions (account_id);

create table reaction_counts (
    target_type  text not null,
    target_id    uuid not null,
    likes        int not null default 0 check (likes >= 0),
    dislikes     int not null default 0 check (dislikes >= 0),
    primary key (target_type, target_id)
);
