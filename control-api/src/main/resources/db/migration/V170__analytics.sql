-- Viewing analytics (issue 16): playback sessions as analytics sees them, raw playback events partitioned by day,
-- and the aggregates the rollup job keeps after the raw events age out.

-- One row per playback session that POST /api/v1/playback granted: the binding that lets only the session's holder
-- report events for it, plus the per-session summary the rollup job computes from the raw events.
create table analytics_sessions (
    session_id          uuid primary key,
    account_id          uuid references accounts (id) on delete cascade,   -- null: a guest
    viewer_key          uuid not null,            -- views dedup: the account id; for a guest md5 of its network and
                                                   -- device class once known (else the session id)
    media_id            uuid not null references media_items (id) on delete cascade,
    title_id            uuid not null,
    duration_seconds    integer,                   -- the item's duration at grant time, null when unknown
    started_at          timestamptz not null,
    expires_at          timestamptz not null,
    client_net          text,                      -- truncated client address (/24 or /48), never the full address
    device_class        text,                      -- coarse, from the User-Agent: desktop, mobile, tablet, tv, other
    last_event_at       timestamptz,               -- latest event time ('at', the client's clock) received
    last_received_at    timestamptz,               -- when (server clock) the latest event was received: watch time
                                                   -- cannot exceed the time from started_at to this
    events_version      bigint not null default 0, -- bumped by every flush with events of this session
    summarized_version  bigint not null default 0, -- events_version the summary below was computed from
    watch_ms            bigint not null default 0,
    qualified_at        timestamptz,               -- when playback reached the view threshold; null: no view
    completed           boolean not null default false,
    covered             bytea,                     -- java.util.BitSet of the 1 % buckets played (0..99)
    rollup_hour         timestamptz,               -- the hourly rollup row this session counts in
    -- quality of experience, from the same events
    started             boolean not null default false, -- a 'start' event (first frame) was reported
    startup_ms          integer,                   -- the player's time to first frame ('startupMs' of 'start')
    stall_ms            bigint not null default 0, -- rebuffering time after the first frame
    stalls              integer not null default 0,
    switches            integer not null default 0,
    errored             boolean not null default false,
    first_rendition     text,
    renditions          jsonb                      -- per rendition: watchMs, stallMs, stalls, bitrateKbpsMs, bitrateMs
);
create index analytics_sessions_account on analytics_sessions (account_id) where account_id is not null;
create index analytics_sessions_expires on analytics_sessions (expires_at);
create index analytics_sessions_dirty on analytics_sessions (session_id) where events_version > summarized_version;
create index analytics_sessions_rollup on analytics_sessions (rollup_hour, media_id);

-- Raw events, one partition per UTC day (playback_events_yyyymmdd), created ahead by the rollup job and on demand
-- by the writer; old partitions are dropped whole (analytics retention). The primary key has to contain the
-- partition key, so idempotency is per (event id, time): a replayed event is the same pair and is ignored.
create table playback_events (
    event_id     uuid not null,
    at           timestamptz not null,
    session_id   uuid not null references analytics_sessions (session_id) on delete cascade,
    media_id     uuid not null,
    type         text not null,
    position     double precision,                -- seconds from the start of the item
    rendition    text,
    detail       jsonb,
    received_at  timestamptz not null,
    primary key (event_id, at)
) partition by range (at);
create index playback_events_session on playback_events (session_id, at);

-- Hourly aggregates per media item; kept for ever (they hold no viewer).
create table analytics_hourly (
    hour         timestamptz not null,
    media_id     uuid not null,
    title_id     uuid not null,
    plays        integer not null,   -- sessions that reported any playback
    views        integer not null,   -- qualified plays, once per viewer and item in the hour
    qualified    integer not null,   -- sessions past the view threshold (denominator of completion and retention)
    completions  integer not null,   -- qualified sessions that played through 90 % of the item
    watch_ms     bigint not null,    -- playing time, stalls and pauses excluded
    retention    integer[] not null, -- qualified sessions that played each 1 % bucket (100 entries)
    primary key (hour, media_id)
);
create index analytics_hourly_title on analytics_hourly (title_id, hour);

-- Quality of experience per hour, media item, device class and rendition; kept for ever. Time figures (watch, stall,
-- bitrate) are split by the rendition playing; session figures (sessions, startup, errors, switches) count in the
-- rendition the session started with.
create table analytics_qoe_hourly (
    hour             timestamptz not null,
    media_id         uuid not null,
    title_id         uuid not null,
    device_class     text not null,
    rendition        text not null,            -- '' when the player named none
    sessions         integer not null,         -- sessions that reached a first frame
    errors           integer not null,         -- of those, sessions with a fatal error
    switches         integer not null,
    startup_hist     integer[] not null,       -- startup times in the buckets of QoeFigures.STARTUP_BOUNDS_MS
    watch_ms         bigint not null,
    stall_ms         bigint not null,
    stalls           integer not null,
    bitrate_kbps_ms  double precision not null, -- sum of bitrate (kbit/s) x playing ms where the bitrate is known
    bitrate_ms       bigint not null,           -- playing ms with a known bitrate
    primary key (hour, media_id, device_class, rendition)
);
create index analytics_qoe_hourly_title on analytics_qoe_hourly (title_id, hour);

-- Who viewed what on which UTC day: unique viewers by day, week and month cannot be summed from daily counts.
-- Deleted with the account (account_id); a guest's viewer key is a random session id.
create table analytics_daily_viewers (
    day         date not null,
    title_id    uuid not null,
    viewer_key  uuid not null,
    account_id  uuid references accounts (id) on delete cascade,
    primary key (day, title_id, viewer_key)
);
create index analytics_daily_viewers_account on analytics_daily_viewers (account_id) where account_id is not null;

-- analytics.read: the viewing reports under /api/v1/admin/analytics. Admins get it; custom roles may be given it.
update roles set permissions = array_append(permissions, 'analytics.read')
 where name = 'admin' and not ('analytics.read' = any(permissions));
