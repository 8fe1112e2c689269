package dev.kino.control.moderation;

import dev.kino.control.BadRequestException;
import dev.kino.control.http.Page;
import dev.kino.control.moderation.ModerationTypes.AuditEntry;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code moderation_cases}, {@code reports} and {@code moderation_actions}. A report joins the object's open case
 * or opens one, under the unique index on open cases, so concurrent reports of one object make one case.
 */
public final class ModerationStore {
    private final Jdbi jdbi;

    public ModerationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A stored case. */
    record CaseRow(UUID id, String targetType, UUID targetId, String status, int reports, Instant first, Instant last,
                   boolean hiddenOnReport) {
    }

    /**
     * Files a report: into the object's open case, or a new one.
     *
     * @return the report and its case; empty when this reporter already reported this object in its open case
     */
    Optional<ModerationTypes.ReportView> report(String targetType, UUID targetId, UUID reporter, String reason,
                                                String note, Instant now) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                            insert into moderation_cases (id, target_type, target_id, first_reported_at, last_reported_at)
                            values (:id, :t, :target, :now, :now) on conflict do nothing""")
                    .bind("id", UUID.randomUUID()).bind("t", targetType).bind("target", targetId)
                    .bind("now", Timestamp.from(now)).execute();
            UUID caseId = h.createQuery("select id from moderation_cases where target_type = :t and target_id = :target"
                            + " and status = 'open' for update")
                    .bind("t", targetType).bind("target", targetId).mapTo(UUID.class).one();
            UUID id = UUID.randomUUID();
            int inserted = h.createUpdate("""
                            insert into reports (id, case_id, reporter_id, reason, note, created_at)
                            values (:id, :c, :r, :reason, :note, :now) on conflict do nothing""")
                    .bind("id", id).bind("c", caseId).bind("r", reporter).bind("reason", reason).bind("note", note)
                    .bind("now", Timestamp.from(now)).execute();
            if (inserted == 0) {
                return Optional.<ModerationTypes.ReportView>empty();
            }
            h.createUpdate("update moderation_cases set report_count = report_count + 1, last_reported_at = :now"
                    + " where id = :c").bind("now", Timestamp.from(now)).bind("c", caseId).execute();
            return Optional.of(new ModerationTypes.ReportView(id, caseId, now));
        });
    }

    /** @return up to {@code cursor.fetch()} cases of a status, most recently reported first */
    List<CaseRow> cases(String status, Page.Cursor cursor) {
        String sql = "select * from moderation_cases where status = :s"
                + (cursor.after() == null ? "" : " and (last_reported_at, id) < (:c0, :c1)")
                + " order by last_reported_at desc, id desc limit :fetch";
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql).bind("s", status).bind("fetch", cursor.fetch());
            if (cursor.after() != null) {
                if (cursor.after().size() != 2) {
                    throw new BadRequestException("cursor is not one returned by this API");
                }
                q.bind("c0", Timestamp.from(cursor.instant(0))).bind("c1", cursor.uuid(1));
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    Optional<CaseRow> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select * from moderation_cases where id = :id").bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne());
    }

    /** @return reports per reason of a case */
    Map<String, Integer> reasons(UUID caseId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("select reason, count(*) from reports where case_id = :c group by reason"
                        + " order by count(*) desc, reason")
                .bind("c", caseId).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** @return watched words and their action ({@code block} or {@code hold}), by word */
    Map<String, String> watchedWords() {
        Map<String, String> out = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("select word, action from watched_words")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    void putWatchedWord(String word, String action, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("insert into watched_words (word, action, created_at) values (:w, :a, :now)"
                        + " on conflict (word) do update set action = :a")
                .bind("w", word).bind("a", action).bind("now", Timestamp.from(now)).execute());
    }

    boolean deleteWatchedWord(String word) {
        return jdbi.withHandle(h -> h.createUpdate("delete from watched_words where word = :w").bind("w", word).execute()) == 1;
    }

    boolean holdFirstPosts() {
        return jdbi.withHandle(h -> h.createQuery("select hold_first_posts from moderation_settings where id = 1")
                .mapTo(Boolean.class).one());
    }

    void holdFirstPosts(boolean on) {
        jdbi.useHandle(h -> h.createUpdate("update moderation_settings set hold_first_posts = :b where id = 1").bind("b", on)
                .execute());
    }

    /** Opens (or joins) the case of an object held for approval, without a reporter. */
    void queueHeld(String targetType, UUID targetId, String why, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            insert into moderation_cases (id, target_type, target_id, first_reported_at, last_reported_at)
                            values (:id, :t, :target, :now, :now) on conflict do nothing""")
                    .bind("id", UUID.randomUUID()).bind("t", targetType).bind("target", targetId)
                    .bind("now", Timestamp.from(now)).execute();
            UUID caseId = h.createQuery("select id from moderation_cases where target_type = :t and target_id = :target"
                            + " and status = 'open'").bind("t", targetType).bind("target", targetId).mapTo(UUID.class).one();
            h.createUpdate("insert into reports (id, case_id, reporter_id, reason, note, created_at)"
                            + " values (:id, :c, null, 'other', :note, :now)")
                    .bind("id", UUID.randomUUID()).bind("c", caseId).bind("note", "held for approval: " + why)
                    .bind("now", Timestamp.from(now)).execute();
            h.createUpdate("update moderation_cases set report_count = report_count + 1, last_reported_at = :now"
                    + " where id = :c").bind("now", Timestamp.from(now)).bind("c", caseId).execute();
        });
    }

    /**
     * Marks an open case's content as hidden by a trusted member's report and writes that to the audit log (the
     * reporter as the one who acted).
     */
    void hiddenOnReport(UUID caseId, UUID reporter, String targetType, UUID targetId, String why, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("update moderation_cases set hidden_on_report = true where id = :c").bind("c", caseId)
                    .execute();
            audit(h, caseId, reporter, "hide-on-report", targetType, targetId, why, now);
        });
    }

    /** @return the accounts that reported in a case */
    List<UUID> reporters(UUID caseId) {
        return jdbi.withHandle(h -> h.createQuery("select reporter_id from reports where case_id = :c"
                + " and reporter_id is not null").bind("c", caseId).mapTo(UUID.class).list());
    }

    List<String> notes(UUID caseId) {
        return jdbi.withHandle(h -> h.createQuery("select note from reports where case_id = :c and note is not null"
                        + " order by created_at desc limit 10").bind("c", caseId).mapTo(String.class).list());
    }

    /**
     * Closes a case with an action and records it, in one transaction.
     *
     * @return false when the case was no longer open (another moderator resolved it first)
     */
    boolean resolve(UUID caseId, String status, UUID moderator, String action, String targetType, UUID targetId,
                    String reason, Instant now) {
        return jdbi.inTransaction(h -> {
            int closed = h.createUpdate("update moderation_cases set status = :s, resolved_at = :now, resolved_by = :m"
                            + " where id = :c and status = 'open'")
                    .bind("s", status).bind("now", Timestamp.from(now)).bind("m", moderator).bind("c", caseId).execute();
            if (closed == 0) {
                return false;
            }
            audit(h, caseId, moderator, action, targetType, targetId, reason, now);
            return true;
        });
    }

    void audit(Handle h, UUID caseId, UUID moderator, String action, String targetType, UUID targetId, String reason,
               Instant now) {
        h.createUpdate("""
                        insert into moderation_actions (id, case_id, moderator_id, action, target_type, target_id, reason,
                                                        created_at)
                        values (:id, :c, :m, :a, :t, :target, :r, :now)""")
                .bind("id", UUID.randomUUID()).bind("c", caseId).bind("m", moderator).bind("a", action)
                .bind("t", targetType).bind("target", targetId).bind("r", reason).bind("now", Timestamp.from(now))
                .execute();
    }

    /** @return the audit log, newest first */
    List<AuditEntry> audit(Page.Cursor cursor) {
        String sql = "select * from moderation_actions"
                + (cursor.after() == null ? "" : " where (created_at, id) < (:c0, :c1)")
                + " order by created_at desc, id desc limit :fetch";
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql).bind("fetch", cursor.fetch());
            if (cursor.after() != null) {
                if (cursor.after().size() != 2) {
                    throw new BadRequestException("cursor is not one returned by this API");
                }
                q.bind("c0", Timestamp.from(cursor.instant(0))).bind("c1", cursor.uuid(1));
            }
            return q.map((rs, ctx) -> new AuditEntry(rs.getObject("id", UUID.class), rs.getObject("case_id", UUID.class),
                    rs.getObject("moderator_id", UUID.class), rs.getString("action"), rs.getString("target_type"),
                    rs.getObject("target_id", UUID.class), rs.getString("reason"),
                    rs.getTimestamp("created_at").toInstant())).list();
        });
    }

    private static CaseRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CaseRow(rs.getObject("id", UUID.class), rs.getString("target_type"), rs.getObject("target_id", UUID.class),
                rs.getString("status"), rs.getInt("report_count"), rs.getTimestamp("first_reported_at").toInstant(),
                rs.getTimestamp("last_reported_at").toInstant(), rs.getBoolean("hidden_on_report"));
    }
}
