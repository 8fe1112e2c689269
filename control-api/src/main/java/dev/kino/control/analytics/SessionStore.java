package dev.kino.control.analytics;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Owns {@code analytics_sessions}, {@code analytics_hourly} and {@code analytics_daily_viewers}: the only class with
 * SQL on them.
 */
final class SessionStore {
    private final Jdbi jdbi;

    SessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A playback session as analytics binds events to it.
     *
     * @param accountId the holder's account, null for a guest
     * @param durationSeconds the item's duration at grant time, or null
     */
    record Session(UUID sessionId, UUID accountId, UUID viewerKey, UUID mediaId, UUID titleId, Integer durationSeconds,
                   Instant startedAt, Instant expiresAt, long eventsVersion, Instant lastReceivedAt) {
        static Session of(ResultSet rs) throws SQLException {
            int d = rs.getInt("duration_seconds");
            Integer duration = rs.wasNull() ? null : d;
            Timestamp received = rs.getTimestamp("last_received_at");
            return new Session(rs.getObject("session_id", UUID.class), rs.getObject("account_id", UUID.class),
                    rs.getObject("viewer_key", UUID.class), rs.getObject("media_id", UUID.class),
                    rs.getObject("title_id", UUID.class), duration, rs.getTimestamp("started_at").toInstant(),
                    rs.getTimestamp("expires_at").toInstant(), rs.getLong("events_version"),
                    received == null ? null : received.toInstant());
        }

        /** @return the most watch time the server's clock allows this session (see {@link SessionSummary}) */
        long maxWatchMs() {
            return lastReceivedAt == null ? 0 : Math.max(0, lastReceivedAt.toEpochMilli() - startedAt.toEpochMilli());
        }
    }

    void register(Session s) {
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into analytics_sessions (session_id, account_id, viewer_key, media_id, title_id,
                                                        duration_seconds, started_at, expires_at)
                        values (:session, :account, :viewer, :media, :title, :duration, :started, :expires)
                        on conflict (session_id) do nothing""")
                .bind("session", s.sessionId()).bind("account", s.accountId()).bind("viewer", s.viewerKey())
                .bind("media", s.mediaId()).bind("title", s.titleId()).bind("duration", s.durationSeconds())
                .bind("started", Timestamp.from(s.startedAt())).bind("expires", Timestamp.from(s.expiresAt()))
                .execute());
    }

    /** @return the sessions of these ids that exist, by id */
    Map<UUID, Session> find(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Session> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("select * from analytics_sessions where session_id = any(:ids)")
                .bindArray("ids", UUID.class, ids.toArray(UUID[]::new)).map((rs, ctx) -> Session.of(rs))
                .forEach(s -> out.put(s.sessionId(), s)));
        return out;
    }

    /** What a written batch tells about one of its sessions. */
    record Touch(Instant latestAt, Instant latestReceived, String clientNet, String deviceClass) {
        Touch merge(Touch o) {
            return new Touch(latestAt.isAfter(o.latestAt) ? latestAt : o.latestAt,
                    latestReceived.isAfter(o.latestReceived) ? latestReceived : o.latestReceived,
                    clientNet != null ? clientNet : o.clientNet, deviceClass != null ? deviceClass : o.deviceClass);
        }
    }

    /**
     * Marks sessions as having new events (the rollup job summarises them again) and remembers their latest event
     * time (client and server clock), the client's truncated network and its device class.
     */
    void touched(Map<UUID, Touch> touches) {
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("""
                    update analytics_sessions set events_version = events_version + 1,
                           last_event_at = greatest(last_event_at, :latest),
                           last_received_at = greatest(last_received_at, :received),
                           -- a guest is one viewer per network and device class, not per session: a script that
                           -- opens session after session from one place counts as one viewer, once an hour
                           viewer_key = case when account_id is null and client_net is null and :net is not null
                                        then md5('guest|' || :net || '|' || coalesce(:device, ''))::uuid
                                        else viewer_key end,
                           client_net = coalesce(client_net, :net),
                           device_class = coalesce(device_class, :device)
                     where session_id = :s""");
            touches.forEach((s, t) -> batch.bind("s", s).bind("latest", Timestamp.from(t.latestAt()))
                    .bind("received", Timestamp.from(t.latestReceived())).bind("net", t.clientNet())
                    .bind("device", t.deviceClass()).add());
            batch.execute();
        });
    }

    /** @return up to {@code limit} sessions with events not yet summarised */
    List<Session> dirty(Handle h, int limit) {
        return h.createQuery("""
                        select * from analytics_sessions where events_version > summarized_version
                         order by session_id limit :n for update skip locked""")
                .bind("n", limit).map((rs, ctx) -> Session.of(rs)).list();
    }

    /** @return the hour a session was rolled up into before, or null */
    Instant rollupHour(Handle h, UUID session) {
        Timestamp t = h.createQuery("select rollup_hour from analytics_sessions where session_id = :s")
                .bind("s", session).mapTo(Timestamp.class).findOne().orElse(null);
        return t == null ? null : t.toInstant();
    }

    void saveSummary(Handle h, Session s, SessionSummary sum) {
        h.createUpdate("""
                        update analytics_sessions set summarized_version = :v, watch_ms = :watch, qualified_at = :q,
                               completed = :c, covered = :covered, rollup_hour = :hour, started = :started,
                               startup_ms = :startup, stall_ms = :stall, stalls = :stalls, switches = :switches,
                               errored = :errored, first_rendition = :first, renditions = cast(:renditions as jsonb)
                         where session_id = :s""")
                .bind("started", sum.qoe().started()).bind("startup", sum.qoe().startupMs())
                .bind("stall", sum.qoe().stallMs()).bind("stalls", sum.qoe().stalls())
                .bind("switches", sum.qoe().switches()).bind("errored", sum.qoe().errored())
                .bind("first", sum.qoe().firstRendition()).bind("renditions", json(sum.qoe().renditions()))
                .bind("v", s.eventsVersion()).bind("watch", sum.watchMs())
                .bind("q", sum.qualifiedAt() == null ? null : Timestamp.from(sum.qualifiedAt()))
                .bind("c", sum.completed()).bind("covered", sum.covered().toByteArray())
                .bind("hour", sum.rollupHour() == null ? null : Timestamp.from(sum.rollupHour()))
                .bind("s", s.sessionId()).execute();
        if (sum.qualifiedAt() != null) {
            h.createUpdate("""
                            insert into analytics_daily_viewers (day, title_id, viewer_key, account_id)
                            values ((:q at time zone 'UTC')::date, :title, :viewer, :account) on conflict do nothing""")
                    .bind("q", Timestamp.from(sum.qualifiedAt())).bind("title", s.titleId())
                    .bind("viewer", s.viewerKey()).bind("account", s.accountId()).execute();
        }
    }

    /** One summarised session of an hourly rollup cell. */
    record Summarised(UUID titleId, UUID viewerKey, long watchMs, boolean qualified, boolean completed, BitSet covered) {
    }

    /** @return the summarised sessions rolled up into {@code (hour, media)} */
    List<Summarised> summarised(Handle h, Instant hour, UUID media) {
        return h.createQuery("""
                        select title_id, viewer_key, watch_ms, qualified_at is not null as q, completed, covered
                          from analytics_sessions where rollup_hour = :hour and media_id = :m""")
                .bind("hour", Timestamp.from(hour)).bind("m", media)
                .map((rs, ctx) -> {
                    byte[] bits = rs.getBytes("covered");
                    return new Summarised(rs.getObject("title_id", UUID.class), rs.getObject("viewer_key", UUID.class),
                            rs.getLong("watch_ms"), rs.getBoolean("q"), rs.getBoolean("completed"),
                            bits == null ? new BitSet() : BitSet.valueOf(bits));
                }).list();
    }

    /** One summarised session's quality-of-experience figures, for the QoE rollup. */
    record SummarisedQoe(UUID titleId, String deviceClass, boolean started, Integer startupMs, int switches,
                         boolean errored, String firstRendition, Map<String, SessionSummary.RenditionTime> renditions) {
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, SessionSummary.RenditionTime>>
            RENDITIONS = new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    /** @return the QoE figures of the sessions rolled up into {@code (hour, media)} */
    List<SummarisedQoe> summarisedQoe(Handle h, Instant hour, UUID media) {
        return h.createQuery("""
                        select title_id, coalesce(device_class, 'other') as device_class, started, startup_ms,
                               switches, errored, coalesce(first_rendition, '') as first_rendition,
                               renditions::text as renditions
                          from analytics_sessions where rollup_hour = :hour and media_id = :m""")
                .bind("hour", Timestamp.from(hour)).bind("m", media)
                .map((rs, ctx) -> {
                    int st = rs.getInt("startup_ms");
                    Integer startup = rs.wasNull() ? null : st;
                    String r = rs.getString("renditions");
                    Map<String, SessionSummary.RenditionTime> renditions;
                    try {
                        renditions = r == null ? Map.of() : dev.kino.control.http.Json.MAPPER.readValue(r, RENDITIONS);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException("analytics_sessions.renditions is not JSON", e);
                    }
                    return new SummarisedQoe(rs.getObject("title_id", UUID.class), rs.getString("device_class"),
                            rs.getBoolean("started"), startup, rs.getInt("switches"), rs.getBoolean("errored"),
                            rs.getString("first_rendition"), renditions);
                }).list();
    }

    /** One row of {@code analytics_qoe_hourly}. */
    record QoeCell(String deviceClass, String rendition, int sessions, int errors, int switches, int[] startupHist,
                   long watchMs, long stallMs, int stalls, double bitrateKbpsMs, long bitrateMs) {
    }

    /** Replaces the QoE rollup rows of {@code (hour, media)}. */
    void saveQoe(Handle h, Instant hour, UUID media, UUID title, List<QoeCell> cells) {
        h.createUpdate("delete from analytics_qoe_hourly where hour = :h and media_id = :m")
                .bind("h", Timestamp.from(hour)).bind("m", media).execute();
        if (cells.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("""
                insert into analytics_qoe_hourly (hour, media_id, title_id, device_class, rendition, sessions, errors,
                                                  switches, startup_hist, watch_ms, stall_ms, stalls, bitrate_kbps_ms,
                                                  bitrate_ms)
                values (:h, :m, :t, :d, :r, :sessions, :errors, :switches, :hist, :watch, :stall, :stalls, :kbps,
                        :kbpsMs)""");
        for (QoeCell c : cells) {
            Integer[] hist = new Integer[c.startupHist().length];
            for (int i = 0; i < hist.length; i++) {
                hist[i] = c.startupHist()[i];
            }
            batch.bind("h", Timestamp.from(hour)).bind("m", media).bind("t", title).bind("d", c.deviceClass())
                    .bind("r", c.rendition()).bind("sessions", c.sessions()).bind("errors", c.errors())
                    .bind("switches", c.switches()).bindArray("hist", Integer.class, (Object[]) hist)
                    .bind("watch", c.watchMs()).bind("stall", c.stallMs()).bind("stalls", c.stalls())
                    .bind("kbps", c.bitrateKbpsMs()).bind("kbpsMs", c.bitrateMs()).add();
        }
        batch.execute();
    }

    private static String json(Object o) {
        try {
            return dev.kino.control.http.Json.MAPPER.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces the hourly rollup of {@code (hour, media)}; with no sessions left, removes it.
     *
     * @param retention qualified sessions that played each bucket
     */
    void saveHourly(Handle h, Instant hour, UUID media, UUID title, int plays, int views, int qualified,
                    int completions, long watchMs, int[] retention) {
        if (plays == 0) {
            h.createUpdate("delete from analytics_hourly where hour = :h and media_id = :m")
                    .bind("h", Timestamp.from(hour)).bind("m", media).execute();
            return;
        }
        Integer[] boxed = new Integer[retention.length];
        for (int i = 0; i < retention.length; i++) {
            boxed[i] = retention[i];
        }
        h.createUpdate("""
                        insert into analytics_hourly (hour, media_id, title_id, plays, views, qualified, completions,
                                                      watch_ms, retention)
                        values (:h, :m, :t, :plays, :views, :q, :c, :w, :r)
                        on conflict (hour, media_id) do update set plays = excluded.plays, views = excluded.views,
                            qualified = excluded.qualified, completions = excluded.completions,
                            watch_ms = excluded.watch_ms, retention = excluded.retention""")
                .bind("h", Timestamp.from(hour)).bind("m", media).bind("t", title).bind("plays", plays)
                .bind("views", views).bind("q", qualified).bind("c", completions).bind("w", watchMs)
                .bindArray("r", Integer.class, (Object[]) boxed).execute();
    }

    /** Retention: forgets per-session rows of sessions that ended before {@code cutoff} (their rollups stay). */
    int expire(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("delete from analytics_sessions where expires_at < :c")
                .bind("c", Timestamp.from(cutoff)).execute());
    }

    /** @return the session ids of an account */
    List<UUID> sessionsOf(UUID account) {
        return jdbi.withHandle(h -> h.createQuery("select session_id from analytics_sessions where account_id = :a")
                .bind("a", account).mapTo(UUID.class).list());
    }

    /** @return the account's sessions as the data export shows them */
    List<AnalyticsTypes.ViewingSession> exportOf(UUID account) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select session_id, media_id, title_id, started_at, client_net, device_class, watch_ms,
                               qualified_at, completed
                          from analytics_sessions where account_id = :a order by started_at""")
                .bind("a", account)
                .map((rs, ctx) -> {
                    Timestamp q = rs.getTimestamp("qualified_at");
                    return new AnalyticsTypes.ViewingSession(rs.getObject("session_id", UUID.class),
                            rs.getObject("media_id", UUID.class), rs.getObject("title_id", UUID.class),
                            rs.getTimestamp("started_at").toInstant(), rs.getString("client_net"),
                            rs.getString("device_class"), rs.getLong("watch_ms") / 1000,
                            q == null ? null : q.toInstant(), rs.getBoolean("completed"));
                }).list());
    }

    /** Forgets everything analytics holds about an account: sessions and the days it viewed titles. */
    void deleteAccount(UUID account) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from analytics_daily_viewers where account_id = :a or viewer_key = :a")
                    .bind("a", account).execute();
            h.createUpdate("delete from analytics_sessions where account_id = :a").bind("a", account).execute();
        });
    }

    /** A session that may hold a stream now. */
    record Live(UUID sessionId, UUID accountId, Instant lastReceivedAt) {
    }

    /** @return sessions not yet expired at {@code now} */
    List<Live> live(Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select session_id, account_id, last_received_at from analytics_sessions
                         where expires_at > :now and started_at <= :now""")
                .bind("now", Timestamp.from(now))
                .map((rs, ctx) -> {
                    // the server's clock: a player's own clock may be off
                    Timestamp t = rs.getTimestamp("last_received_at");
                    return new Live(rs.getObject("session_id", UUID.class), rs.getObject("account_id", UUID.class),
                            t == null ? null : t.toInstant());
                }).list());
    }
}
