package dev.kino.control.admin;

import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.catalog.MediaLifecycle;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Publishing at a time: an editor sets {@code media_items.publish_at} on an episode or a film's feature (or on every
 * unpublished item of a title at once), and {@link #publishDue} (the API's background scheduler, every
 * {@code ControlApi.Builder#scheduledPublishingInterval}) publishes each item whose time has come once it is
 * {@code ready}; an item still packaging at its time is published as soon as packaging ends. Each publication goes
 * through {@link MediaLifecycle#publish} (so followers are notified as for a manual one) and is recorded in the
 * {@link AuditLog} as {@code media.publish-scheduled} with no actor (the scheduling itself is recorded with its editor).
 *
 * <p>Several nodes may run {@link #publishDue} at once: an item is claimed by clearing its {@code publish_at} in a
 * row-locking update that skips rows another node holds, so each item is published once.
 */
public final class ScheduledPublishing {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledPublishing.class);
    /** The most items one {@link #publishDue} round publishes. */
    static final int BATCH = 100;

    private final Jdbi jdbi;
    private final MediaLifecycle lifecycle;
    private final AuditLog audit;
    private final Clock clock;

    public ScheduledPublishing(Jdbi jdbi, MediaLifecycle lifecycle, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.clock = clock;
    }

    /** @param publishAt when to publish (ISO 8601, in the future), or null to cancel the schedule */
    public record ScheduleRequest(Instant publishAt) {
    }

    /**
     * An item waiting for its time.
     *
     * @param mediaId the media item
     * @param titleId its title
     * @param seasonNumber its season, for an episode
     * @param episodeNumber its episode number, for an episode
     * @param name its name, or absent
     * @param state its state now ({@code uploaded}, {@code queued}, {@code packaging}, {@code ready}, {@code failed})
     * @param publishAt when it publishes (once ready)
     */
    public record Scheduled(UUID mediaId, UUID titleId, Integer seasonNumber, Integer episodeNumber, String name,
                            String state, Instant publishAt) {
    }

    /** @param items the scheduled items, soonest first */
    public record ScheduledList(List<Scheduled> items) {
    }

    /**
     * Schedules (or with a null time, unschedules) one media item.
     *
     * @param actor the editor, for the audit log
     * @throws NotFoundException for an unknown item
     * @throws ConflictException when it is published or taken down (publish those by hand)
     * @throws InvalidInputException for a time not in the future
     */
    public Scheduled scheduleMedia(UUID actor, UUID mediaId, Instant publishAt) {
        requireFuture(publishAt);
        return jdbi.inTransaction(h -> {
            Scheduled before = find(h, mediaId).orElseThrow(() -> MediaLifecycle.mediaNotFound(mediaId));
            if (before.state().equals("published") || before.state().equals("taken_down")) {
                throw new ConflictException("media " + mediaId + " is " + before.state()
                        + "; only an item not yet published can be scheduled");
            }
            set(h, "id", mediaId, publishAt);
            Scheduled after = find(h, mediaId).orElseThrow();
            audit.record(h, actor, publishAt == null ? "media.unschedule" : "media.schedule", "media", mediaId,
                    before, after);
            return after;
        });
    }

    /**
     * Schedules (or unschedules) every item of a title that is not published or taken down.
     *
     * @return the items now scheduled, soonest first
     * @throws NotFoundException for an unknown title
     * @throws InvalidInputException for a time not in the future
     */
    public ScheduledList scheduleTitle(UUID actor, UUID titleId, Instant publishAt) {
        requireFuture(publishAt);
        return jdbi.inTransaction(h -> {
            if (h.createQuery("select count(*) from titles where id = :id").bind("id", titleId).mapTo(int.class).one() == 0) {
                throw new NotFoundException("no title " + titleId);
            }
            List<Scheduled> before = ofTitle(h, titleId);
            set(h, "title_id", titleId, publishAt);
            List<Scheduled> after = ofTitle(h, titleId);
            audit.record(h, actor, publishAt == null ? "title.unschedule" : "title.schedule", "title", titleId,
                    new ScheduledList(before), new ScheduledList(after));
            return new ScheduledList(after.stream().filter(s -> s.publishAt() != null).toList());
        });
    }

    private void requireFuture(Instant publishAt) {
        if (publishAt != null && !publishAt.isAfter(clock.instant())) {
            throw InvalidInputException.of("publishAt", "must be in the future");
        }
    }

    private static void set(Handle h, String column, UUID id, Instant publishAt) {
        // column is one of two constants above, never input
        h.createUpdate("update media_items set publish_at = :at where " + column + " = :id"
                        + " and state not in ('published', 'taken_down')")
                .bind("at", publishAt == null ? null : Timestamp.from(publishAt.truncatedTo(ChronoUnit.MICROS)))
                .bind("id", id).execute();
    }

    private static final String SELECT = """
            select m.id, m.title_id, s.number as season_number, m.episode_number, m.name, m.state, m.publish_at
              from media_items m left join seasons s on s.id = m.season_id""";

    private static Optional<Scheduled> find(Handle h, UUID mediaId) {
        return h.createQuery(SELECT + " where m.id = :id").bind("id", mediaId).map((rs, ctx) -> row(rs)).findOne();
    }

    private static List<Scheduled> ofTitle(Handle h, UUID titleId) {
        return h.createQuery(SELECT + " where m.title_id = :id and m.state not in ('published', 'taken_down')"
                        + " order by s.number nulls first, m.episode_number nulls first, m.id")
                .bind("id", titleId).map((rs, ctx) -> row(rs)).list();
    }

    private static Scheduled row(java.sql.ResultSet rs) throws java.sql.SQLException {
        int sn = rs.getInt("season_number");
        Integer season = rs.wasNull() ? null : sn;
        int en = rs.getInt("episode_number");
        Integer episode = rs.wasNull() ? null : en;
        Timestamp at = rs.getTimestamp("publish_at");
        return new Scheduled(rs.getObject("id", UUID.class), rs.getObject("title_id", UUID.class), season, episode,
                rs.getString("name"), rs.getString("state"), at == null ? null : at.toInstant());
    }

    /** @return every scheduled item, soonest first (at most 500) */
    public ScheduledList list() {
        return new ScheduledList(jdbi.withHandle(h -> h.createQuery(SELECT
                        + " where m.publish_at is not null order by m.publish_at, m.id limit 500")
                .map((rs, ctx) -> row(rs)).list()));
    }

    /**
     * Publishes the ready items whose time has come, at most {@link #BATCH}.
     *
     * @return how many were published
     */
    public int publishDue() {
        Instant now = clock.instant();
        int published = 0;
        for (int i = 0; i < BATCH; i++) {
            Optional<Scheduled> claimed = jdbi.inTransaction(h -> h.createQuery("""
                            update media_items set publish_at = null
                             where id = (select id from media_items where publish_at <= :now and state = 'ready'
                                         order by publish_at, id limit 1 for update skip locked)
                            returning id""")
                    .bind("now", Timestamp.from(now)).mapTo(UUID.class).findOne().flatMap(id -> find(h, id)));
            if (claimed.isEmpty()) {
                break;
            }
            UUID id = claimed.get().mediaId();
            try {
                lifecycle.publish(id);
                audit.record(null, "media.publish-scheduled", "media", id, claimed.get(),
                        jdbi.withHandle(h -> find(h, id)).orElse(null));
                published++;
            } catch (RuntimeException e) {
                // moved on meanwhile (unpublished by hand, deleted): the schedule is spent; say so
                LOG.warn("scheduled publication of media {} failed: {}", id, e.toString());
            }
        }
        return published;
    }
}
