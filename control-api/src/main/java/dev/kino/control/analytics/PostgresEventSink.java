package dev.kino.control.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.kino.control.http.Json;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link EventSink} on PostgreSQL: {@code playback_events}, declaratively partitioned by range of {@code at},
 * one partition per UTC day named {@code playback_events_yyyymmdd}. Inserts are multi-row batches with
 * {@code on conflict do nothing} on the primary key {@code (event_id, at)}; a partition is created before the first
 * write into its day (and ahead by the rollup job), so no event ever lands in a missing partition, and retention
 * drops whole partitions rather than deleting rows.
 */
public final class PostgresEventSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEventSink.class);
    private static final String PREFIX = "playback_events_";
    private static final Pattern PARTITION = Pattern.compile(PREFIX + "(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final Clock clock;
    /** Day partitions known to exist, so a write checks the catalogue only for a new day. */
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    public PostgresEventSink(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void write(List<PlaybackEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        TreeSet<LocalDate> days = new TreeSet<>();
        events.forEach(e -> days.add(day(e.at())));
        days.forEach(this::ensurePartition);
        Timestamp received = Timestamp.from(clock.instant());
        jdbi.useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("""
                    insert into playback_events (event_id, at, session_id, media_id, type, position, rendition, detail,
                                                 received_at)
                    values (:id, :at, :session, :media, :type, :position, :rendition, cast(:detail as jsonb), :received)
                    on conflict do nothing""");
            for (PlaybackEvent e : events) {
                batch.bind("id", e.id()).bind("at", Timestamp.from(e.at())).bind("session", e.sessionId())
                        .bind("media", e.mediaId()).bind("type", e.type().wire()).bind("position", e.position())
                        .bind("rendition", e.rendition()).bind("detail", e.detail().isEmpty() ? null : json(e.detail()))
                        .bind("received", received).add();
            }
            batch.execute();
        });
    }

    @Override
    public Map<UUID, List<PlaybackEvent>> eventsOf(Collection<UUID> sessions) {
        if (sessions.isEmpty()) {
            return Map.of();
        }
        Map<UUID, List<PlaybackEvent>> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        select event_id, type, media_id, session_id, at, position, rendition, detail::text as detail
                          from playback_events where session_id = any(:s)""")
                .bindArray("s", UUID.class, sessions.toArray(UUID[]::new))
                .map((rs, ctx) -> new PlaybackEvent(rs.getObject("event_id", UUID.class),
                        EventType.of(rs.getString("type")).orElseThrow(), rs.getObject("media_id", UUID.class),
                        rs.getObject("session_id", UUID.class), rs.getTimestamp("at").toInstant(), rs.getDouble("position"),
                        rs.getString("rendition"), detail(rs.getString("detail"))))
                .forEach(e -> out.computeIfAbsent(e.sessionId(), k -> new java.util.ArrayList<>()).add(e)));
        return out;
    }

    @Override
    public void prepare(Instant from, Instant to) {
        for (LocalDate d = day(from); d.isBefore(day(to)) || d.equals(day(to)); d = d.plusDays(1)) {
            ensurePartition(d);
        }
    }

    @Override
    public int dropBefore(Instant cutoff) {
        LocalDate cutoffDay = day(cutoff);
        List<String> partitions = jdbi.withHandle(h -> h.createQuery("""
                        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                         where i.inhparent = 'playback_events'::regclass""").mapTo(String.class).list());
        int dropped = 0;
        for (String name : partitions) {
            Matcher m = PARTITION.matcher(name);
            // a partition holds [day, day + 1): it goes once all of it is older than the cutoff
            if (m.matches() && !LocalDate.parse(m.group(1), DAY).plusDays(1).isAfter(cutoffDay)) {
                jdbi.useHandle(h -> h.execute("drop table if exists " + name));
                known.remove(LocalDate.parse(m.group(1), DAY));
                dropped++;
                LOG.info("analytics: dropped raw event partition {} (older than {})", name, cutoff);
            }
        }
        return dropped;
    }

    @Override
    public void delete(Collection<UUID> sessions) {
        if (!sessions.isEmpty()) {
            jdbi.useHandle(h -> h.createUpdate("delete from playback_events where session_id = any(:s)")
                    .bindArray("s", UUID.class, sessions.toArray(UUID[]::new)).execute());
        }
    }

    private void ensurePartition(LocalDate day) {
        if (known.contains(day)) {
            return;
        }
        String name = PREFIX + DAY.format(day);
        // The bounds are literal timestamps with an explicit UTC offset, so the session's time zone cannot move them.
        String sql = "create table if not exists " + name + " partition of playback_events for values from ('"
                + day + " 00:00:00+00') to ('" + day.plusDays(1) + " 00:00:00+00')";
        try {
            jdbi.useHandle(h -> h.execute(sql));
        } catch (RuntimeException e) {
            // two nodes creating the same day at once: one wins, the other's "already exists" is harmless
            if (!exists(name)) {
                throw e;
            }
        }
        known.add(day);
    }

    private boolean exists(String table) {
        return jdbi.withHandle(h -> h.createQuery("select to_regclass(:t) is not null").bind("t", table)
                .mapTo(Boolean.class).one());
    }

    static LocalDate day(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    private static String json(Map<String, Object> detail) {
        try {
            return Json.MAPPER.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event detail is not serialisable", e);
        }
    }

    private static Map<String, Object> detail(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, DETAIL);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /** @return the handle-free name of a day's partition (tests) */
    static String partitionName(LocalDate day) {
        return PREFIX + DAY.format(day);
    }
}
