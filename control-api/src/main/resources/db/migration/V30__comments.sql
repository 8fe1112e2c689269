-- Comments on titles and media items (owner: comments.CommentStore). A thread is a top-level comment and its
-- replies (parent_id = the top-level comment); a reply may quote any comment of the same thread.
create table comments (
    id           uuid primary key,
    title_id     uuid not null references titles (id) on delete cascade,
    media_id     uuid references media_items (id) on delete cascade,       -- null: on the title itself
    parent_id    uuid references comments (id) on delete cascade,          -- null: top-level
    quote_id     uuid references comments (id) on delete set null,
    author_id    uuid references accounts (id) on delete set null,
    body         text not null,
    spoiler      boolean not null default false,
    state        text not null default 'visible' check (state in ('visible', 'held', 'hidden', 'deleted')),
    reply_count  int not null default 0 check (reply_count >= 0),
    score        int not null default 0,                                   -- likes - dislikes
    hot          double precision not null,                                -- the "top" order, see CommentStore.hot
    created_at   timestamptz not null,
    edited_at    timestamptz,
    deleted_at   timestamptz
);
-- first pages of a title's or an episode's top-level comments, newest and top
create index comments_title_new on comments (title_id, created_at desc, id desc) where parent_id is null and media_id is null;
create index comments_title_top on comments (title_id, hot desc, id desc) where parent_id is null and media_id is null;
create index comments_media_new on comments (media_id, created_at desc, id desc) where parent_id is null and media_id is not null;
create index comments_media_top on comments (media_id, hot desc, id desc) where parent_id is null and media_id is not null;
create index comments_replies on comments (parent_id, created_at, id) where parent_id is not null;
create index comments_author on comments (author_id, created_at desc);

-- earlier versions of edited comments, for moderators
create table comment_revisions (
    comment_id  uuid not null references comments (id) on delete cascade,
    revision    int not null,
    body        text not null,
    spoiler     boolean not null,
    replaced_at timestamptz not null,
    replaced_by uuid references accounts (id) on delete set null,
    primary key (comment_id, revision)
);

-- @username references, for notifications
create table comment_mentions (
    comment_id  uuid not null references comments (id) on delete cascade,
    account_id  uuid not null references accounts (id) on delete cascade,
    primary key (comment_id, account_id)
);
create index comment_mentions_account on comment_mentions (account_id);

-- visible comments per title (media_id null = the title's own) and per media item, kept in step
create table comment_counts (
    target_type text not null check (target_type in ('title', 'media')),
    target_id   uuid not null,
    count       int not null default 0 check (count >= 0),
    primary key (target_type, target_id)
);
