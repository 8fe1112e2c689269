-- Reports and the moderation queue (owner: moderation.ModerationStore). Every report belongs to a case: one open
-- case per reported object, so several reports on one comment make one queue entry. Every moderator action is a
-- row of the audit log.
create table moderation_cases (
    id                 uuid primary key,
    target_type        text not null check (target_type in ('comment', 'post', 'user', 'title')),
    target_id          uuid not null,
    status             text not null default 'open' check (status in ('open', 'actioned', 'dismissed')),
    report_count       int not null default 0,
    first_reported_at  timestamptz not null,
    last_reported_at   timestamptz not null,
    resolved_at        timestamptz,
    resolved_by        uuid references accounts (id) on delete set null
);
create unique index moderation_cases_open on moderation_cases (target_type, target_id) where status = 'open';
create index moderation_cases_queue on moderation_cases (status, last_reported_at desc, id desc);

create table reports (
    id           uuid primary key,
    case_id      uuid not null references moderation_cases (id) on delete cascade,
    reporter_id  uuid references accounts (id) on delete set null,
    reason       text not null check (reason in ('spam', 'abuse', 'spoiler', 'illegal', 'other')),
    note         text,
    created_at   timestamptz not null
);
-- one report per reporter per case
create unique index reports_once on reports (case_id, reporter_id);

create table moderation_actions (
    id            uuid primary key,
    case_id       uuid references moderation_cases (id) on delete set null,
    moderator_id  uuid references accounts (id) on delete set null,
    action        text not null,
    target_type   text not null,
    target_id     uuid not null,
    reason        text not null,
    created_at    timestamptz not null
);
create index moderation_actions_recent on moderation_actions (created_at desc, id desc);
