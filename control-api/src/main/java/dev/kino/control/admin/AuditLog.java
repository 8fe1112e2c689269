package dev.kino.control.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.http.Json;
import dev.kino.control.http.Page;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The audit log of every admin and moderator action (owner of {@code audit_log}): who did what to which target,
 * the target before and after as the API showed it, and when. Features call {@link #record}; the routes that existed
 * before this log are recorded by {@link AuditHooks}, which wraps them. Rows are never changed or deleted by the API.
 *
 * <pre>{@code
 * audit.record(admin.accountId(), "plan.update", "plan", plan.id(), before, after);
 * }</pre>
 */
public final class AuditLog {
    /** Most rows one CSV export carries (the newest first); narrower filters export the rest. */
    public static final int EXPORT_LIMIT = 100_000;

    private final Jdbi jdbi;
    private final Clock clock;

    public AuditLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * One action.
     *
     * @param id sequence number (ties of {@code at} are ordered by it)
     * @param at when, ISO 8601
     * @param actorId who acted, or null once that account was erased (or for the system: scheduled publishing)
     * @param actorName the actor's username now, or null
     * @param action what, {@code <target>.<verb>} such as {@code user.ban}, {@code media.publish}
     * @param targetType {@code account}, {@code title}, {@code media}, {@code job}, {@code plan}, ...
     * @param targetId the target's id (a UUID, or a name for roles and watched words), or null
     * @param before the target before (JSON as the API shows it), or null when it did not exist or was not read
     * @param after the target after, or null when it no longer exists
     */
    public record Entry(long id, Instant at, UUID actorId, String actorName, String action, String targetType,
                        String targetId, JsonNode before, JsonNode after) {
    }

    /**
     * What to list; every field is optional.
     *
     * @param actor only this actor's actions
     * @param action only this action, or with a trailing {@code .*} every action of a target ({@code user.*})
     * @param from at or after this instant
     * @param to before this instant
     */
    public record Filter(UUID actor, String action, Instant from, Instant to) {
    }

    /** Records an action in its own transaction (after the action's has committed). */
    public void record(UUID actor, String action, String targetType, Object targetId, Object before, Object after) {
        jdbi.useHandle(h -> record(h, actor, action, targetType, targetId, before, after));
    }

    /** Records an action in the caller's transaction: it is logged exactly when the action commits. */
    public void record(Handle h, UUID actor, String action, String targetType, Object targetId, Object before,
                       Object after) {
        h.createUpdate("""
                        insert into audit_log (at, actor_id, action, target_type, target_id, before, after)
                        values (:at, :actor, :action, :type, :target, cast(:before as jsonb), cast(:after as jsonb))""")
                .bind("at", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).bind("actor", actor)
                .bind("action", action).bind("type", targetType)
                .bind("target", targetId == null ? null : targetId.toString())
                .bind("before", json(before)).bind("after", json(after)).execute();
    }

    private static String json(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return one page of the log, newest first */
    public Page<Entry> list(Filter f, Page.Cursor c) {
        Instant afterAt = c.after() == null ? null : c.instant(0);
        long afterId = c.after() == null ? 0 : parseId(c.after().get(1));
        List<Entry> rows = query(f, afterAt, afterId, c.fetch());
        return Page.of(c, rows, e -> List.of(e.at().toString(), Long.toString(e.id())));
    }

    /** @return up to {@link #EXPORT_LIMIT} rows, newest first */
    public List<Entry> export(Filter f) {
        return query(f, null, 0, EXPORT_LIMIT);
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new dev.kino.control.BadRequestException("cursor is not one returned by this API");
        }
    }

    private List<Entry> query(Filter f, Instant afterAt, long afterId, int limit) {
        String action = f.action();
        boolean prefix = action != null && action.endsWith(".*");
        return jdbi.withHandle(h -> h.createQuery("""
                        select l.*, a.username from audit_log l left join accounts a on a.id = l.actor_id
                         where (cast(:actor as uuid) is null or l.actor_id = cast(:actor as uuid))
                           and (cast(:action as text) is null or l.action = cast(:action as text)
                                or (:prefix and starts_with(l.action, cast(:action as text))))
                           and (cast(:from as timestamptz) is null or l.at >= cast(:from as timestamptz))
                           and (cast(:to as timestamptz) is null or l.at < cast(:to as timestamptz))
                           and (cast(:afterAt as timestamptz) is null
                                or (l.at, l.id) < (cast(:afterAt as timestamptz), :afterId))
                         order by l.at desc, l.id desc limit :n""")
                .bind("actor", f.actor())
                .bind("action", action == null ? null : prefix ? action.substring(0, action.length() - 1) : action)
                .bind("prefix", prefix)
                .bind("from", f.from() == null ? null : Timestamp.from(f.from()))
                .bind("to", f.to() == null ? null : Timestamp.from(f.to()))
                .bind("afterAt", afterAt == null ? null : Timestamp.from(afterAt)).bind("afterId", afterId)
                .bind("n", limit)
                .map((rs, ctx) -> entry(rs)).list());
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getObject("actor_id", UUID.class),
                rs.getString("username"), rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                tree(rs.getString("before")), tree(rs.getString("after")));
    }

    private static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entries as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled),
     * with a header row; {@code before} and {@code after} are compact JSON. A field starting with {@code = + - @}
     * gets a leading {@code '} so a spreadsheet opening the export does not run it as a formula (OWASP CSV injection).
     */
    public static String csv(List<Entry> entries) {
        StringBuilder sb = new StringBuilder("id,at,actorId,actorName,action,targetType,targetId,before,after\r\n");
        for (Entry e : entries) {
            field(sb, Long.toString(e.id())).append(',');
            field(sb, e.at().toString()).append(',');
            field(sb, e.actorId() == null ? "" : e.actorId().toString()).append(',');
            field(sb, e.actorName() == null ? "" : e.actorName()).append(',');
            field(sb, e.action()).append(',');
            field(sb, e.targetType()).append(',');
            field(sb, e.targetId() == null ? "" : e.targetId()).append(',');
            field(sb, e.before() == null ? "" : e.before().toString()).append(',');
            field(sb, e.after() == null ? "" : e.after().toString()).append("\r\n");
        }
        return sb.toString();
    }

    private static StringBuilder field(StringBuilder sb, String value) {
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return sb.append('"').append(v.replace("\"", "\"\"")).append('"');
        }
        return sb.append(v);
    }
}
