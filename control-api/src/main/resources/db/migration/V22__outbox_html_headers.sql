-- Mails with their own HTML part and extra headers (notification digests: List-Unsubscribe, RFC 8058).
alter table outbox add column html text;
alter table outbox add column headers jsonb;
