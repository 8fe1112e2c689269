package dev.kino.control.catalog;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Owns {@code media_items}: the only class with SQL on it. Reads join {@code seasons} (the same feature's table)
 * for the season number. The {@code state}, {@code published_at} and {@code source_path} columns are written only
 * through {@link MediaLifecycle}: their setters here are package-private, so no other feature can move an item
 * past the state machine. Methods taking a {@link Handle} join the caller's transaction.
 */
public class MediaStore {
    private static final String SELECT = """
            select m.*, s.number as season_number from media_items m left join seasons s on s.id = m.season_id
            """;

    private final Jdbi jdbi;
    private final Clock clock;

    public MediaStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** @return the database, for callers that compose this store in their own transaction (the job queue) */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** @return now, at PostgreSQL's microsecond precision (so cursors round-trip exactly) */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The row of {@code media_items} (with its season number).
     *
     * @param id media id
     * @param titleId its title
     * @param seasonId its season, or null for a movie's feature
     * @param seasonNumber the season's number, or null
     * @param episodeNumber episode number, or null
     * @param name name, or null
     * @param packagedTitleId folder under {@code media.root}
     * @param renditions packaged renditions ({@code 1080p})
     * @param audioLanguages audio language codes
     * @param subtitleLanguages subtitle language codes
     * @param durationSeconds duration, or null before packaging
     * @param hasDash a DASH MPD is served too
     * @param protection {@code none}, {@code aes-128}, {@code cenc} or {@code aes-128+cenc}
     * @param access {@code free}, {@code registered} or {@code subscription}
     * @param state where it is in its life ({@link MediaLifecycle})
     * @param sourcePath the source video, or null
     * @param publishedAt when it was last published, or null
     */
    public record MediaRow(UUID id, UUID titleId, UUID seasonId, Integer seasonNumber, Integer episodeNumber,
                           String name, String packagedTitleId, List<String> renditions, List<String> audioLanguages,
                           List<String> subtitleLanguages, Integer durationSeconds, boolean hasDash, String protection,
                           String access, MediaState state, String sourcePath, Instant publishedAt) {
        static MediaRow of(ResultSet rs) throws SQLException {
            int season = rs.getInt("season_number");
            Integer sn = rs.wasNull() ? null : season;
            int ep = rs.getInt("episode_number");
            Integer en = rs.wasNull() ? null : ep;
            int d = rs.getInt("duration_seconds");
            Integer dur = rs.wasNull() ? null : d;
            Timestamp pub = rs.getTimestamp("published_at");
            return new MediaRow(rs.getObject("id", UUID.class), rs.getObject("title_id", UUID.class),
                    rs.getObject("season_id", UUID.class), sn, en, rs.getString("name"),
                    rs.getString("packaged_title_id"), Sql.strings(rs.getArray("renditions")),
                    Sql.strings(rs.getArray("audio_languages")), Sql.strings(rs.getArray("subtitle_languages")), dur,
                    rs.getBoolean("has_dash"), rs.getString("protection"), rs.getString("access"),
                    MediaState.of(rs.getString("state")), rs.getString("source_path"),
                    pub == null ? null : pub.toInstant());
        }

        /** @param admin include admin-only fields */
        public MediaView view(boolean admin) {
            return new MediaView(id, titleId, seasonNumber, episodeNumber, name, packagedTitleId, renditions,
                    audioLanguages, subtitleLanguages, durationSeconds, hasDash, protection, access, state.wire(),
                    admin ? sourcePath != null : null, publishedAt);
        }
    }

    /** @return the media item, if any */
    public Optional<MediaRow> media(UUID id) {
        return jdbi.withHandle(h -> media(h, id, false));
    }

    /** @return the media item, locked for update when {@code lock} */
    public Optional<MediaRow> media(Handle h, UUID id, boolean lock) {
        return h.createQuery(SELECT + "where m.id = :id" + (lock ? " for update of m" : "")).bind("id", id)
                .map((rs, ctx) -> MediaRow.of(rs)).findOne();
    }

    /** @return those of {@code ids} that exist, in no particular order */
    public List<MediaRow> media(Handle h, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return h.createQuery(SELECT + "where m.id = any(:ids)").bind("ids", ids.toArray(UUID[]::new))
                .map((rs, ctx) -> MediaRow.of(rs)).list();
    }

    /** @return the title's media: by season number (none first), episode number, creation */
    public List<MediaRow> ofTitle(Handle h, UUID titleId) {
        return h.createQuery(SELECT + """
                         where m.title_id = :id
                         order by s.number nulls first, m.episode_number nulls first, m.created_at, m.id""")
                .bind("id", titleId).map((rs, ctx) -> MediaRow.of(rs)).list();
    }

    /** @return how many media items the title has */
    public int countOfTitle(Handle h, UUID titleId) {
        return h.createQuery("select count(*) from media_items where title_id = :id").bind("id", titleId)
                .mapTo(int.class).one();
    }

    /** @return how many of the title's media items are published */
    public int countPublished(Handle h, UUID titleId) {
        return h.createQuery("select count(*) from media_items where title_id = :id and state = 'published'")
                .bind("id", titleId).mapTo(int.class).one();
    }

    /** @return how many of the season's episodes are published */
    public int countPublishedInSeason(Handle h, UUID seasonId) {
        return h.createQuery("select count(*) from media_items where season_id = :id and state = 'published'")
                .bind("id", seasonId).mapTo(int.class).one();
    }

    /** @return whether the season already has an episode with this number */
    public boolean episodeExists(Handle h, UUID seasonId, int episodeNumber) {
        return h.createQuery("select count(*) from media_items where season_id = :s and episode_number = :e")
                .bind("s", seasonId).bind("e", episodeNumber).mapTo(int.class).one() > 0;
    }

    /** @return the media item whose packaged title id (folder) this is, if any */
    public Optional<UUID> ownerOfFolder(Handle h, String folder) {
        return h.createQuery("select id from media_items where packaged_title_id = :f").bind("f", folder)
                .mapTo(UUID.class).findOne();
    }

    /** @return those of {@code titleIds} that have at least one published media item */
    public Set<UUID> titlesWithPublished(Handle h, List<UUID> titleIds) {
        if (titleIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(h.createQuery("""
                        select distinct title_id from media_items where title_id = any(:ids) and state = 'published'""")
                .bind("ids", titleIds.toArray(UUID[]::new)).mapTo(UUID.class).list());
    }

    /**
     * Inserts a media item.
     *
     * @param seasonId its season, or null for a movie's feature
     * @param folder its packaged title id
     * @param initial {@link MediaState#READY} for media already packaged, else {@link MediaState#UPLOADED}
     */
    public void insert(Handle h, UUID id, UUID titleId, UUID seasonId, MediaInput in, String folder,
                             MediaState initial) {
        Instant now = now();
        h.createUpdate("""
                insert into media_items (id, title_id, season_id, episode_number, name, packaged_title_id, renditions,
                    audio_languages, subtitle_languages, duration_seconds, has_dash, protection, access, state,
                    created_at, updated_at)
                values (:id, :title, :season, :ep, :name, :folder, :renditions, :audio, :subs, :duration, :dash,
                    :protection, :access, :state, :now, :now)""")
                .bind("id", id).bind("title", titleId).bind("season", seasonId).bind("ep", in.episodeNumber())
                .bind("name", in.name()).bind("folder", folder)
                .bind("renditions", Sql.array(in.renditions())).bind("audio", Sql.array(in.audioLanguages()))
                .bind("subs", Sql.array(in.subtitleLanguages())).bind("duration", in.durationSeconds())
                .bind("dash", Boolean.TRUE.equals(in.hasDash()))
                .bind("protection", in.protection() == null ? "aes-128" : in.protection())
                .bind("access", in.access() == null ? "subscription" : in.access())
                .bind("state", initial.wire()).bind("now", now).execute();
    }

    /** Replaces an item's metadata; fields absent from {@code in} keep their value in {@code current}. */
    public void updateMetadata(Handle h, MediaRow current, MediaInput in, String folder) {
        h.createUpdate("""
                update media_items set name = :name, packaged_title_id = :folder, renditions = :renditions,
                    audio_languages = :audio, subtitle_languages = :subs, duration_seconds = :duration, has_dash = :dash,
                    protection = :protection, access = :access, updated_at = :now
                 where id = :id""")
                .bind("id", current.id()).bind("name", in.name()).bind("folder", folder)
                .bind("renditions", Sql.array(in.renditions() != null ? in.renditions() : current.renditions()))
                .bind("audio", Sql.array(in.audioLanguages() != null ? in.audioLanguages() : current.audioLanguages()))
                .bind("subs", Sql.array(in.subtitleLanguages() != null ? in.subtitleLanguages() : current.subtitleLanguages()))
                .bind("duration", in.durationSeconds() != null ? in.durationSeconds() : current.durationSeconds())
                .bind("dash", in.hasDash() != null ? in.hasDash() : current.hasDash())
                .bind("protection", in.protection() != null ? in.protection() : current.protection())
                .bind("access", in.access() != null ? in.access() : current.access()).bind("now", now()).execute();
    }

    /** Deletes a media item (its jobs and progress rows go with it: the foreign keys cascade). */
    public void delete(Handle h, UUID id) {
        h.createUpdate("delete from media_items where id = :id").bind("id", id).execute();
    }

    // ---- written only by MediaLifecycle ---------------------------------------------------------------------

    /** Sets the state; entering {@code published} also stamps {@code published_at}. */
    final void updateState(Handle h, UUID id, MediaState to) {
        h.createUpdate("""
                update media_items set state = :to, updated_at = :now,
                       published_at = case when :to = 'published' then :now else published_at end
                 where id = :id""")
                .bind("id", id).bind("to", to.wire()).bind("now", now()).execute();
    }

    final void updateSource(Handle h, UUID id, String path) {
        h.createUpdate("update media_items set source_path = :p where id = :id").bind("p", path).bind("id", id).execute();
    }

    /** Records what packaging produced and moves the item to {@code ready}. */
    final void updatePackaged(Handle h, UUID id, List<String> renditions, List<String> audio, List<String> subs,
                              Integer durationSeconds, boolean dash) {
        h.createUpdate("""
                update media_items set state = 'ready', renditions = :r, audio_languages = :a, subtitle_languages = :s,
                       duration_seconds = :d, has_dash = :dash, updated_at = :now where id = :id""")
                .bind("id", id).bind("r", Sql.array(renditions)).bind("a", Sql.array(audio)).bind("s", Sql.array(subs))
                .bind("d", durationSeconds).bind("dash", dash).bind("now", now()).execute();
    }
}
