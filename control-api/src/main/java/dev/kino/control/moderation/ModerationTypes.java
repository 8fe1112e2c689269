package dev.kino.control.moderation;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** JSON shapes and vocabulary of moderation. */
public final class ModerationTypes {
    private ModerationTypes() {
    }

    /** What can be reported. */
    public enum TargetType {
        comment, post, user, title
    }

    /** Why, from a fixed list. */
    public enum Reason {
        spam, abuse, spoiler, illegal, other
    }

    /** What a moderator does with a case. */
    public enum Action {
        /** Hide the comment or post from everyone but moderators. */
        hide,
        /** Show a hidden comment or post again. */
        restore,
        /** Delete the comment or post (a comment with replies stays as a tombstone). */
        delete,
        /** Mark the comment as a spoiler. */
        spoiler,
        /** Lock the forum thread the post is in. */
        lock,
        /** Record a warning to the author (the notifications feature delivers it). */
        warn,
        /** Ban the author (or the reported user): {@code durationHours} for a temporary ban, absent for permanent. */
        ban,
        /** Close the case without acting. */
        dismiss;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A report.
     *
     * @param targetType {@code comment}, {@code post}, {@code user} or {@code title}
     * @param targetId the reported object's id
     * @param reason {@code spam}, {@code abuse}, {@code spoiler}, {@code illegal} or {@code other}
     * @param note what the reporter adds, up to 1,000 characters; required with {@code other}
     */
    public record ReportInput(TargetType targetType, UUID targetId, Reason reason, String note) {
    }

    /**
     * A report as its reporter sees it.
     *
     * @param id report id
     * @param caseId the queue entry it joined
     * @param createdAt when it was made
     */
    public record ReportView(UUID id, UUID caseId, Instant createdAt) {
    }

    /**
     * A moderator's decision on a case.
     *
     * @param action what to do
     * @param reason why, for the audit log (required)
     * @param durationHours for {@code ban}: hours, absent for a permanent ban
     */
    public record ActionInput(Action action, String reason, Integer durationHours) {
    }

    /**
     * A queue entry: one reported object and what was said about it.
     *
     * @param id case id
     * @param targetType what kind of object
     * @param targetId its id
     * @param status {@code open}, {@code actioned} or {@code dismissed}
     * @param reports how many people reported it
     * @param reasons reports per reason
     * @param notes the reporters' notes, newest first (at most 10)
     * @param context the object as moderators see it: a comment's or post's text and author, a user's name, a title's
     *                name; absent when it no longer exists
     * @param firstReportedAt when the first report came
     * @param lastReportedAt when the last one came
     */
    public record CaseView(UUID id, String targetType, UUID targetId, String status, int reports,
                           Map<String, Integer> reasons, java.util.List<String> notes, Map<String, Object> context,
                           Instant firstReportedAt, Instant lastReportedAt) {
    }

    /**
     * A row of the audit log.
     *
     * @param id action id
     * @param caseId the case it resolved, if any
     * @param moderatorId who acted
     * @param action what was done
     * @param targetType on what kind of object
     * @param targetId on which
     * @param reason why
     * @param at when
     */
    public record AuditEntry(UUID id, UUID caseId, UUID moderatorId, String action, String targetType, UUID targetId,
                             String reason, Instant at) {
    }
}
