package dev.kino.control.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.kino.control.http.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code notifications}, {@code notification_counters}, {@code notification_settings},
 * {@code notification_digests}, {@code follows} and {@code notification_fanouts}.
 */
public final class NotificationStore {
    private final Jdbi jdbi;

    public NotificationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A stored notification.
     *
     * @param id per account, increasing by one
     * @param emailState {@code none}, {@code pending} (waits for the digest) or {@code sent}
     */
    public record Row(UUID accountId, long id, NotificationType type, UUID actorId, String objectType, UUID objectId,
                      String groupKey, Map<String, Object> data, Instant createdAt, Instant readAt, String emailState,
                      boolean inApp) {
    }

    /**
     * Stores a notification with the account's next id, replacing an unread one of the same group. The account's
     * counter row stays locked until the caller's transaction ends, so ids commit in order.
     *
     * @param emailState {@code none}, {@code pending} or {@code sent}
     * @param inApp false to keep it only for the e-mail digest (not listed, not streamed)
     * @return the new id
     */
    long insert(Handle h, UUID account, Notice n, String emailState, boolean inApp, Instant now) {
        long id = h.createQuery("""
                        insert into notification_counters (account_id, last_id) values (:a, 1)
                        on conflict (account_id) do update set last_id = notification_counters.last_id + 1
                        returning last_id""")
                .bind("a", account).mapTo(Long.class).one();
        if (n.groupKey() != null) {
            h.createUpdate("delete from notifications where account_id = :a and group_key = :g and read_at is null")
                    .bind("a", account).bind("g", n.groupKey()).execute();
        }
        h.createUpdate("""
                        insert into notifications (account_id, id, type, actor_id, object_type, object_id, group_key,
                                                   data, created_at, email_state, in_app)
                        values (:a, :id, :t, :actor, :ot, :oid, :g, cast(:data as jsonb), :now, :email, :inApp)""")
                .bind("inApp", inApp)
                .bind("a", account).bind("id", id).bind("t", n.type().wire()).bind("actor", n.actorId())
                .bind("ot", n.objectType()).bind("oid", n.objectId()).bind("g", n.groupKey())
                .bind("data", json(n.data())).bind("now", Timestamp.from(now)).bind("email", emailState).execute();
        return id;
    }

    /**
     * Stores one notice for many accounts in three statements (a fan-out batch): each account's next id, the
     * superseded unread notice of the same group, the rows.
     *
     * @param inApp the accounts that see it in the app (the others only get it by e-mail)
     * @param emailState per account: {@code none} or {@code pending} (urgent notices never come here)
     * @return each account's new notification id
     */
    Map<UUID, Long> insertMany(Handle h, List<UUID> accounts, Notice n, Map<UUID, String> emailState,
                               java.util.Set<UUID> inApp, Instant now) {
        if (accounts.isEmpty()) {
            return Map.of();
        }
        UUID[] ids = accounts.toArray(UUID[]::new);
        Map<UUID, Long> next = new HashMap<>();
        h.createQuery("insert into notification_counters (account_id, last_id) select a, 1 from unnest(:a) a"
                        + " on conflict (account_id) do update set last_id = notification_counters.last_id + 1"
                        + " returning account_id, last_id")
                .bind("a", ids)
                .map((rs, ctx) -> next.put(rs.getObject(1, UUID.class), rs.getLong(2))).list();
        if (n.groupKey() != null) {
            h.createUpdate("delete from notifications where account_id = any(:a) and group_key = :g and read_at is null")
                    .bind("a", ids).bind("g", n.groupKey()).execute();
        }
        Long[] nid = new Long[ids.length];
        String[] email = new String[ids.length];
        Boolean[] app = new Boolean[ids.length];
        for (int i = 0; i < ids.length; i++) {
            nid[i] = next.get(ids[i]);
            email[i] = emailState.getOrDefault(ids[i], "none");
            app[i] = inApp.contains(ids[i]);
        }
        h.createUpdate("insert into notifications (account_id, id, type, actor_id, object_type, object_id, group_key,"
                        + " data, created_at, email_state, in_app)"
                        + " select r.a, r.id, :t, :actor, :ot, :oid, :g, cast(:data as jsonb), :now, r.email, r.in_app"
                        + " from unnest(:a, :id, :email, :inApp) as r(a, id, email, in_app)")
                .bind("a", ids).bind("id", nid).bind("email", email).bind("inApp", app)
                .bind("t", n.type().wire()).bind("actor", n.actorId())
                .bind("ot", n.objectType()).bind("oid", n.objectId()).bind("g", n.groupKey())
                .bind("data", json(n.data())).bind("now", Timestamp.from(now)).execute();
        return next;
    }

    /**
     * Notifications go to accounts, while settings are per viewer profile: an account gets a type on a channel when
     * any of its profiles wants it there (a profile that never chose counts with the type's default).
     *
     * @param byDefault the type's channels for a profile that never chose
     * @return the channels of one type for each of {@code accounts} (one query)
     */
    Map<UUID, Channels> settingsOf(List<UUID> accounts, NotificationType type, Channels byDefault) {
        if (accounts.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<UUID, Channels> out = new HashMap<>();
            h.createQuery("""
                            select p.account_id, bool_or(coalesce(s.in_app, :di)), bool_or(coalesce(s.email, :de))
                              from profiles p
                              left join notification_settings s on s.profile_id = p.id and s.type = :t
                             where p.account_id = any(:a) group by p.account_id""")
                    .bind("a", accounts.toArray(UUID[]::new)).bind("t", type.wire())
                    .bind("di", byDefault.inApp()).bind("de", byDefault.email())
                    .map((rs, ctx) -> out.put(rs.getObject(1, UUID.class), new Channels(rs.getBoolean(2), rs.getBoolean(3))))
                    .list();
            return out;
        });
    }

    /** @return the account's viewer profiles (an unsubscribe link from a mail acts on all of them) */
    List<UUID> profilesOf(UUID account) {
        return jdbi.withHandle(h -> h.createQuery("select id from profiles where account_id = :a order by created_at, id")
                .bind("a", account).mapTo(UUID.class).list());
    }

    /** @return whether the account has an unread notification of this group */
    boolean hasUnread(UUID account, String groupKey) {
        return jdbi.withHandle(h -> h.createQuery("select exists (select 1 from notifications where account_id = :a"
                        + " and group_key = :g and read_at is null)").bind("a", account).bind("g", groupKey)
                .mapTo(Boolean.class).one());
    }

    /**
     * @param beforeId only ids below it (the next page), or null for the newest
     * @return up to {@code limit} notifications, newest first
     */
    List<Row> list(UUID account, boolean unreadOnly, Long beforeId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select * from notifications where account_id = :a and in_app"
                        + (unreadOnly ? " and read_at is null" : "")
                        + (beforeId == null ? "" : " and id < :before") + " order by id desc limit :n")
                .bind("a", account).bind("before", beforeId).bind("n", limit)
                .map((rs, ctx) -> row(rs)).list());
    }

    /** @return up to {@code limit} notifications after {@code afterId}, oldest first (replay) */
    public List<Row> after(UUID account, long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select * from notifications where account_id = :a and id > :after"
                        + " order by id limit :n")
                .bind("a", account).bind("after", afterId).bind("n", limit).map((rs, ctx) -> row(rs)).list());
    }

    /**
     * @param after per account, the last id already had
     * @return per account, up to {@code perAccount} notifications after its id, oldest first (one query for all)
     */
    Map<UUID, List<Row>> afterMany(Map<UUID, Long> after, int perAccount) {
        if (after.isEmpty()) {
            return Map.of();
        }
        List<UUID> accounts = List.copyOf(after.keySet());
        Long[] from = accounts.stream().map(after::get).toArray(Long[]::new);
        return jdbi.withHandle(h -> {
            Map<UUID, List<Row>> out = new HashMap<>();
            h.createQuery("""
                            select n.* from unnest(:a, :f) as w(account_id, after_id)
                             cross join lateral (select * from notifications x where x.account_id = w.account_id
                                                    and x.id > w.after_id order by x.id limit :n) n
                             order by n.account_id, n.id""")
                    .bindArray("a", UUID.class, accounts.toArray()).bindArray("f", Long.class, (Object[]) from)
                    .bind("n", perAccount).map((rs, ctx) -> row(rs))
                    .forEach(r -> out.computeIfAbsent(r.accountId(), k -> new java.util.ArrayList<>()).add(r));
            return out;
        });
    }

    /** @return the newest id of each account that has one */
    Map<UUID, Long> lastIds(Collection<UUID> accounts) {
        if (accounts.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<UUID, Long> out = new HashMap<>();
            h.createQuery("select account_id, last_id from notification_counters where account_id = any(:a)")
                    .bindArray("a", UUID.class, accounts.toArray())
                    .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** @return the account's newest id, 0 when it has none */
    long lastId(UUID account) {
        return lastIds(List.of(account)).getOrDefault(account, 0L);
    }

    /** @return how many were marked read (those already read or not the account's are left alone) */
    int markRead(UUID account, List<Long> ids, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("update notifications set read_at = :now where account_id = :a"
                        + " and id = any(:ids) and read_at is null")
                .bind("now", Timestamp.from(now)).bind("a", account).bindArray("ids", Long.class, ids.toArray())
                .execute());
    }

    int markAllRead(UUID account, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("update notifications set read_at = :now where account_id = :a"
                + " and read_at is null").bind("now", Timestamp.from(now)).bind("a", account).execute());
    }

    int unreadCount(UUID account) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from notifications where account_id = :a"
                + " and in_app and read_at is null").bind("a", account).mapTo(Integer.class).one());
    }

    // ---- settings ---------------------------------------------------------------------------------------------

    /** One type's channels. */
    public record Channels(boolean inApp, boolean email) {
    }

    /** @return a viewer profile's choices; types it never changed are absent */
    Map<NotificationType, Channels> settings(UUID profile) {
        return jdbi.withHandle(h -> {
            Map<NotificationType, Channels> out = new HashMap<>();
            h.createQuery("select type, in_app, email from notification_settings where profile_id = :p").bind("p", profile)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), new Channels(rs.getBoolean(2), rs.getBoolean(3))))
                    .forEach(e -> NotificationType.of(e.getKey()).ifPresent(t -> out.put(t, e.getValue())));
            return out;
        });
    }

    /** Stores a viewer profile's choices (its account is filled in from the profile). */
    void putSettings(UUID profile, Map<NotificationType, Channels> settings) {
        jdbi.useTransaction(h -> settings.forEach((type, c) -> h.createUpdate("""
                        insert into notification_settings (profile_id, type, in_app, email) values (:p, :t, :i, :e)
                        on conflict (profile_id, type) do update set in_app = excluded.in_app, email = excluded.email""")
                .bind("p", profile).bind("t", type.wire()).bind("i", c.inApp()).bind("e", c.email()).execute()));
    }

    // ---- e-mail digests ---------------------------------------------------------------------------------------

    /** @return accounts with notifications waiting for a digest whose last digest is older than {@code before} */
    List<UUID> digestsDue(Instant before, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select n.account_id from notifications n
                          left join notification_digests d on d.account_id = n.account_id
                         where n.email_state = 'pending' and (d.last_sent_at is null or d.last_sent_at <= :before)
                         group by n.account_id order by min(n.created_at) limit :n""")
                .bind("before", Timestamp.from(before)).bind("n", limit).mapTo(UUID.class).list());
    }

    /**
     * Takes an account's pending notifications for a digest: locks them, marks them sent and the digest time, in
     * the caller's transaction (the mail is queued in the same one).
     *
     * @return the notifications, oldest first; empty when another node took them
     */
    List<Row> takePending(Handle h, UUID account, Instant now) {
        List<Row> rows = h.createQuery("select * from notifications where account_id = :a and email_state = 'pending'"
                        + " order by id for update skip locked").bind("a", account).map((rs, ctx) -> row(rs)).list();
        if (rows.isEmpty()) {
            return rows;
        }
        h.createUpdate("update notifications set email_state = 'sent' where account_id = :a and id = any(:ids)")
                .bind("a", account).bindArray("ids", Long.class, rows.stream().map(Row::id).toArray()).execute();
        h.createUpdate("""
                        insert into notification_digests (account_id, last_sent_at) values (:a, :now)
                        on conflict (account_id) do update set last_sent_at = excluded.last_sent_at""")
                .bind("a", account).bind("now", Timestamp.from(now)).execute();
        return rows;
    }

    // ---- follows ----------------------------------------------------------------------------------------------

    /** @param targetType {@code title} or {@code user} */
    void follow(UUID account, String targetType, UUID target, boolean on, Instant now) {
        jdbi.useHandle(h -> {
            if (on) {
                h.createUpdate("insert into follows (account_id, target_type, target_id, created_at)"
                                + " values (:a, :t, :id, :now) on conflict do nothing")
                        .bind("a", account).bind("t", targetType).bind("id", target).bind("now", Timestamp.from(now))
                        .execute();
            } else {
                h.createUpdate("delete from follows where account_id = :a and target_type = :t and target_id = :id")
                        .bind("a", account).bind("t", targetType).bind("id", target).execute();
            }
        });
    }

    boolean follows(UUID account, String targetType, UUID target) {
        return jdbi.withHandle(h -> h.createQuery("select exists (select 1 from follows where account_id = :a"
                        + " and target_type = :t and target_id = :id)")
                .bind("a", account).bind("t", targetType).bind("id", target).mapTo(Boolean.class).one());
    }

    /** @return up to {@code limit} followers of a target after {@code after} (by account id), in account id order */
    public List<UUID> followers(String targetType, UUID target, UUID after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select account_id from follows where target_type = :t"
                        + " and target_id = :id and (cast(:after as uuid) is null or account_id > cast(:after as uuid))"
                        + " order by account_id limit :n")
                .bind("t", targetType).bind("id", target).bind("after", after).bind("n", limit)
                .mapTo(UUID.class).list());
    }

    // ---- fan-outs ---------------------------------------------------------------------------------------------

    /** Work to notify an audience. */
    record Fanout(UUID id, String audience, UUID subjectId, UUID excludeId, Notice notice, UUID cursor) {
    }

    void insertFanout(String audience, UUID subjectId, UUID excludeId, Notice notice, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into notification_fanouts (id, audience, subject_id, exclude_id, notice, created_at)
                        values (:id, :a, :s, :x, cast(:n as jsonb), :now)""")
                .bind("id", UUID.randomUUID()).bind("a", audience).bind("s", subjectId).bind("x", excludeId)
                .bind("n", json(notice)).bind("now", Timestamp.from(now)).execute());
    }

    /** @return the oldest unfinished fan-out no other node is working on, locked in the caller's transaction */
    Optional<Fanout> claimFanout(Handle h) {
        return h.createQuery("select * from notification_fanouts where done_at is null order by created_at"
                        + " limit 1 for update skip locked")
                .map((rs, ctx) -> new Fanout(rs.getObject("id", UUID.class), rs.getString("audience"),
                        rs.getObject("subject_id", UUID.class), rs.getObject("exclude_id", UUID.class),
                        read(rs.getString("notice"), Notice.class), rs.getObject("cursor", UUID.class)))
                .findOne();
    }

    void advanceFanout(Handle h, UUID id, UUID cursor, Instant doneAt) {
        h.createUpdate("update notification_fanouts set cursor = :c, done_at = :d where id = :id")
                .bind("c", cursor).bind("d", doneAt == null ? null : Timestamp.from(doneAt)).bind("id", id).execute();
    }

    // ---- mapping ----------------------------------------------------------------------------------------------

    private static Row row(ResultSet rs) throws SQLException {
        Timestamp read = rs.getTimestamp("read_at");
        return new Row(rs.getObject("account_id", UUID.class), rs.getLong("id"),
                NotificationType.of(rs.getString("type")).orElseThrow(), rs.getObject("actor_id", UUID.class),
                rs.getString("object_type"), rs.getObject("object_id", UUID.class), rs.getString("group_key"),
                read(rs.getString("data"), new TypeReference<Map<String, Object>>() { }),
                rs.getTimestamp("created_at").toInstant(), read == null ? null : read.toInstant(),
                rs.getString("email_state"), rs.getBoolean("in_app"));
    }

    static String json(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored notification JSON does not read back", e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored notification JSON does not read back", e);
        }
    }

    /**
     * Something an account follows.
     *
     * @param targetType {@code title} or {@code user}
     * @param targetId the title or account
     * @param since when the follow began
     */
    public record Followed(String targetType, UUID targetId, Instant since) {
    }

    /** @return what the account follows, newest first (the account's data export) */
    public List<Followed> followsOf(UUID account) {
        return jdbi.withHandle(h -> h.createQuery("select target_type, target_id, created_at from follows"
                        + " where account_id = :a order by created_at desc").bind("a", account)
                .map((rs, ctx) -> new Followed(rs.getString(1), rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant()))
                .list());
    }
}
