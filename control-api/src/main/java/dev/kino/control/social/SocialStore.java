package dev.kino.control.social;

import dev.kino.control.catalog.CatalogStore;
import dev.kino.control.catalog.MediaView;
import dev.kino.control.catalog.TitleSummary;
import dev.kino.control.http.ApiException;
import dev.kino.control.http.Page;
import dev.kino.control.http.ProblemType;
import dev.kino.control.social.SocialTypes.ContinueWatchingItem;
import dev.kino.control.social.SocialTypes.WatchlistEntry;
import dev.kino.control.social.SocialTypes.WatchlistStatus;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Watchlists and continue-watching in PostgreSQL. Blocking.
 *
 * <p>Visibility follows the catalogue: viewers without {@code catalog.write} only see titles with at least one
 * published media item and only published media; entries of titles that are not visible stay stored (they show
 * again when the title is published again) but are not listed.
 */
public final class SocialStore {
    /** Most titles one watchlist holds. */
    public static final int MAX_WATCHLIST = 5_000;
    /** A media item counts as finished (and leaves continue-watching) from this fraction of its duration. */
    public static final double FINISHED_FRACTION = 0.95;

    private final Jdbi jdbi;
    private final Clock clock;

    public SocialStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    private static final String VISIBLE_TITLE = """
            (:admin or exists (select 1 from media_items vm where vm.title_id = t.id and vm.state = 'published'))""";

    /** @return the caller's watchlist, newest first */
    public Page<WatchlistEntry> watchlist(UUID accountId, boolean admin, Page.Cursor cursor) {
        Instant afterAt = cursor.after() == null ? null : cursor.instant(0);
        UUID afterId = cursor.after() == null ? null : cursor.uuid(1);
        return jdbi.withHandle(h -> {
            List<WatchlistEntry> rows = h.createQuery("""
                            select w.added_at as w_added_at, t.* from watchlist_entries w join titles t on t.id = w.title_id
                             where w.account_id = :a and """ + VISIBLE_TITLE + """
                               and (cast(:afterAt as timestamptz) is null
                                    or (w.added_at, w.title_id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)))
                             order by w.added_at desc, w.title_id desc limit :n""")
                    .bind("a", accountId).bind("admin", admin)
                    .bind("afterAt", afterAt == null ? null : Timestamp.from(afterAt)).bind("afterId", afterId)
                    .bind("n", cursor.fetch())
                    .map((rs, ctx) -> new WatchlistEntry(rs.getObject("id", UUID.class),
                            rs.getTimestamp("w_added_at").toInstant(), summary(rs, Map.of())))
                    .list();
            Map<UUID, Map<String, String>> names = CatalogStore.names(h, rows.stream().map(WatchlistEntry::titleId).toList());
            List<WatchlistEntry> items = rows.stream().map(e -> new WatchlistEntry(e.titleId(), e.addedAt(),
                    withNames(e.title(), names.getOrDefault(e.titleId(), Map.of())))).toList();
            return Page.of(cursor, items, e -> List.of(e.addedAt().toString(), e.titleId().toString()));
        });
    }

    /** @return whether the title is in the caller's watchlist; 404 for a title the caller cannot see */
    public WatchlistStatus status(UUID accountId, boolean admin, UUID titleId) {
        return jdbi.withHandle(h -> {
            requireVisible(h, admin, titleId);
            return h.createQuery("select added_at from watchlist_entries where account_id = :a and title_id = :t")
                    .bind("a", accountId).bind("t", titleId).mapTo(Timestamp.class).findOne()
                    .map(ts -> new WatchlistStatus(titleId, true, ts.toInstant()))
                    .orElse(new WatchlistStatus(titleId, false, null));
        });
    }

    /**
     * Adds a title (idempotent: a title already there keeps its date).
     *
     * @throws ApiException 404 for a title the caller cannot see, 409 when the watchlist is full
     */
    public WatchlistStatus add(UUID accountId, boolean admin, UUID titleId) {
        return jdbi.inTransaction(h -> {
            requireVisible(h, admin, titleId);
            // serialises concurrent adds of one account, so the size limit holds
            h.createQuery("select id from accounts where id = :a for update").bind("a", accountId).mapTo(UUID.class).findOne();
            int size = h.createQuery("select count(*) from watchlist_entries where account_id = :a")
                    .bind("a", accountId).mapTo(int.class).one();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            int added = h.createUpdate("""
                            insert into watchlist_entries (account_id, title_id, added_at)
                            select :a, :t, :now where :room
                            on conflict (account_id, title_id) do nothing""")
                    .bind("a", accountId).bind("t", titleId).bind("now", Timestamp.from(now))
                    .bind("room", size < MAX_WATCHLIST).execute();
            Timestamp at = h.createQuery("select added_at from watchlist_entries where account_id = :a and title_id = :t")
                    .bind("a", accountId).bind("t", titleId).mapTo(Timestamp.class).findOne().orElse(null);
            if (added == 0 && at == null) {
                throw ApiException.of(ProblemType.CONFLICT, "the watchlist is full (" + MAX_WATCHLIST
                        + " titles); remove some first");
            }
            return new WatchlistStatus(titleId, true, at.toInstant());
        });
    }

    /** Removes a title (idempotent; any title id, so that hidden titles can be removed too). */
    public void remove(UUID accountId, UUID titleId) {
        jdbi.useHandle(h -> h.createUpdate("delete from watchlist_entries where account_id = :a and title_id = :t")
                .bind("a", accountId).bind("t", titleId).execute());
    }

    /**
     * The media items the caller started and did not finish, newest first, one per title (the most recently
     * watched unfinished item of that title).
     */
    public Page<ContinueWatchingItem> continueWatching(UUID accountId, boolean admin, Page.Cursor cursor) {
        Instant afterAt = cursor.after() == null ? null : cursor.instant(0);
        UUID afterId = cursor.after() == null ? null : cursor.uuid(1);
        return jdbi.withHandle(h -> {
            record Row(UUID mediaId, int position, Instant updatedAt, MediaView media) {
            }
            List<Row> rows = h.createQuery("""
                            select x.* from (
                                select distinct on (m.title_id) p.position_seconds as p_position, p.updated_at as p_updated_at,
                                       m.*, s.number as season_number
                                  from playback_progress p
                                  join media_items m on m.id = p.media_id
                                  left join seasons s on s.id = m.season_id
                                 where p.account_id = :a and (:admin or m.state = 'published')
                                   and p.position_seconds > 0
                                   and (m.duration_seconds is null or p.position_seconds < m.duration_seconds * :finished)
                                 order by m.title_id, p.updated_at desc, p.media_id desc) x
                             where cast(:afterAt as timestamptz) is null
                                or (x.p_updated_at, x.id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid))
                             order by x.p_updated_at desc, x.id desc limit :n""")
                    .bind("a", accountId).bind("admin", admin).bind("finished", FINISHED_FRACTION)
                    .bind("afterAt", afterAt == null ? null : Timestamp.from(afterAt)).bind("afterId", afterId)
                    .bind("n", cursor.fetch())
                    .map((rs, ctx) -> new Row(rs.getObject("id", UUID.class), rs.getInt("p_position"),
                            rs.getTimestamp("p_updated_at").toInstant(), media(rs, admin)))
                    .list();
            List<UUID> titleIds = rows.stream().map(r -> r.media().titleId()).distinct().toList();
            Map<UUID, TitleSummary> titles = summaries(h, titleIds);
            List<ContinueWatchingItem> items = new ArrayList<>();
            for (Row r : rows) {
                Integer d = r.media().durationSeconds();
                Double progress = d == null || d <= 0 ? null : Math.min(1.0, r.position() / (double) d);
                items.add(new ContinueWatchingItem(titles.get(r.media().titleId()), r.media(), r.position(), d, progress,
                        r.updatedAt()));
            }
            return Page.of(cursor, items, i -> List.of(i.updatedAt().toString(), i.media().id().toString()));
        });
    }

    private static void requireVisible(Handle h, boolean admin, UUID titleId) {
        boolean visible = h.createQuery("select exists (select 1 from titles t where t.id = :t and " + VISIBLE_TITLE + ")")
                .bind("t", titleId).bind("admin", admin).mapTo(boolean.class).one();
        if (!visible) {
            throw ApiException.of(ProblemType.NOT_FOUND, "no title " + titleId);
        }
    }

    private static Map<UUID, TitleSummary> summaries(Handle h, List<UUID> ids) {
        Map<UUID, TitleSummary> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Map<UUID, Map<String, String>> names = CatalogStore.names(h, ids);
        h.createQuery("select * from titles where id = any(:ids)").bind("ids", ids.toArray(UUID[]::new))
                .map((rs, ctx) -> summary(rs, Map.of())).list()
                .forEach(s -> out.put(s.id(), withNames(s, names.getOrDefault(s.id(), Map.of()))));
        return out;
    }

    private static TitleSummary withNames(TitleSummary s, Map<String, String> names) {
        return new TitleSummary(s.id(), s.kind(), s.originalTitle(), names, s.year(), s.ageRating(), s.genres(), s.tags(),
                s.studios(), s.popularity(), s.createdAt());
    }

    /** A row of {@code titles} (t.*) in the catalogue's list shape. */
    private static TitleSummary summary(ResultSet rs, Map<String, String> names) throws SQLException {
        int year = rs.getInt("year");
        Integer y = rs.wasNull() ? null : year;
        return new CatalogStore.TitleRow(rs.getObject("id", UUID.class), rs.getString("kind"),
                rs.getString("original_title"), rs.getString("original_language"), rs.getString("sort_title"), y,
                rs.getInt("min_age"), strings(rs.getArray("genres")), strings(rs.getArray("tags")),
                strings(rs.getArray("studios")), rs.getLong("popularity"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant()).summary(names);
    }

    /** A row of {@code media_items} (m.* plus season_number) in the catalogue's media shape. */
    private static MediaView media(ResultSet rs, boolean admin) throws SQLException {
        int season = rs.getInt("season_number");
        Integer sn = rs.wasNull() ? null : season;
        int ep = rs.getInt("episode_number");
        Integer en = rs.wasNull() ? null : ep;
        int d = rs.getInt("duration_seconds");
        Integer dur = rs.wasNull() ? null : d;
        Timestamp pub = rs.getTimestamp("published_at");
        return new MediaView(rs.getObject("id", UUID.class), rs.getObject("title_id", UUID.class), sn, en,
                rs.getString("name"), rs.getString("packaged_title_id"), strings(rs.getArray("renditions")),
                strings(rs.getArray("audio_languages")), strings(rs.getArray("subtitle_languages")), dur,
                rs.getBoolean("has_dash"), rs.getString("protection"), rs.getString("access"), rs.getString("state"),
                admin ? rs.getString("source_path") != null : null, pub == null ? null : pub.toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
