-- Roles (built-in and custom, each a set of named permissions), role assignments and bans.

create table roles (
    name         text primary key,
    description  text not null default '',
    permissions  text[] not null default '{}',
    builtin      boolean not null default false,
    created_at   timestamptz not null default now()
);

insert into roles (name, description, permissions, builtin) values
    ('guest', 'Anyone not signed in', '{catalog.read}', true),
    ('user', 'Every signed-in account', '{catalog.read,comments.write}', true),
    ('moderator', 'Moderates comments and users', '{catalog.read,comments.write,comments.moderate,users.read,users.ban}', true),
    ('admin', 'Everything', '{catalog.read,catalog.write,comments.write,comments.moderate,users.read,users.ban,roles.manage}', true);

create table account_roles (
    account_id  uuid not null references accounts (id) on delete cascade,
    role_name   text not null references roles (name) on delete cascade,
    primary key (account_id, role_name)
);

create table bans (
    id          uuid primary key,
    account_id  uuid not null references accounts (id) on delete cascade,
    reason      text not null,
    created_by  uuid references accounts (id) on delete set null,
    created_at  timestamptz not null,
    expires_at  timestamptz,
    lifted_at   timestamptz
);
create index bans_account on bans (account_id) where lifted_at is null;
