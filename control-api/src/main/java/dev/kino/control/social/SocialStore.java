package dev.kino.control.social;

import dev.kino.control.ConflictException;
import dev.kino.control.NotFoundException;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaState;
import dev.kino.control.catalog.MediaStore.MediaRow;
import dev.kino.control.catalog.TitleSummary;
import dev.kino.control.http.Page;
import dev.kino.control.playback.Plans;
import dev.kino.control.social.SocialTypes.ContinueWatchingItem;
import dev.kino.control.social.SocialTypes.WatchlistEntry;
import dev.kino.control.social.SocialTypes.WatchlistStatus;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Owns {@code watchlist_entries}; builds continue-watching from the playback feature's saved positions
 * ({@link Plans#progress}). Everything about titles and media items (what they are, who may see them) comes from
 * the catalogue's API ({@link Catalog}), never from its tables. Blocking.
 *
 * <p>Visibility follows the catalogue: viewers without {@code catalog.write} only see titles with at least one
 * published media item and only published media; entries of titles that are not visible stay stored (they show
 * again when the title is published again) but are not listed. Pages are filled by reading this feature's rows in
 * key order, in batches, and keeping those the catalogue says are visible.
 */
public final class SocialStore {
    /** Most titles one watchlist holds. */
    public static final int MAX_WATCHLIST = 5_000;
    /** A media item counts as finished (and leaves continue-watching) from this fraction of its duration. */
    public static final double FINISHED_FRACTION = 0.95;
    /** Saved positions read per round while filling a continue-watching page. */
    static final int PROGRESS_BATCH = 100;
    /** Advisory lock class of a watchlist (the second key is the viewer profile), see {@link #add}. */
    private static final int WATCHLIST_LOCK = 7302;

    private final Jdbi jdbi;
    private final Clock clock;
    private final Catalog catalog;
    private final Plans plans;

    public SocialStore(Jdbi jdbi, Clock clock, Catalog catalog, Plans plans) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.catalog = catalog;
        this.plans = plans;
    }

    private record Entry(UUID titleId, Instant addedAt) {
    }

    /** @return the caller's watchlist, newest first */
    public Page<WatchlistEntry> watchlist(UUID profileId, boolean admin, Page.Cursor cursor) {
        Instant afterAt = cursor.after() == null ? null : cursor.instant(0);
        UUID afterId = cursor.after() == null ? null : cursor.uuid(1);
        List<WatchlistEntry> items = new ArrayList<>();
        int batch = cursor.fetch();
        while (items.size() < cursor.fetch()) {
            List<Entry> rows = entries(profileId, afterAt, afterId, batch);
            Map<UUID, TitleSummary> visible = catalog.visibleTitles(rows.stream().map(Entry::titleId).toList(), admin);
            for (Entry e : rows) {
                TitleSummary t = visible.get(e.titleId());
                if (t != null && items.size() < cursor.fetch()) {
                    items.add(new WatchlistEntry(e.titleId(), e.addedAt(), t));
                }
            }
            if (rows.size() < batch) {
                break;
            }
            afterAt = rows.get(rows.size() - 1).addedAt();
            afterId = rows.get(rows.size() - 1).titleId();
        }
        return Page.of(cursor, items, e -> List.of(e.addedAt().toString(), e.titleId().toString()));
    }

    private List<Entry> entries(UUID profileId, Instant afterAt, UUID afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select title_id, added_at from watchlist_entries
                         where profile_id = :a
                           and (cast(:afterAt as timestamptz) is null
                                or (added_at, title_id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)))
                         order by added_at desc, title_id desc limit :n""")
                .bind("a", profileId).bind("afterAt", afterAt == null ? null : Timestamp.from(afterAt))
                .bind("afterId", afterId).bind("n", limit)
                .map((rs, ctx) -> new Entry(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
                .list());
    }

    /** @return whether the title is in the caller's watchlist @throws NotFoundException for a title the caller cannot see */
    public WatchlistStatus status(UUID profileId, boolean admin, UUID titleId) {
        catalog.requireVisibleTitle(titleId, admin);
        return jdbi.withHandle(h -> h.createQuery("select added_at from watchlist_entries where profile_id = :a and title_id = :t")
                .bind("a", profileId).bind("t", titleId).mapTo(Timestamp.class).findOne()
                .map(ts -> new WatchlistStatus(titleId, true, ts.toInstant()))
                .orElse(new WatchlistStatus(titleId, false, null)));
    }

    /**
     * Adds a title (idempotent: a title already there keeps its date).
     *
     * @throws NotFoundException for a title the caller cannot see
     * @throws ConflictException when the watchlist is full
     */
    public WatchlistStatus add(UUID profileId, boolean admin, UUID titleId) {
        catalog.requireVisibleTitle(titleId, admin);
        return jdbi.inTransaction(h -> {
            // serialises concurrent adds of one profile, so the size limit holds (a transaction-scoped advisory
            // lock: no row of another feature's table is locked for it)
            h.execute("select pg_advisory_xact_lock(?, hashtext(?))", WATCHLIST_LOCK, profileId.toString());
            int size = h.createQuery("select count(*) from watchlist_entries where profile_id = :a")
                    .bind("a", profileId).mapTo(int.class).one();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            int added = h.createUpdate("""
                            insert into watchlist_entries (profile_id, title_id, added_at)
                            select :a, :t, :now where :room
                            on conflict (profile_id, title_id) do nothing""")
                    .bind("a", profileId).bind("t", titleId).bind("now", Timestamp.from(now))
                    .bind("room", size < MAX_WATCHLIST).execute();
            Timestamp at = h.createQuery("select added_at from watchlist_entries where profile_id = :a and title_id = :t")
                    .bind("a", profileId).bind("t", titleId).mapTo(Timestamp.class).findOne().orElse(null);
            if (added == 0 && at == null) {
                throw new ConflictException("the watchlist is full (" + MAX_WATCHLIST + " titles); remove some first");
            }
            return new WatchlistStatus(titleId, true, at.toInstant());
        });
    }

    /**
     * A watchlist entry, as the recommendations job reads them.
     *
     * @param accountId whose watchlist: the viewer profile's id (recommendations are per profile)
     * @param titleId the title
     * @param addedAt when it was added
     */
    public record WatchlistSignal(UUID accountId, UUID titleId, Instant addedAt) {
    }

    /**
     * Every profile's watchlist entries, a page at a time in (profile, title) order.
     *
     * @param afterAccount with {@code afterTitle}, the last row of the previous page, or null to start
     * @param afterTitle the last row's title, or null to start
     * @param limit most rows returned
     */
    public List<WatchlistSignal> watchlistSignals(UUID afterAccount, UUID afterTitle, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select profile_id, title_id, added_at from watchlist_entries
                         where cast(:a as uuid) is null or (profile_id, title_id) > (cast(:a as uuid), cast(:t as uuid))
                         order by profile_id, title_id limit :n""")
                .bind("a", afterAccount).bind("t", afterTitle).bind("n", limit)
                .map((rs, ctx) -> new WatchlistSignal(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant()))
                .list());
    }

    /** Removes a title (idempotent; any title id, so that hidden titles can be removed too). */
    public void remove(UUID profileId, UUID titleId) {
        jdbi.useHandle(h -> h.createUpdate("delete from watchlist_entries where profile_id = :a and title_id = :t")
                .bind("a", profileId).bind("t", titleId).execute());
    }

    /**
     * The media items the caller started and did not finish, newest first, one per title (the most recently
     * watched unfinished item of that title). Reads the saved positions newest first from the top, so that a title
     * already shown on an earlier page is never shown again.
     */
    public Page<ContinueWatchingItem> continueWatching(UUID profileId, boolean admin, Page.Cursor cursor) {
        Instant afterAt = cursor.after() == null ? null : cursor.instant(0);
        UUID afterId = cursor.after() == null ? null : cursor.uuid(1);
        record Row(Plans.Progress progress, MediaRow media) {
        }
        List<Row> rows = new ArrayList<>();
        Set<UUID> titlesSeen = new HashSet<>();
        Instant at = null;
        UUID media = null;
        while (rows.size() < cursor.fetch()) {
            List<Plans.Progress> batch = plans.progress(profileId, at, media, PROGRESS_BATCH);
            Map<UUID, MediaRow> items = catalog.media(batch.stream().map(Plans.Progress::mediaId).toList());
            for (Plans.Progress p : batch) {
                MediaRow m = items.get(p.mediaId());
                if (m == null || !unfinished(p, m) || !(admin || m.state() == MediaState.PUBLISHED)
                        || !titlesSeen.add(m.titleId())) {
                    continue;
                }
                boolean afterCursor = afterAt == null || p.updatedAt().isBefore(afterAt)
                        || (p.updatedAt().equals(afterAt) && compareAsPostgres(p.mediaId(), afterId) < 0);
                if (afterCursor && rows.size() < cursor.fetch()) {
                    rows.add(new Row(p, m));
                }
            }
            if (batch.size() < PROGRESS_BATCH) {
                break;
            }
            at = batch.get(batch.size() - 1).updatedAt();
            media = batch.get(batch.size() - 1).mediaId();
        }
        Map<UUID, TitleSummary> titles = catalog.visibleTitles(rows.stream().map(r -> r.media().titleId()).distinct().toList(), true);
        List<ContinueWatchingItem> items = new ArrayList<>();
        for (Row r : rows) {
            Integer d = r.media().durationSeconds();
            int position = r.progress().positionSeconds();
            Double progress = d == null || d <= 0 ? null : Math.min(1.0, position / (double) d);
            items.add(new ContinueWatchingItem(titles.get(r.media().titleId()), r.media().view(admin), position, d,
                    progress, r.progress().updatedAt()));
        }
        return Page.of(cursor, items, i -> List.of(i.updatedAt().toString(), i.media().id().toString()));
    }

    /** PostgreSQL orders {@code uuid} by its 16 bytes unsigned; {@link UUID#compareTo} compares signed halves. */
    static int compareAsPostgres(UUID a, UUID b) {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static boolean unfinished(Plans.Progress p, MediaRow m) {
        return p.positionSeconds() > 0
                && (m.durationSeconds() == null || p.positionSeconds() < m.durationSeconds() * FINISHED_FRACTION);
    }

    /** @return up to {@code limit} accounts with the title on their watchlist after {@code after} (null: from the first), by id */
    public List<UUID> watchers(UUID titleId, UUID after, int limit) {
        // one account once, however many of its profiles list the title (notifications go to accounts)
        return jdbi.withHandle(h -> h.createQuery("select distinct account_id from watchlist_entries where title_id = :t"
                        + " and (cast(:after as uuid) is null or account_id > cast(:after as uuid))"
                        + " order by account_id limit :n")
                .bind("t", titleId).bind("after", after).bind("n", limit).mapTo(UUID.class).list());
    }

    /**
     * @param titleId a title on the watchlist
     * @param addedAt when it was added
     */
    public record Listed(UUID titleId, Instant addedAt) {
    }

    /** @return a profile's whole watchlist, newest first (the account's data export; no catalogue details) */
    public List<Listed> watchlistOf(UUID profileId) {
        return jdbi.withHandle(h -> h.createQuery("select title_id, added_at from watchlist_entries"
                        + " where profile_id = :a order by added_at desc").bind("a", profileId)
                .map((rs, ctx) -> new Listed(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
                .list());
    }
}
