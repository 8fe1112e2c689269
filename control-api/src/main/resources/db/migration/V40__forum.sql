-- Forum (owner: forum.ForumStore): categories managed by admins, threads and posts, read positions, follows.
create table forum_categories (
    id           uuid primary key,
    slug         text not null unique,
    name         text not null,
    description  text not null default '',
    position     int not null default 0,
    created_at   timestamptz not null
);

create table forum_threads (
    id            uuid primary key,
    category_id   uuid not null references forum_categories (id) on delete cascade,
    subject       text not null,
    author_id     uuid references accounts (id) on delete set null,
    title_id      uuid references titles (id) on delete cascade,       -- a title's own discussion thread
    media_id      uuid references media_items (id) on delete cascade,  -- an episode's own discussion thread
    pinned        boolean not null default false,
    locked        boolean not null default false,
    post_count    int not null default 0 check (post_count >= 0),
    last_seq      bigint not null default 0,                           -- seq of the newest post
    last_post_at  timestamptz not null,
    created_at    timestamptz not null
);
create unique index forum_threads_title on forum_threads (title_id) where title_id is not null and media_id is null;
create unique index forum_threads_media on forum_threads (media_id) where media_id is not null;
create index forum_threads_listing on forum_threads (category_id, pinned desc, last_post_at desc, id desc);

create table forum_posts (
    id          uuid primary key,
    thread_id   uuid not null references forum_threads (id) on delete cascade,
    seq         bigint not null,                                       -- 1, 2, ... within the thread
    author_id   uuid references accounts (id) on delete set null,
    body        text not null,
    quote_id    uuid references forum_posts (id) on delete set null,
    state       text not null default 'visible' check (state in ('visible', 'held', 'hidden', 'deleted')),
    score       int not null default 0,
    created_at  timestamptz not null,
    edited_at   timestamptz,
    unique (thread_id, seq)
);
create index forum_posts_author on forum_posts (author_id, created_at desc);

create table forum_reads (
    account_id  uuid not null references accounts (id) on delete cascade,
    thread_id   uuid not null references forum_threads (id) on delete cascade,
    last_seq    bigint not null,
    primary key (account_id, thread_id)
);

create table forum_follows (
    account_id  uuid not null references accounts (id) on delete cascade,
    thread_id   uuid not null references forum_threads (id) on delete cascade,
    created_at  timestamptz not null,
    primary key (account_id, thread_id)
);
create index forum_follows_thread on forum_follows (thread_id);

-- the category that holds every title's and episode's own thread
insert into forum_categories (id, slug, name, description, position, created_at)
values ('00000000-0000-4000-8000-000000000001', 'titles', 'Titles and episodes',
        'One discussion thread per title and per episode', 0, now());

-- forum.manage: create, rename and delete forum categories (admins)
update roles set permissions = array_append(permissions, 'forum.manage')
 where name = 'admin' and not ('forum.manage' = any(permissions));
