-- Self-service billing (issue 17): billing terms and entitlements on plans, the subscription state machine,
-- promotion codes, payment-provider customers, processed webhook events and invoices.

-- Plans: what a period costs and how long it is (price_minor and currency exist since V13), the free trial, and
-- the profiles entitlement beside concurrent_streams, max_resolution and offline.
alter table plans add column billing_interval text not null default 'month' check (billing_interval in ('month', 'year'));
alter table plans add column trial_days int not null default 0 check (trial_days between 0 and 730);
alter table plans add column max_profiles int not null default 1 check (max_profiles between 1 and 20);
-- The payment provider's recurring price for this plan (Stripe price_...); made on first checkout when absent.
alter table plans add column provider_price_ref text;

-- Subscriptions: 'trialing' joins the states; cancellation at the period end is a flag on an active or trialing
-- subscription (the provider's model), not a state of its own.
alter table subscriptions drop constraint subscriptions_status_check;
alter table subscriptions add constraint subscriptions_status_check
    check (status in ('trialing', 'active', 'past_due', 'cancelled', 'expired'));
alter table subscriptions add column cancel_at_period_end boolean not null default false;
-- When the subscription fell past due: entitlements go on for billing.gracePeriod after it.
alter table subscriptions add column past_due_since timestamptz;
alter table subscriptions add column trial_end timestamptz;
-- The provider's time (event 'created') of the newest event applied: an older event arriving late never moves the
-- subscription backwards.
alter table subscriptions add column provider_event_at timestamptz;
create unique index subscriptions_provider_ref on subscriptions (provider, provider_ref) where provider_ref is not null;

-- The account's customer at the payment provider (Stripe cus_...), learnt from a completed checkout.
create table billing_customers (
    account_id    uuid primary key references accounts (id) on delete cascade,
    provider      text not null,
    customer_ref  text not null,
    created_at    timestamptz not null
);
create unique index billing_customers_ref on billing_customers (provider, customer_ref);

-- Discounts offered at checkout, managed by admins; the provider's coupon is made on first use.
create table promotion_codes (
    id                   uuid primary key,
    code                 text not null check (code ~ '^[A-Z0-9_-]{3,40}$'),
    percent_off          int check (percent_off between 1 and 100),
    amount_off_minor     bigint check (amount_off_minor > 0),
    currency             char(3) check (currency ~ '^[A-Z]{3}$'),
    duration             text not null check (duration in ('once', 'repeating', 'forever')),
    duration_months      int check (duration_months between 1 and 120),
    max_redemptions      int check (max_redemptions >= 1),
    times_redeemed       int not null default 0,
    expires_at           timestamptz,
    active               boolean not null default true,
    provider_coupon_ref  text,
    created_at           timestamptz not null,
    check ((percent_off is null) <> (amount_off_minor is null)),
    check ((amount_off_minor is null) = (currency is null)),
    check ((duration = 'repeating') = (duration_months is not null))
);
create unique index promotion_codes_code on promotion_codes (code);

-- Webhook events already handled, inserted in the transaction of their effect: each is applied exactly once.
create table billing_events (
    provider     text not null,
    event_id     text not null,
    type         text not null,
    created      timestamptz not null,
    received_at  timestamptz not null,
    primary key (provider, event_id)
);

-- Billing history: the provider's invoices, as its webhook events described them last.
create table invoices (
    id                 uuid primary key,
    account_id         uuid not null references accounts (id) on delete cascade,
    provider           text not null,
    provider_ref       text not null,
    number             text,
    status             text not null check (status in ('open', 'paid', 'uncollectible', 'void')),
    currency           char(3) not null,
    amount_due_minor   bigint not null,
    amount_paid_minor  bigint not null,
    description        text,
    period_start       timestamptz,
    period_end         timestamptz,
    issued_at          timestamptz not null,
    paid_at            timestamptz,
    provider_event_at  timestamptz not null,
    updated_at         timestamptz not null
);
create unique index invoices_provider_ref on invoices (provider, provider_ref);
create index invoices_account on invoices (account_id, issued_at desc, id desc);
