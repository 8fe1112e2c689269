package dev.kino.control.comments;

import dev.kino.control.BadRequestException;
import dev.kino.control.comments.CommentTypes.RevisionView;
import dev.kino.control.comments.CommentTypes.Row;
import dev.kino.control.comments.CommentTypes.Sort;
import dev.kino.control.comments.CommentTypes.State;
import dev.kino.control.comments.CommentTypes.Target;
import dev.kino.control.http.Page;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code comments}, {@code comment_revisions}, {@code comment_mentions} and {@code comment_counts}. Methods taking
 * a {@link Handle} join the caller's transaction.
 *
 * <p>The "top" order is a stored {@code hot} value that only changes when the score does, so the first page of a
 * title with 100,000 comments is an index range scan: {@code hot = sign(s)·log10(max(|s|, 1)) + (t − 2023-11-14) /
 * 45,000 s} for score {@code s} and creation time {@code t} (the order Reddit published): ten times the score is
 * worth 12.5 hours of newness, so new comments get their chance and old favourites sink slowly.
 */
public final class CommentStore {
    /** Seconds of newness worth one order of magnitude of score. */
    static final double HOT_SECONDS = 45_000;
    private static final long HOT_EPOCH = 1_700_000_000L;

    private final Jdbi jdbi;

    public CommentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** @return the "top" key of a comment with this score written at this time */
    static double hot(int score, Instant createdAt) {
        double order = Math.log10(Math.max(Math.abs(score), 1));
        return Math.signum(score) * order + (createdAt.getEpochSecond() - HOT_EPOCH) / HOT_SECONDS;
    }

    void insert(Handle h, Row r, List<UUID> mentions) {
        h.createUpdate("""
                        insert into comments (id, title_id, media_id, parent_id, quote_id, author_id, body, spoiler, state,
                                              hot, created_at)
                        values (:id, :title, :media, :parent, :quote, :author, :body, :spoiler, :state, :hot, :at)""")
                .bind("id", r.id()).bind("title", r.titleId()).bind("media", r.mediaId()).bind("parent", r.parentId())
                .bind("quote", r.quoteId()).bind("author", r.authorId()).bind("body", r.body())
                .bind("spoiler", r.spoiler()).bind("state", r.state().name()).bind("hot", hot(0, r.createdAt()))
                .bind("at", Timestamp.from(r.createdAt())).execute();
        for (UUID m : mentions) {
            h.createUpdate("insert into comment_mentions (comment_id, account_id) values (:c, :a) on conflict do nothing")
                    .bind("c", r.id()).bind("a", m).execute();
        }
        if (r.parentId() != null && r.state() == State.visible) {
            h.createUpdate("update comments set reply_count = reply_count + 1 where id = :p").bind("p", r.parentId())
                    .execute();
        }
        if (r.state() == State.visible) {
            count(h, r.target(), 1);
        }
    }

    Optional<Row> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id, false));
    }

    /**
     * A comment and whether the place it is on can be seen.
     *
     * @param row the comment
     * @param placeVisible its media item is published, or (on a title) the title has a published media item
     * @param placeExists its media item or title exists (what a catalogue writer needs to see it)
     */
    record InPlace(Row row, boolean placeVisible, boolean placeExists) {
        /** @param admin the reader writes the catalogue (sees unpublished items) */
        boolean placeVisibleTo(boolean admin) {
            return admin ? placeExists : placeVisible;
        }
    }

    /**
     * What {@link #find(UUID)} and the catalogue's visibility of its place read, in one round trip, for readers
     * who write the catalogue and those who do not alike (votes read it once per batch, for every voter).
     */
    Optional<InPlace> findInPlace(Handle h, UUID id) {
        return h.createQuery("""
                        select c.*,
                               case when c.media_id is not null
                                    then exists (select 1 from media_items m where m.id = c.media_id
                                                    and m.state = 'published')
                                    else exists (select 1 from media_items m where m.title_id = c.title_id
                                                    and m.state = 'published')
                               end as place_visible,
                               case when c.media_id is not null
                                    then exists (select 1 from media_items m where m.id = c.media_id)
                                    else exists (select 1 from titles t where t.id = c.title_id)
                               end as place_exists
                          from comments c where c.id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new InPlace(row(rs), rs.getBoolean("place_visible"), rs.getBoolean("place_exists")))
                .findOne();
    }

    /** @param lock true to lock the row for the rest of the transaction */
    Optional<Row> find(Handle h, UUID id, boolean lock) {
        return h.createQuery("select * from comments where id = :id" + (lock ? " for update" : "")).bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne();
    }

    /**
     * @param viewer the reader (held comments of their own are listed), null for a guest
     * @param moderator true to list held and hidden comments too
     * @return up to {@code cursor.fetch()} top-level comments of a target in the order
     */
    List<Row> threads(Target target, Sort sort, UUID viewer, boolean moderator, Page.Cursor cursor) {
        StringBuilder sql = new StringBuilder("select * from comments c where c.parent_id is null and ");
        sql.append(target.onMedia() ? "c.media_id = :target" : "c.title_id = :target and c.media_id is null");
        sql.append(visibleTo(moderator));
        Map<String, Object> binds = new HashMap<>();
        binds.put("target", target.onMedia() ? target.mediaId() : target.titleId());
        binds.put("viewer", viewer);
        if (cursor.after() != null) {
            List<String> a = cursor.after();
            if (a.size() != 3 || !a.get(0).equals(sort.wire())) {
                throw new BadRequestException("cursor is not one returned by this API for sort=" + sort.wire());
            }
            if (sort == Sort.NEWEST) {
                sql.append(" and (c.created_at, c.id) < (:c0, :c1)");
                binds.put("c0", Timestamp.from(cursor.instant(1)));
            } else {
                sql.append(" and (c.hot, c.id) < (:c0, :c1)");
                try {
                    binds.put("c0", Double.parseDouble(a.get(1)));
                } catch (NumberFormatException e) {
                    throw new BadRequestException("cursor is not one returned by this API");
                }
            }
            binds.put("c1", cursor.uuid(2));
        }
        sql.append(sort == Sort.NEWEST ? " order by c.created_at desc, c.id desc" : " order by c.hot desc, c.id desc");
        sql.append(" limit :fetch");
        binds.put("fetch", cursor.fetch());
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString());
            binds.forEach(q::bind);
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    /** @return the cursor key of a top-level comment in an order */
    static List<String> key(Sort sort, Row r) {
        return List.of(sort.wire(), sort == Sort.NEWEST ? r.createdAt().toString() : Double.toString(r.hot()),
                r.id().toString());
    }

    /** @return up to {@code cursor.fetch()} replies of a top-level comment, oldest first */
    List<Row> replies(UUID parentId, UUID viewer, boolean moderator, Page.Cursor cursor) {
        String sql = "select * from comments c where c.parent_id = :p" + visibleTo(moderator)
                + (cursor.after() == null ? "" : " and (c.created_at, c.id) > (:c0, :c1)")
                + " order by c.created_at, c.id limit :fetch";
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql).bind("p", parentId).bind("viewer", viewer).bind("fetch", cursor.fetch());
            if (cursor.after() != null) {
                if (cursor.after().size() != 2) {
                    throw new BadRequestException("cursor is not one returned by this API");
                }
                q.bind("c0", Timestamp.from(cursor.instant(0))).bind("c1", cursor.uuid(1));
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    private static String visibleTo(boolean moderator) {
        return moderator ? "" : " and (c.state in ('visible', 'deleted') or (c.state = 'held' and c.author_id = :viewer))";
    }

    /** Replaces the text and flag, keeping the old ones as a revision. */
    void edit(Handle h, Row old, String body, boolean spoiler, UUID by, Instant now, boolean byAuthor) {
        int next = h.createQuery("select coalesce(max(revision), 0) + 1 from comment_revisions where comment_id = :c")
                .bind("c", old.id()).mapTo(Integer.class).one();
        h.createUpdate("insert into comment_revisions (comment_id, revision, body, spoiler, replaced_at, replaced_by)"
                        + " values (:c, :r, :b, :s, :at, :by)")
                .bind("c", old.id()).bind("r", next).bind("b", old.body()).bind("s", old.spoiler())
                .bind("at", Timestamp.from(now)).bind("by", by).execute();
        h.createUpdate("update comments set body = :b, spoiler = :s"
                        + (byAuthor ? ", edited_at = :at" : "") + " where id = :id")
                .bind("b", body).bind("s", spoiler).bind("at", Timestamp.from(now)).bind("id", old.id()).execute();
    }

    void replaceMentions(Handle h, UUID commentId, List<UUID> mentions) {
        h.createUpdate("delete from comment_mentions where comment_id = :c").bind("c", commentId).execute();
        for (UUID m : mentions) {
            h.createUpdate("insert into comment_mentions (comment_id, account_id) values (:c, :a) on conflict do nothing")
                    .bind("c", commentId).bind("a", m).execute();
        }
    }

    List<RevisionView> revisions(UUID commentId) {
        return jdbi.withHandle(h -> h.createQuery("select * from comment_revisions where comment_id = :c order by revision")
                .bind("c", commentId)
                .map((rs, ctx) -> new RevisionView(rs.getInt("revision"), rs.getString("body"), rs.getBoolean("spoiler"),
                        rs.getTimestamp("replaced_at").toInstant(), rs.getObject("replaced_by", UUID.class)))
                .list());
    }

    /** Moves a comment to another state, keeping reply and visible counts in step. */
    void setState(Handle h, Row r, State state, Instant now) {
        if (r.state() == state) {
            return;
        }
        h.createUpdate("update comments set state = :s" + (state == State.deleted ? ", body = '', deleted_at = :at" : "")
                        + " where id = :id")
                .bind("s", state.name()).bind("at", Timestamp.from(now)).bind("id", r.id()).execute();
        int delta = (state == State.visible ? 1 : 0) - (r.state() == State.visible ? 1 : 0);
        if (delta != 0) {
            count(h, r.target(), delta);
            if (r.parentId() != null) {
                h.createUpdate("update comments set reply_count = greatest(reply_count + :d, 0) where id = :p")
                        .bind("d", delta).bind("p", r.parentId()).execute();
            }
        }
    }

    /** Removes a comment for good (it has no replies). */
    void delete(Handle h, Row r) {
        h.createUpdate("delete from comments where id = :id").bind("id", r.id()).execute();
        if (r.state() == State.visible) {
            count(h, r.target(), -1);
            if (r.parentId() != null) {
                h.createUpdate("update comments set reply_count = greatest(reply_count - 1, 0) where id = :p")
                        .bind("p", r.parentId()).execute();
            }
        }
    }

    /** @return how many replies a comment has, whatever their state */
    int allReplies(Handle h, UUID id) {
        return h.createQuery("select count(*) from comments where parent_id = :id").bind("id", id).mapTo(Integer.class)
                .one();
    }

    /** Keeps the score and the "top" key in step with the reactions (in the reaction's transaction). */
    void setScore(Handle h, UUID id, int score, Instant createdAt) {
        h.createUpdate("update comments set score = :s, hot = :hot where id = :id")
                .bind("s", score).bind("id", id).bind("hot", hot(score, createdAt)).execute();
    }

    /** @return visible comments on a title itself and on each of its media items */
    CommentTypes.CommentCounts counts(UUID titleId, List<UUID> mediaIds) {
        return jdbi.withHandle(h -> {
            int title = h.createQuery("select count from comment_counts where target_type = 'title' and target_id = :t")
                    .bind("t", titleId).mapTo(Integer.class).findOne().orElse(0);
            Map<UUID, Integer> episodes = new java.util.LinkedHashMap<>();
            if (!mediaIds.isEmpty()) {
                h.createQuery("select target_id, count from comment_counts where target_type = 'media'"
                                + " and target_id = any(:ids) and count > 0")
                        .bindArray("ids", UUID.class, mediaIds.toArray())
                        .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getInt(2)))
                        .forEach(e -> episodes.put(e.getKey(), e.getValue()));
            }
            return new CommentTypes.CommentCounts(title, episodes);
        });
    }

    /** @return an account's latest visible comments, newest first */
    List<Row> recentVisible(UUID author, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select * from comments where author_id = :a and state = 'visible'"
                        + " order by created_at desc limit :n").bind("a", author).bind("n", limit)
                .map((rs, ctx) -> row(rs)).list());
    }

    /** @return the account ids a comment mentions */
    List<UUID> mentions(UUID commentId) {
        return jdbi.withHandle(h -> h.createQuery("select account_id from comment_mentions where comment_id = :c")
                .bind("c", commentId).mapTo(UUID.class).list());
    }

    /** @return comment ids by the account ids they mention, for a page of comments */
    Map<UUID, List<UUID>> mentions(List<UUID> commentIds) {
        Map<UUID, List<UUID>> out = new HashMap<>();
        if (commentIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("select comment_id, account_id from comment_mentions where comment_id = any(:ids)")
                .bindArray("ids", UUID.class, commentIds.toArray())
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue())));
        return out;
    }

    private static void count(Handle h, Target t, int delta) {
        h.createUpdate("""
                        insert into comment_counts (target_type, target_id, count) values (:type, :id, greatest(:d, 0))
                        on conflict (target_type, target_id) do update set count = greatest(comment_counts.count + :d, 0)""")
                .bind("type", t.onMedia() ? "media" : "title").bind("id", t.onMedia() ? t.mediaId() : t.titleId())
                .bind("d", delta).execute();
    }

    private static Row row(ResultSet rs) throws SQLException {
        Timestamp edited = rs.getTimestamp("edited_at");
        return new Row(rs.getObject("id", UUID.class), rs.getObject("title_id", UUID.class),
                rs.getObject("media_id", UUID.class), rs.getObject("parent_id", UUID.class),
                rs.getObject("quote_id", UUID.class), rs.getObject("author_id", UUID.class), rs.getString("body"),
                rs.getBoolean("spoiler"), State.valueOf(rs.getString("state")), rs.getInt("reply_count"),
                rs.getInt("score"), rs.getDouble("hot"), rs.getTimestamp("created_at").toInstant(),
                edited == null ? null : edited.toInstant());
    }

    /**
     * A visible comment matching a full-text search.
     *
     * @param rank PostgreSQL's {@code ts_rank_cd} of the comment for the query (higher is better)
     */
    public record CommentMatch(UUID id, UUID titleId, String body, Instant createdAt, double rank) {
    }

    /**
     * Full-text search over visible comments (held, hidden and deleted ones are never found), as
     * {@code ForumStore.search}: {@code simple} configuration, apostrophes removed, every word required
     * ({@code plainto_tsquery}: operators in the text are plain text); served by the GIN index
     * {@code comments_search} (migration V80).
     *
     * @param text the query
     * @param limit most rows, best first (then newest)
     */
    public List<CommentMatch> search(String text, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select c.id, c.title_id, c.body, c.created_at,
                               ts_rank_cd(to_tsvector('simple', translate(c.body, '''’ʼ', '')), q) as rank
                          from comments c, plainto_tsquery('simple', translate(:q, '''’ʼ', '')) q
                         where c.state = 'visible'
                           and to_tsvector('simple', translate(c.body, '''’ʼ', '')) @@ q
                         order by rank desc, c.created_at desc, c.id
                         limit :n""")
                .bind("q", text).bind("n", limit)
                .map((rs, ctx) -> new CommentMatch(rs.getObject("id", UUID.class), rs.getObject("title_id", UUID.class),
                        rs.getString("body"), rs.getTimestamp("created_at").toInstant(), rs.getDouble("rank")))
                .list());
    }

    /**
     * A comment as its author's data export shows it.
     *
     * @param id comment id
     * @param titleId the title it is under
     * @param mediaId the episode or film it is under, or null for the title itself
     * @param parentId the comment it answers, or null
     * @param body its text (empty once deleted)
     * @param spoiler whether it is marked as a spoiler
     * @param state {@code visible}, {@code held}, {@code hidden} or {@code deleted}
     * @param createdAt when it was written
     * @param editedAt when it was last edited, or null
     */
    public record Authored(UUID id, UUID titleId, UUID mediaId, UUID parentId, String body, boolean spoiler,
                           String state, Instant createdAt, Instant editedAt) {
    }

    /** @return the comments an account wrote, newest first, at most {@code limit} (the account's data export) */
    public List<Authored> byAuthor(UUID author, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select id, title_id, media_id, parent_id, body, spoiler, state,"
                        + " created_at, edited_at from comments where author_id = :a order by created_at desc limit :n")
                .bind("a", author).bind("n", limit)
                .map((rs, ctx) -> new Authored(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getString(5), rs.getBoolean(6),
                        rs.getString(7), rs.getTimestamp(8).toInstant(),
                        rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant()))
                .list());
    }
}
