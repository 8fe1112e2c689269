-- Whether a plan allows offline viewing: only then does the origin answer ClearKey persistent-license requests
-- (the playback token carries it). The origin now enforces max_resolution as well (the token carries the cap).
alter table plans add column offline boolean not null default false;
