-- Time indexes for the engagement and subscription reports (issue 16). Those reports count each feature's rows by
-- creation time over a range and per period, and find the active accounts by time; without an index on the time
-- every one of those counts read its whole table (AnalyticsBenchmark in control-api/BENCHMARK.md: the engagement
-- report of 90 days by day took seconds over a catalogue's worth of rows). The included account column lets the
-- active-user queries (EngagementReports.ACTIVITY) read the index alone.
create index comments_created on comments (created_at) include (author_id);
create index reactions_created on reactions (created_at) include (account_id);
create index ratings_created on ratings (created_at) include (account_id);
create index watchlist_entries_added on watchlist_entries (added_at) include (account_id);
create index follows_created on follows (created_at) include (account_id);
create index accounts_created on accounts (created_at);
-- playback sessions of accounts by start: the "watched something" part of being active
create index analytics_sessions_started on analytics_sessions (started_at) include (account_id)
    where account_id is not null;
-- revenue: paid invoices by payment time
create index invoices_paid on invoices (paid_at) include (currency, amount_paid_minor) where status = 'paid';
