-- Admin console (#16): the audit log of admin and moderator actions, scheduled publishing, and the permission to read
-- the audit log.

-- One row per admin or moderator action that changed something (owner: admin.AuditLog). before/after are the
-- target's JSON as the API showed it (null when it did not exist before or no longer exists after).
create table audit_log (
    id           bigserial primary key,
    at           timestamptz not null,
    -- null once the acting account is erased (the row stays: the log outlives its actors), or for the system itself
    actor_id     uuid references accounts (id) on delete set null,
    action       text not null,
    target_type  text not null,
    target_id    text,
    before       jsonb,
    after        jsonb
);
create index audit_log_recent on audit_log (at desc, id desc);
create index audit_log_actor on audit_log (actor_id, at desc, id desc);
create index audit_log_action on audit_log (action, at desc, id desc);

-- Scheduled publishing: a media item publishes itself at publish_at once packaged (owner: admin.ScheduledPublishing).
alter table media_items add column publish_at timestamptz;
create index media_items_publish_due on media_items (publish_at) where publish_at is not null;

-- audit.read: read and export the audit log. Administrators get it; custom roles may be given it.
update roles set permissions = array_append(permissions, 'audit.read')
 where name = 'admin' and not ('audit.read' = any(permissions));
