-- Notifications (owner: notifications.NotificationStore). Ids are per account and increase by one with every
-- notification (notification_counters, taken under the account's counter row lock until commit), so ids commit in
-- order and a client that saw id n misses nothing by asking for everything after n.
create table notification_counters (
    account_id  uuid primary key references accounts (id) on delete cascade,
    last_id     bigint not null default 0
);

create table notifications (
    account_id   uuid not null references accounts (id) on delete cascade,
    id           bigint not null,
    type         text not null,
    actor_id     uuid references accounts (id) on delete set null,
    object_type  text,
    object_id    uuid,
    group_key    text,                 -- notifications that fold into one ("12 people liked your comment")
    count        int not null default 1,
    data         jsonb not null,       -- what renders the line and the link without another query
    created_at   timestamptz not null,
    read_at      timestamptz,
    email_state  text not null default 'none' check (email_state in ('none', 'pending', 'sent')),
    in_app       boolean not null default true,   -- false: kept only for the e-mail digest
    primary key (account_id, id)
);
create index notifications_unread on notifications (account_id, id) where read_at is null;
create index notifications_group on notifications (account_id, group_key) where group_key is not null and read_at is null;
create index notifications_email on notifications (account_id) where email_state = 'pending';

-- Per-type, per-channel choices; a missing row means the type's default.
create table notification_settings (
    account_id  uuid not null references accounts (id) on delete cascade,
    type        text not null,
    in_app      boolean not null,
    email       boolean not null,
    primary key (account_id, type)
);

-- When each account was last sent a digest.
create table notification_digests (
    account_id  uuid primary key references accounts (id) on delete cascade,
    last_sent_at timestamptz not null
);

-- Follows of titles (new episodes) and users (new public comments); forum threads keep their own follows.
create table follows (
    account_id   uuid not null references accounts (id) on delete cascade,
    target_type  text not null check (target_type in ('title', 'user')),
    target_id    uuid not null,
    created_at   timestamptz not null,
    primary key (account_id, target_type, target_id)
);
create index follows_target on follows (target_type, target_id, account_id);

-- Work that notifies many accounts (every follower of a title), done in batches by the background worker, never
-- in the request that caused it. cursor = the last recipient done, so a restart resumes.
create table notification_fanouts (
    id          uuid primary key,
    audience    text not null,         -- which feature's list of recipients
    subject_id  uuid not null,         -- whose followers, watchers, ...
    exclude_id  uuid,                  -- never notify this account (the actor)
    notice      jsonb not null,        -- the notification each recipient gets
    cursor      uuid,
    created_at  timestamptz not null,
    done_at     timestamptz
);
create index notification_fanouts_pending on notification_fanouts (created_at) where done_at is null;
