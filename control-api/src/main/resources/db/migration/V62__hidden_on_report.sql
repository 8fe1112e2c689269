-- A case whose content a trusted member's report hid at once (owner: moderation.ModerationStore): dismissing the
-- case brings the content back.
alter table moderation_cases add column hidden_on_report boolean not null default false;
