-- A thread whose opening post is held for review (owner: forum.ForumStore): listed and readable by its author and
-- moderators only, subject included, until a moderator approves the post.
alter table forum_threads add column held boolean not null default false;
