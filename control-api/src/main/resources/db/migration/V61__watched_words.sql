-- Watched words and moderation settings (owner: moderation.ModerationStore). A word either blocks a comment or post
-- outright or holds it for a moderator's approval; settings are data an admin changes at run time.
create table watched_words (
    word        text primary key,            -- lower-case; matched as a whole word, case-insensitively
    action      text not null check (action in ('block', 'hold')),
    created_at  timestamptz not null
);

create table moderation_settings (
    id                 int primary key default 1 check (id = 1),
    hold_first_posts   boolean not null default false
);
insert into moderation_settings (id) values (1);
