-- Subscription plans (data, assigned by admins; no payment provider yet), subscriptions and
-- playback progress for resume.

create table plans (
    id                  uuid primary key,
    name                text not null,
    concurrent_streams  int not null check (concurrent_streams between 1 and 100),
    -- tallest rendition the plan plays, in pixels (e.g. 1080); the player is told, the origin does not enforce it
    max_resolution      int not null check (max_resolution between 144 and 4320),
    price_minor         bigint not null check (price_minor >= 0),
    currency            char(3) not null check (currency ~ '^[A-Z]{3}$'),
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create unique index plans_name_key on plans (lower(name));

-- One row per account: status and period end leave room for a payment provider.
create table subscriptions (
    account_id          uuid primary key references accounts (id) on delete cascade,
    plan_id             uuid not null references plans (id),
    status              text not null check (status in ('active', 'past_due', 'cancelled', 'expired')),
    current_period_end  timestamptz,
    provider            text,
    provider_ref        text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create index subscriptions_plan on subscriptions (plan_id);

create table playback_progress (
    account_id        uuid not null references accounts (id) on delete cascade,
    media_id          uuid not null references media_items (id) on delete cascade,
    position_seconds  int not null check (position_seconds >= 0),
    updated_at        timestamptz not null,
    primary key (account_id, media_id)
);
