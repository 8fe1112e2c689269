-- Account hygiene (#17): e-mail changes confirmed from the new address, deletion with a grace period, erasure.

-- The address an e-mail change link confirms (purpose 'change-email'); null for the other purposes.
alter table one_time_tokens add column new_email text;

-- Deletion: asked for at deletion_requested_at, erased from deletion_due_at on (signing in before cancels it);
-- deleted_at marks the anonymous row that stays behind so public comments and posts keep an author ("deleted user").
alter table accounts add column deletion_requested_at timestamptz,
                     add column deletion_due_at timestamptz,
                     add column deleted_at timestamptz;
create index accounts_deletion_due on accounts (deletion_due_at) where deletion_due_at is not null;
