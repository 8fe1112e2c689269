package dev.kino.control.recommend;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns the recommendations tables ({@code recommend_taste}, {@code recommend_similar}, {@code recommend_trending},
 * {@code recommend_top_rated}, {@code recommend_shelves}, {@code recommend_accounts}, {@code recommend_runs}): the only
 * class with SQL on them. Blocking (JDBC). The computed tables are written only by {@link #save}, in one transaction,
 * so readers see one run's results or the next one's, never a mix. Rows name titles and accounts through foreign keys
 * that cascade, so a deleted title or account leaves no row behind (a run that races such a deletion fails as a whole
 * and the next run writes without it).
 */
public final class RecommendStore {
    private final Jdbi jdbi;

    public RecommendStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A title in a ranked list.
     *
     * @param titleId the title
     * @param score its score (higher is better; the scale depends on the list)
     */
    public record Ranked(UUID titleId, float score) {
    }

    /**
     * Stored taste picks.
     *
     * @param accountId the account
     * @param genres lower-cased genres
     * @param titleIds titles
     * @param updatedAt when they were set
     */
    public record StoredTaste(UUID accountId, List<String> genres, List<UUID> titleIds, Instant updatedAt) {
    }

    /**
     * One title on one of an account's shelves.
     *
     * @param position the shelf's place on the page, from 0
     * @param kind {@link RecommendTypes.ShelfKind#wire()} of a personal shelf
     * @param anchorId the title of a because-you-watched shelf, else null
     * @param genre the genre of a top-rated-in-genre shelf, else null
     * @param titleId the title
     * @param score its score on the shelf
     */
    public record ShelfRow(int position, String kind, UUID anchorId, String genre, UUID titleId, float score) {
    }

    /**
     * An account's computed shelves.
     *
     * @param computedAt when they were computed
     * @param rows shelf rows by position, then rank
     * @param known titles the account had any signal for then
     */
    public record AccountShelves(Instant computedAt, List<ShelfRow> rows, List<UUID> known) {
    }

    /**
     * What the background job computed in one run.
     *
     * @param similar each title's similar titles, best first (replaces all)
     * @param trending trending titles, best first (replaces all)
     * @param topRated top-rated titles per genre, best first (replaces all)
     * @param accounts recomputed accounts' shelves (replace theirs; other accounts keep theirs)
     * @param latestSignal the newest signal time of each recomputed account, or absent
     * @param known the titles each recomputed account has any signal for
     * @param run the run's figures
     */
    public record Computed(Map<UUID, List<Ranked>> similar, List<Ranked> trending, Map<String, List<Ranked>> topRated,
                           Map<UUID, List<ShelfRow>> accounts, Map<UUID, Instant> latestSignal,
                           Map<UUID, List<UUID>> known, Run run) {
    }

    /**
     * A job run's figures.
     *
     * @param startedAt when it began
     * @param finishedAt when its results were computed
     * @param full whether every account was recomputed
     * @param signals signals read
     * @param accounts accounts with any signal or taste
     * @param titles titles in the catalogue
     * @param recomputed accounts whose shelves were recomputed
     */
    public record Run(Instant startedAt, Instant finishedAt, boolean full, long signals, int accounts, int titles,
                      int recomputed) {
    }

    // ---- taste ----------------------------------------------------------------------------------------------------

    /** @return the account's taste picks, if it set any */
    public Optional<StoredTaste> taste(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("select * from recommend_taste where profile_id = :a")
                .bind("a", accountId).map((rs, ctx) -> taste(rs)).findOne());
    }

    /** @return every account's taste picks */
    public List<StoredTaste> tastes() {
        return jdbi.withHandle(h -> h.createQuery("select * from recommend_taste").map((rs, ctx) -> taste(rs)).list());
    }

    private static StoredTaste taste(java.sql.ResultSet rs) throws SQLException {
        return new StoredTaste(rs.getObject("profile_id", UUID.class), strings(rs.getArray("genres")),
                uuids(rs.getArray("title_ids")), rs.getTimestamp("updated_at").toInstant());
    }

    /** Replaces the account's taste picks. */
    public void saveTaste(UUID accountId, List<String> genres, List<UUID> titleIds, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into recommend_taste (profile_id, genres, title_ids, updated_at) values (:a, :g, :t, :now)
                        on conflict (profile_id) do update set genres = excluded.genres, title_ids = excluded.title_ids,
                            updated_at = excluded.updated_at""")
                .bind("a", accountId).bindArray("g", String.class, genres.toArray())
                .bindArray("t", UUID.class, titleIds.toArray()).bind("now", Timestamp.from(now)).execute());
    }

    /** @return each account's primary viewer profile, by account id */
    public Map<UUID, UUID> primaryProfiles() {
        Map<UUID, UUID> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select account_id, id from profiles where is_primary")
                .map((rs, ctx) -> out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list());
        return out;
    }

    // ---- computed lists -------------------------------------------------------------------------------------------

    /** @return the title's similar titles, best first */
    public List<Ranked> similar(UUID titleId, int limit) {
        return similar(List.of(titleId), limit).getOrDefault(titleId, List.of());
    }

    /** @return each title's similar titles, best first (titles without any are absent) */
    public Map<UUID, List<Ranked>> similar(List<UUID> titleIds, int limit) {
        Map<UUID, List<Ranked>> out = new LinkedHashMap<>();
        if (titleIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("""
                        select title_id, similar_id, score from recommend_similar
                         where title_id = any(:ids) and rank < :n order by title_id, rank""")
                .bindArray("ids", UUID.class, titleIds.toArray()).bind("n", limit)
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), new Ranked(rs.getObject(2, UUID.class), rs.getFloat(3))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())));
        return out;
    }

    /** @return trending titles, best first */
    public List<Ranked> trending(int limit) {
        return jdbi.withHandle(h -> h.createQuery("select title_id, score from recommend_trending where rank < :n order by rank")
                .bind("n", limit).map((rs, ctx) -> new Ranked(rs.getObject(1, UUID.class), rs.getFloat(2))).list());
    }

    /** @return the genre's top-rated titles, best first */
    public List<Ranked> topRated(String genre, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select title_id, score from recommend_top_rated where genre = :g and rank < :n order by rank""")
                .bind("g", genre).bind("n", limit).map((rs, ctx) -> new Ranked(rs.getObject(1, UUID.class), rs.getFloat(2)))
                .list());
    }

    /** @return genres with top-rated lists, the largest lists first, then by name */
    public List<String> genres() {
        return jdbi.withHandle(h -> h.createQuery("""
                        select genre from recommend_top_rated group by genre order by count(*) desc, genre""")
                .mapTo(String.class).list());
    }

    /** @return the account's computed shelves, if the job computed any */
    public Optional<AccountShelves> shelves(UUID accountId) {
        return jdbi.withHandle(h -> {
            Optional<Map.Entry<Instant, List<UUID>>> at = h.createQuery(
                            "select computed_at, known_titles from recommend_accounts where profile_id = :a")
                    .bind("a", accountId).map((rs, ctx) -> Map.entry(rs.getTimestamp(1).toInstant(), uuids(rs.getArray(2))))
                    .findOne();
            if (at.isEmpty()) {
                return Optional.empty();
            }
            List<ShelfRow> rows = h.createQuery("""
                            select position, kind, anchor_id, genre, title_id, score from recommend_shelves
                             where profile_id = :a order by position, rank""")
                    .bind("a", accountId)
                    .map((rs, ctx) -> new ShelfRow(rs.getInt(1), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getObject(5, UUID.class), rs.getFloat(6)))
                    .list();
            return Optional.of(new AccountShelves(at.get().getKey(), rows, at.get().getValue()));
        });
    }

    /** @return the newest signal time each computed account's shelves were built from (null: none) */
    public Map<UUID, Instant> latestSignals() {
        Map<UUID, Instant> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select profile_id, latest_signal from recommend_accounts")
                .map((rs, ctx) -> {
                    Timestamp t = rs.getTimestamp(2);
                    out.put(rs.getObject(1, UUID.class), t == null ? null : t.toInstant());
                    return 0;
                }).list());
        return out;
    }

    /** @return when the last run that recomputed every account started, if any */
    public Optional<Instant> lastFullRun() {
        return jdbi.withHandle(h -> h.createQuery("select max(started_at) from recommend_runs where full_run")
                .mapTo(Timestamp.class).findOne().map(Timestamp::toInstant));
    }

    /** @return the last run's figures, if any */
    public Optional<Run> lastRun() {
        return jdbi.withHandle(h -> h.createQuery("select * from recommend_runs order by id desc limit 1")
                .map((rs, ctx) -> new Run(rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("finished_at").toInstant(),
                        rs.getBoolean("full_run"), rs.getLong("signals"), rs.getInt("accounts"), rs.getInt("titles"),
                        rs.getInt("recomputed"))).findOne());
    }

    /** Writes one run's results in one transaction (see {@link Computed} for what each part replaces). */
    public void save(Computed c) {
        jdbi.useTransaction(h -> {
            h.execute("delete from recommend_similar");
            PreparedBatch similar = h.prepareBatch("""
                    insert into recommend_similar (title_id, rank, similar_id, score) values (:t, :r, :s, :score)""");
            c.similar().forEach((title, list) -> {
                for (int r = 0; r < list.size(); r++) {
                    similar.bind("t", title).bind("r", r).bind("s", list.get(r).titleId()).bind("score", list.get(r).score())
                            .add();
                }
            });
            execute(similar);
            h.execute("delete from recommend_trending");
            PreparedBatch trending = h.prepareBatch(
                    "insert into recommend_trending (rank, title_id, score) values (:r, :t, :score)");
            for (int r = 0; r < c.trending().size(); r++) {
                trending.bind("r", r).bind("t", c.trending().get(r).titleId()).bind("score", c.trending().get(r).score()).add();
            }
            execute(trending);
            h.execute("delete from recommend_top_rated");
            PreparedBatch top = h.prepareBatch(
                    "insert into recommend_top_rated (genre, rank, title_id, score) values (:g, :r, :t, :score)");
            c.topRated().forEach((genre, list) -> {
                for (int r = 0; r < list.size(); r++) {
                    top.bind("g", genre).bind("r", r).bind("t", list.get(r).titleId()).bind("score", list.get(r).score()).add();
                }
            });
            execute(top);
            saveAccounts(h, c);
            h.createUpdate("""
                            insert into recommend_runs (started_at, finished_at, full_run, signals, accounts, titles,
                                                        recomputed, millis)
                            values (:s, :f, :full, :signals, :accounts, :titles, :recomputed, :ms)""")
                    .bind("s", Timestamp.from(c.run().startedAt())).bind("f", Timestamp.from(c.run().finishedAt()))
                    .bind("full", c.run().full()).bind("signals", c.run().signals()).bind("accounts", c.run().accounts())
                    .bind("titles", c.run().titles()).bind("recomputed", c.run().recomputed())
                    .bind("ms", c.run().finishedAt().toEpochMilli() - c.run().startedAt().toEpochMilli()).execute();
        });
    }

    private static void saveAccounts(Handle h, Computed c) {
        if (c.accounts().isEmpty()) {
            return;
        }
        UUID[] ids = c.accounts().keySet().toArray(UUID[]::new);
        h.createUpdate("delete from recommend_shelves where profile_id = any(:ids)").bindArray("ids", UUID.class, (Object[]) ids)
                .execute();
        PreparedBatch rows = h.prepareBatch("""
                insert into recommend_shelves (profile_id, position, kind, anchor_id, genre, rank, title_id, score)
                values (:a, :p, :k, :anchor, :g, :r, :t, :score)""");
        PreparedBatch accounts = h.prepareBatch("""
                insert into recommend_accounts (profile_id, computed_at, latest_signal, known_titles)
                values (:a, :at, :latest, :known)
                on conflict (profile_id) do update set computed_at = excluded.computed_at,
                    latest_signal = excluded.latest_signal, known_titles = excluded.known_titles""");
        Timestamp at = Timestamp.from(c.run().finishedAt());
        // a profile deleted since the run read its signals has nothing to keep (its rows would break the foreign key)
        java.util.Set<UUID> live = new java.util.HashSet<>(h.createQuery("select id from profiles where id = any(:ids)")
                .bindArray("ids", UUID.class, (Object[]) ids).mapTo(UUID.class).list());
        c.accounts().forEach((account, list) -> {
            if (!live.contains(account)) {
                return;
            }
            Map<Integer, Integer> rank = new HashMap<>();
            for (ShelfRow r : list) {
                rows.bind("a", account).bind("p", r.position()).bind("k", r.kind()).bind("anchor", r.anchorId())
                        .bind("g", r.genre()).bind("r", rank.merge(r.position(), 1, Integer::sum) - 1)
                        .bind("t", r.titleId()).bind("score", r.score()).add();
            }
            Instant latest = c.latestSignal().get(account);
            accounts.bind("a", account).bind("at", at).bind("latest", latest == null ? null : Timestamp.from(latest))
                    .bindArray("known", UUID.class, c.known().getOrDefault(account, List.of()).toArray()).add();
        });
        execute(rows);
        execute(accounts);
    }

    private static void execute(PreparedBatch batch) {
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    private static List<UUID> uuids(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        List<UUID> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
            out.add((UUID) o);
        }
        return out;
    }
}
