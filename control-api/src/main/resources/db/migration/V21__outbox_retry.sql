-- Outbox retries with back-off: a mail that failed waits until next_attempt_at; one that keeps failing
-- until its links are dead (or that the provider refuses for good) is given up: failed_at set, body cleared.
alter table outbox add column next_attempt_at timestamptz;
alter table outbox add column failed_at timestamptz;
update outbox set next_attempt_at = created_at;
alter table outbox alter column next_attempt_at set not null;
drop index outbox_pending;
create index outbox_pending on outbox (next_attempt_at, id) where sent_at is null and failed_at is null;
