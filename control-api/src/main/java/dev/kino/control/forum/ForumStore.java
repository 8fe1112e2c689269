package dev.kino.control.forum;

import dev.kino.control.BadRequestException;
import dev.kino.control.forum.ForumTypes.CategoryInput;
import dev.kino.control.forum.ForumTypes.CategoryView;
import dev.kino.control.forum.ForumTypes.PostRow;
import dev.kino.control.forum.ForumTypes.State;
import dev.kino.control.forum.ForumTypes.ThreadRow;
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
import java.util.Set;
import java.util.UUID;

/**
 * Owns {@code forum_categories}, {@code forum_threads}, {@code forum_posts}, {@code forum_reads} and
 * {@code forum_follows}. A post takes the next number of its thread under the thread's row lock, so numbers are dense
 * and read positions ("read up to post 41") are exact.
 */
public final class ForumStore {
    /** The category of titles' and episodes' own threads (made by the migration). */
    static final UUID TITLES_CATEGORY = UUID.fromString("00000000-0000-4000-8000-000000000001");

    private final Jdbi jdbi;

    public ForumStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    // ---- categories -------------------------------------------------------------------------------------------

    List<CategoryView> categories() {
        return jdbi.withHandle(h -> h.createQuery("""
                        select c.*, (select count(*) from forum_threads t where t.category_id = c.id) as threads
                          from forum_categories c order by c.position, c.name""")
                .map((rs, ctx) -> category(rs)).list());
    }

    Optional<CategoryView> category(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select c.*, (select count(*) from forum_threads t where t.category_id = c.id) as threads
                          from forum_categories c where c.id = :id""").bind("id", id)
                .map((rs, ctx) -> category(rs)).findOne());
    }

    /** @return false when the slug is taken */
    boolean insertCategory(UUID id, CategoryInput in, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        insert into forum_categories (id, slug, name, description, position, created_at)
                        values (:id, :slug, :name, :d, :p, :now) on conflict (slug) do nothing""")
                .bind("id", id).bind("slug", in.slug()).bind("name", in.name())
                .bind("d", in.description() == null ? "" : in.description())
                .bind("p", in.position() == null ? 0 : in.position()).bind("now", Timestamp.from(now)).execute()) == 1;
    }

    /** @return false when the slug is taken by another category */
    boolean updateCategory(UUID id, CategoryInput in) {
        return jdbi.withHandle(h -> {
            boolean taken = h.createQuery("select exists (select 1 from forum_categories where slug = :s and id <> :id)")
                    .bind("s", in.slug()).bind("id", id).mapTo(Boolean.class).one();
            if (taken) {
                return false;
            }
            h.createUpdate("update forum_categories set slug = :slug, name = :name, description = :d, position = :p"
                            + " where id = :id")
                    .bind("id", id).bind("slug", in.slug()).bind("name", in.name())
                    .bind("d", in.description() == null ? "" : in.description())
                    .bind("p", in.position() == null ? 0 : in.position()).execute();
            return true;
        });
    }

    boolean deleteCategory(UUID id) {
        return jdbi.withHandle(h -> h.createUpdate("delete from forum_categories where id = :id").bind("id", id)
                .execute()) == 1;
    }

    // ---- threads ----------------------------------------------------------------------------------------------

    void insertThread(Handle h, ThreadRow t) {
        h.createUpdate("""
                        insert into forum_threads (id, category_id, subject, author_id, title_id, media_id, pinned, locked,
                                                   last_post_at, created_at, held)
                        values (:id, :c, :s, :a, :t, :m, false, false, :at, :at, :held)""")
                .bind("held", t.held()).bind("id", t.id()).bind("c", t.categoryId()).bind("s", t.subject()).bind("a", t.authorId())
                .bind("t", t.titleId()).bind("m", t.mediaId()).bind("at", Timestamp.from(t.createdAt())).execute();
    }

    /**
     * @return the title's (mediaId null) or episode's own thread, made with {@code subject} if it did not exist
     *         (a concurrent first use finds the other's)
     */
    ThreadRow ensureOwnThread(UUID titleId, UUID mediaId, String subject, Instant now) {
        return jdbi.inTransaction(h -> {
            Optional<ThreadRow> found = ownThread(h, titleId, mediaId);
            if (found.isPresent()) {
                return found.get();
            }
            h.createUpdate("""
                            insert into forum_threads (id, category_id, subject, title_id, media_id, last_post_at, created_at)
                            values (:id, :c, :s, :t, :m, :at, :at) on conflict do nothing""")
                    .bind("id", UUID.randomUUID()).bind("c", TITLES_CATEGORY).bind("s", subject).bind("t", titleId)
                    .bind("m", mediaId).bind("at", Timestamp.from(now)).execute();
            return ownThread(h, titleId, mediaId).orElseThrow();
        });
    }

    private static Optional<ThreadRow> ownThread(Handle h, UUID titleId, UUID mediaId) {
        return (mediaId == null
                ? h.createQuery("select * from forum_threads where title_id = :t and media_id is null").bind("t", titleId)
                : h.createQuery("select * from forum_threads where media_id = :m").bind("m", mediaId))
                .map((rs, ctx) -> thread(rs)).findOne();
    }

    Optional<ThreadRow> thread(UUID id) {
        return jdbi.withHandle(h -> thread(h, id, false));
    }

    Optional<ThreadRow> thread(Handle h, UUID id, boolean lock) {
        return h.createQuery("select * from forum_threads where id = :id" + (lock ? " for update" : "")).bind("id", id)
                .map((rs, ctx) -> thread(rs)).findOne();
    }

    /** @return up to {@code cursor.fetch()} threads of a category: pinned first, then by newest post */
    List<ThreadRow> threads(UUID categoryId, Page.Cursor cursor) {
        String sql = "select * from forum_threads where category_id = :c"
                + (cursor.after() == null ? "" : " and (pinned::int, last_post_at, id) < (:c0, :c1, :c2)")
                + " order by pinned desc, last_post_at desc, id desc limit :fetch";
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql).bind("c", categoryId).bind("fetch", cursor.fetch());
            if (cursor.after() != null) {
                if (cursor.after().size() != 3) {
                    throw new BadRequestException("cursor is not one returned by this API");
                }
                q.bind("c0", "1".equals(cursor.after().get(0)) ? 1 : 0).bind("c1", Timestamp.from(cursor.instant(1)))
                        .bind("c2", cursor.uuid(2));
            }
            return q.map((rs, ctx) -> thread(rs)).list();
        });
    }

    static List<String> key(ThreadRow t) {
        return List.of(t.pinned() ? "1" : "0", t.lastPostAt().toString(), t.id().toString());
    }

    void setFlags(UUID id, Boolean pinned, Boolean locked) {
        jdbi.useHandle(h -> h.createUpdate("update forum_threads set pinned = coalesce(:p, pinned),"
                        + " locked = coalesce(:l, locked) where id = :id")
                .bind("p", pinned).bind("l", locked).bind("id", id).execute());
    }

    // ---- posts ------------------------------------------------------------------------------------------------

    /** Adds a post as the thread's next (the caller holds the thread's row lock). @return its number */
    long insertPost(Handle h, ThreadRow locked, UUID id, UUID author, String body, UUID quote, State state, Instant now) {
        long seq = h.createQuery("select coalesce(max(seq), 0) + 1 from forum_posts where thread_id = :t")
                .bind("t", locked.id()).mapTo(Long.class).one();
        h.createUpdate("""
                        insert into forum_posts (id, thread_id, seq, author_id, body, quote_id, state, created_at)
                        values (:id, :t, :seq, :a, :b, :q, :s, :at)""")
                .bind("id", id).bind("t", locked.id()).bind("seq", seq).bind("a", author).bind("b", body)
                .bind("q", quote).bind("s", state.name()).bind("at", Timestamp.from(now)).execute();
        if (state == State.visible) {
            h.createUpdate("update forum_threads set post_count = post_count + 1, last_seq = :seq, last_post_at = :at"
                            + " where id = :t")
                    .bind("seq", seq).bind("at", Timestamp.from(now)).bind("t", locked.id()).execute();
        }
        return seq;
    }

    Optional<PostRow> post(UUID id) {
        return jdbi.withHandle(h -> post(h, id, false));
    }

    Optional<PostRow> post(Handle h, UUID id, boolean lock) {
        return h.createQuery("select * from forum_posts where id = :id" + (lock ? " for update" : "")).bind("id", id)
                .map((rs, ctx) -> post(rs)).findOne();
    }

    /**
     * A post with what deciding who may react to it needs: its thread's readability fields and the catalogue's
     * visibility of the thread's title or episode, for readers who write the catalogue and those who do not.
     *
     * @param thread the post's thread, null when it is gone
     * @param placeVisible the thread's title or episode is visible to readers without {@code catalog.write} (a
     *                     published episode, a title with one; true for a thread of a category)
     * @param placeExists the title or episode exists (what readers with {@code catalog.write} see; true likewise)
     */
    record PostInPlace(PostRow post, ThreadRow thread, boolean placeVisible, boolean placeExists) {
        /** @param admin the reader writes the catalogue (sees unpublished items) */
        boolean placeVisibleTo(boolean admin) {
            return admin ? placeExists : placeVisible;
        }
    }

    /**
     * What {@link #post(UUID)}, {@link #thread(UUID)} and the catalogue's visibility of the thread's place read
     * (as {@code Catalog.visibleMedia} and {@code Catalog.requireVisibleTitle} decide it), in one round trip: votes
     * read it once per batch, for every voter.
     */
    Optional<PostInPlace> postInPlace(Handle h, UUID id) {
        return h.createQuery("""
                        select p.*, t.id as t_id, t.category_id as t_category_id, t.subject as t_subject,
                               t.author_id as t_author_id, t.title_id as t_title_id, t.media_id as t_media_id,
                               t.pinned as t_pinned, t.locked as t_locked, t.post_count as t_post_count,
                               t.last_seq as t_last_seq, t.last_post_at as t_last_post_at,
                               t.created_at as t_created_at, t.held as t_held,
                               case when t.media_id is not null
                                    then exists (select 1 from media_items m where m.id = t.media_id
                                                    and m.state = 'published')
                                    when t.title_id is not null
                                    then exists (select 1 from media_items m where m.title_id = t.title_id
                                                    and m.state = 'published')
                                    else true
                               end as place_visible,
                               case when t.media_id is not null
                                    then exists (select 1 from media_items m where m.id = t.media_id)
                                    when t.title_id is not null
                                    then exists (select 1 from titles x where x.id = t.title_id)
                                    else true
                               end as place_exists
                          from forum_posts p left join forum_threads t on t.id = p.thread_id
                         where p.id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new PostInPlace(post(rs), rs.getObject("t_id") == null ? null
                        : new ThreadRow(rs.getObject("t_id", UUID.class), rs.getObject("t_category_id", UUID.class),
                                rs.getString("t_subject"), rs.getObject("t_author_id", UUID.class),
                                rs.getObject("t_title_id", UUID.class), rs.getObject("t_media_id", UUID.class),
                                rs.getBoolean("t_pinned"), rs.getBoolean("t_locked"), rs.getInt("t_post_count"),
                                rs.getLong("t_last_seq"), rs.getTimestamp("t_last_post_at").toInstant(),
                                rs.getTimestamp("t_created_at").toInstant(), rs.getBoolean("t_held")),
                        rs.getBoolean("place_visible"), rs.getBoolean("place_exists")))
                .findOne();
    }

    /** @return up to {@code cursor.fetch()} posts of a thread in order, from the cursor's number on */
    List<PostRow> posts(UUID threadId, UUID viewer, boolean moderator, Page.Cursor cursor) {
        String sql = "select * from forum_posts p where p.thread_id = :t"
                + (moderator ? "" : " and (p.state in ('visible', 'deleted') or (p.state = 'held' and p.author_id = :v))")
                + (cursor.after() == null ? "" : " and p.seq > :after") + " order by p.seq limit :fetch";
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql).bind("t", threadId).bind("v", viewer).bind("fetch", cursor.fetch());
            if (cursor.after() != null) {
                try {
                    q.bind("after", Long.parseLong(cursor.after().get(0)));
                } catch (RuntimeException e) {
                    throw new BadRequestException("cursor is not one returned by this API");
                }
            }
            return q.map((rs, ctx) -> post(rs)).list();
        });
    }

    void editPost(Handle h, UUID id, String body, Instant now) {
        h.createUpdate("update forum_posts set body = :b, edited_at = :at where id = :id")
                .bind("b", body).bind("at", Timestamp.from(now)).bind("id", id).execute();
    }

    /** Moves a post to a state, keeping the thread's post count in step. */
    void setPostState(Handle h, PostRow p, State state) {
        if (p.state() == state) {
            return;
        }
        h.createUpdate("update forum_posts set state = :s" + (state == State.deleted ? ", body = ''" : "") + " where id = :id")
                .bind("s", state.name()).bind("id", p.id()).execute();
        if (p.seq() == 1 && p.state() == State.held && state == State.visible) { // the opening post approved
            h.createUpdate("update forum_threads set held = false where id = :t").bind("t", p.threadId()).execute();
        }
        int delta = (state == State.visible ? 1 : 0) - (p.state() == State.visible ? 1 : 0);
        if (delta != 0) {
            h.createUpdate("update forum_threads set post_count = greatest(post_count + :d, 0) where id = :t")
                    .bind("d", delta).bind("t", p.threadId()).execute();
        }
    }

    /** @return up to {@code limit} followers of a thread after {@code after} (null: from the first), by account id */
    List<UUID> followers(UUID thread, UUID after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select account_id from forum_follows where thread_id = :t"
                        + " and (cast(:after as uuid) is null or account_id > cast(:after as uuid))"
                        + " order by account_id limit :n")
                .bind("t", thread).bind("after", after).bind("n", limit).mapTo(UUID.class).list());
    }

    /** @return true when the account has a post others can see */
    boolean hasVisiblePosts(UUID author) {
        return jdbi.withHandle(h -> h.createQuery("select exists (select 1 from forum_posts where author_id = :a"
                + " and state = 'visible')").bind("a", author).mapTo(Boolean.class).one());
    }

    void setScore(Handle h, UUID postId, int score) {
        h.createUpdate("update forum_posts set score = :s where id = :id").bind("s", score).bind("id", postId).execute();
    }

    // ---- reads and follows ------------------------------------------------------------------------------------

    /** Moves the reader's position forward (never back). */
    void markRead(UUID account, UUID thread, long seq) {
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into forum_reads (account_id, thread_id, last_seq) values (:a, :t, :s)
                        on conflict (account_id, thread_id) do update set last_seq = greatest(forum_reads.last_seq, :s)""")
                .bind("a", account).bind("t", thread).bind("s", seq).execute());
    }

    /** @return unread visible posts per thread for a reader: posts after their position (all, if never read) */
    Map<UUID, Long> unread(UUID account, List<UUID> threads) {
        Map<UUID, Long> out = new HashMap<>();
        if (account == null || threads.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("""
                        select t.id, (select count(*) from forum_posts p where p.thread_id = t.id and p.state = 'visible'
                                        and p.seq > coalesce(r.last_seq, 0))
                          from forum_threads t left join forum_reads r on r.thread_id = t.id and r.account_id = :a
                         where t.id = any(:ids)""")
                .bind("a", account).bindArray("ids", UUID.class, threads.toArray())
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    void follow(UUID account, UUID thread, boolean on, Instant now) {
        jdbi.useHandle(h -> (on
                ? h.createUpdate("insert into forum_follows (account_id, thread_id, created_at) values (:a, :t, :now)"
                + " on conflict do nothing").bind("now", Timestamp.from(now))
                : h.createUpdate("delete from forum_follows where account_id = :a and thread_id = :t"))
                .bind("a", account).bind("t", thread).execute());
    }

    Set<UUID> followed(UUID account, List<UUID> threads) {
        if (account == null || threads.isEmpty()) {
            return Set.of();
        }
        return jdbi.withHandle(h -> Set.copyOf(h.createQuery("select thread_id from forum_follows where account_id = :a"
                        + " and thread_id = any(:ids)")
                .bind("a", account).bindArray("ids", UUID.class, threads.toArray()).mapTo(UUID.class).list()));
    }

    /** @return the accounts that follow a thread (the notifications feature delivers to them) */
    public List<UUID> followers(UUID thread) {
        return jdbi.withHandle(h -> h.createQuery("select account_id from forum_follows where thread_id = :t")
                .bind("t", thread).mapTo(UUID.class).list());
    }

    /**
     * A follow of a title's (or one of its episodes') discussion thread, as the recommendations job reads them.
     *
     * @param accountId the follower
     * @param threadId the thread
     * @param titleId the title the thread is about
     * @param at when it was followed
     */
    public record TitleFollow(UUID accountId, UUID threadId, UUID titleId, Instant at) {
    }

    /**
     * Every follow of a thread about a title, a page at a time in (account, thread) order.
     *
     * @param afterAccount with {@code afterThread}, the last row of the previous page, or null to start
     * @param afterThread the last row's thread, or null to start
     * @param limit most rows returned
     */
    public List<TitleFollow> titleFollows(UUID afterAccount, UUID afterThread, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select f.account_id, f.thread_id, t.title_id, f.created_at
                          from forum_follows f join forum_threads t on t.id = f.thread_id
                         where t.title_id is not null
                           and (cast(:a as uuid) is null or (f.account_id, f.thread_id) > (cast(:a as uuid), cast(:t as uuid)))
                         order by f.account_id, f.thread_id limit :n""")
                .bind("a", afterAccount).bind("t", afterThread).bind("n", limit)
                .map((rs, ctx) -> new TitleFollow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getTimestamp(4).toInstant()))
                .list());
    }

    // ---- rows -------------------------------------------------------------------------------------------------

    private static CategoryView category(ResultSet rs) throws SQLException {
        return new CategoryView(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"),
                rs.getString("description"), rs.getInt("position"), rs.getInt("threads"));
    }

    private static ThreadRow thread(ResultSet rs) throws SQLException {
        return new ThreadRow(rs.getObject("id", UUID.class), rs.getObject("category_id", UUID.class),
                rs.getString("subject"), rs.getObject("author_id", UUID.class), rs.getObject("title_id", UUID.class),
                rs.getObject("media_id", UUID.class), rs.getBoolean("pinned"), rs.getBoolean("locked"),
                rs.getInt("post_count"), rs.getLong("last_seq"), rs.getTimestamp("last_post_at").toInstant(),
                rs.getTimestamp("created_at").toInstant(), rs.getBoolean("held"));
    }

    private static PostRow post(ResultSet rs) throws SQLException {
        Timestamp edited = rs.getTimestamp("edited_at");
        return new PostRow(rs.getObject("id", UUID.class), rs.getObject("thread_id", UUID.class), rs.getLong("seq"),
                rs.getObject("author_id", UUID.class), rs.getString("body"), rs.getObject("quote_id", UUID.class),
                State.valueOf(rs.getString("state")), rs.getInt("score"), rs.getTimestamp("created_at").toInstant(),
                edited == null ? null : edited.toInstant());
    }

    /**
     * A visible post matching a full-text search.
     *
     * @param rank PostgreSQL's {@code ts_rank_cd} of the post for the query (higher is better)
     */
    public record PostMatch(UUID id, UUID threadId, UUID titleId, String subject, String body, java.time.Instant createdAt,
                            double rank) {
    }

    /**
     * Full-text search over visible posts (held, hidden and deleted ones are never found): PostgreSQL's
     * {@code simple} configuration (lower case, no stemming) over the body with apostrophes removed, every word of
     * {@code text} required ({@code plainto_tsquery}: operators in it are plain text). The GIN index
     * {@code forum_posts_search} (migration V80) serves it.
     *
     * @param text the query
     * @param limit most rows, best first (then newest)
     */
    public List<PostMatch> search(String text, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select p.id, p.thread_id, t.title_id, t.subject, p.body, p.created_at,
                               ts_rank_cd(to_tsvector('simple', translate(p.body, '''’ʼ', '')), q) as rank
                          from forum_posts p join forum_threads t on t.id = p.thread_id,
                               plainto_tsquery('simple', translate(:q, '''’ʼ', '')) q
                         where p.state = 'visible'
                           and to_tsvector('simple', translate(p.body, '''’ʼ', '')) @@ q
                         order by rank desc, p.created_at desc, p.id
                         limit :n""")
                .bind("q", text).bind("n", limit)
                .map((rs, ctx) -> new PostMatch(rs.getObject("id", UUID.class), rs.getObject("thread_id", UUID.class),
                        rs.getObject("title_id", UUID.class), rs.getString("subject"), rs.getString("body"),
                        rs.getTimestamp("created_at").toInstant(), rs.getDouble("rank")))
                .list());
    }

    /**
     * A forum post as its author's data export shows it.
     *
     * @param id post id
     * @param threadId its thread
     * @param seq its number in the thread (1: the thread's first post)
     * @param body its text
     * @param state {@code visible}, {@code held}, {@code hidden} or {@code deleted}
     * @param createdAt when it was written
     * @param editedAt when it was last edited, or null
     */
    public record AuthoredPost(UUID id, UUID threadId, long seq, String body, String state, Instant createdAt,
                               Instant editedAt) {
    }

    /** @return the posts an account wrote, newest first, at most {@code limit} (the account's data export) */
    public List<AuthoredPost> postsByAuthor(UUID author, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select id, thread_id, seq, body, state, created_at, edited_at"
                        + " from forum_posts where author_id = :a order by created_at desc limit :n")
                .bind("a", author).bind("n", limit)
                .map((rs, ctx) -> new AuthoredPost(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getLong(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant()))
                .list());
    }

    /** @return the threads an account follows and since when, by thread (the account's data export) */
    public java.util.Map<UUID, Instant> followedThreads(UUID account) {
        java.util.Map<UUID, Instant> out = new java.util.LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("select thread_id, created_at from forum_follows where account_id = :a"
                        + " order by created_at desc").bind("a", account)
                .map((rs, ctx) -> java.util.Map.entry(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }
}
