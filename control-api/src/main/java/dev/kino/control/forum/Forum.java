package dev.kino.control.forum;

import dev.kino.control.notifications.Notice;
import dev.kino.control.notifications.NotificationType;
import dev.kino.control.notifications.Notifications;

import dev.kino.control.ActionLimits;
import dev.kino.control.ConflictException;
import dev.kino.control.ForbiddenException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.account.ProfileStore;
import dev.kino.control.account.ProfileStore.PublicName;
import dev.kino.control.auth.Permissions;
import dev.kino.control.auth.RoleStore;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore.MediaRow;
import dev.kino.control.catalog.TitleDetail;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.forum.ForumTypes.CategoryInput;
import dev.kino.control.forum.ForumTypes.CategoryView;
import dev.kino.control.forum.ForumTypes.PostInput;
import dev.kino.control.forum.ForumTypes.PostRow;
import dev.kino.control.forum.ForumTypes.PostView;
import dev.kino.control.forum.ForumTypes.State;
import dev.kino.control.forum.ForumTypes.ThreadInput;
import dev.kino.control.forum.ForumTypes.ThreadPatch;
import dev.kino.control.forum.ForumTypes.ThreadRow;
import dev.kino.control.forum.ForumTypes.ThreadView;
import dev.kino.control.http.Page;
import dev.kino.control.reactions.ReactionTypes;
import dev.kino.control.reactions.ReactionTypes.ReactionSummary;
import dev.kino.control.reactions.Reactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The forum's rules. Categories need {@code forum.manage}; writing needs {@code comments.write}; pinning and locking
 * and acting on others' posts need {@code comments.moderate} (never on an admin's posts without being one). A title's
 * or episode's own thread exists where the viewer may see the title or episode, and is made on first use.
 */
public final class Forum {
    /** Longest post, in characters. */
    public static final int MAX_BODY = 20_000;
    /** How long after writing a post its author may still edit it. */
    public static final Duration EDIT_WINDOW = Duration.ofMinutes(30);
    /** Posts (and new threads) per account and minute. */
    public static final ActionLimits.Limit PER_MINUTE = new ActionLimits.Limit("posts", 5, Duration.ofMinutes(1));
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final ForumStore store;
    private final Catalog catalog;
    private final ProfileStore profiles;
    private final RoleStore roles;
    private final Reactions reactions;
    private final ActionLimits limits;
    private final Clock clock;
    private volatile dev.kino.control.ContentScreening screening = dev.kino.control.ContentScreening.NONE;
    private volatile Notifications notifications;
    private final dev.kino.control.comments.Comments comments;
    private final dev.kino.control.reputation.Reputation reputation;

    public Forum(ForumStore store, Catalog catalog, ProfileStore profiles, RoleStore roles, Reactions reactions,
                 ActionLimits limits, dev.kino.control.comments.Comments comments,
                 dev.kino.control.reputation.Reputation reputation, Clock clock) {
        this.comments = comments;
        this.reputation = reputation;
        this.store = store;
        this.catalog = catalog;
        this.profiles = profiles;
        this.roles = roles;
        this.reactions = reactions;
        this.limits = limits;
        this.clock = clock;
    }

    // ---- categories -------------------------------------------------------------------------------------------

    public List<CategoryView> categories() {
        return store.categories();
    }

    /** @throws ForbiddenException without forum.manage @throws ConflictException for a taken slug */
    public CategoryView createCategory(Viewer v, CategoryInput in) {
        requireManage(v);
        check(in);
        UUID id = UUID.randomUUID();
        if (!store.insertCategory(id, in, clock.instant())) {
            throw new ConflictException("a category with slug '" + in.slug() + "' exists");
        }
        return store.category(id).orElseThrow();
    }

    public CategoryView updateCategory(Viewer v, UUID id, CategoryInput in) {
        requireManage(v);
        check(in);
        store.category(id).orElseThrow(() -> new NotFoundException("no category " + id));
        if (!store.updateCategory(id, in)) {
            throw new ConflictException("a category with slug '" + in.slug() + "' exists");
        }
        return store.category(id).orElseThrow();
    }

    /** Deletes a category with its threads. @throws ConflictException for the titles' category */
    public void deleteCategory(Viewer v, UUID id) {
        requireManage(v);
        if (ForumStore.TITLES_CATEGORY.equals(id)) {
            throw new ConflictException("the titles' category holds every title's own thread and cannot be deleted");
        }
        if (!store.deleteCategory(id)) {
            throw new NotFoundException("no category " + id);
        }
    }

    private static void requireManage(Viewer v) {
        if (!v.can(Permissions.FORUM_MANAGE)) {
            throw new ForbiddenException("managing forum categories needs forum.manage");
        }
    }

    private static void check(CategoryInput in) {
        Validation val = new Validation();
        if (val.required("slug", in.slug())) {
            val.check("slug", SLUG.matcher(in.slug()).matches(), "must be 1 to 64 of a-z, 0-9 and -, starting with a"
                    + " letter or digit");
        }
        if (val.required("name", in.name())) {
            val.check("name", in.name().length() <= 100, "must be at most 100 characters");
        }
        val.check("description", in.description() == null || in.description().length() <= 1000,
                "must be at most 1000 characters");
        val.throwIfInvalid();
    }

    // ---- threads ----------------------------------------------------------------------------------------------

    public Page<ThreadView> threads(Viewer v, UUID categoryId, Page.Cursor cursor) {
        store.category(categoryId).orElseThrow(() -> new NotFoundException("no category " + categoryId));
        List<ThreadRow> rows = store.threads(categoryId, cursor).stream().filter(t -> mayRead(v, t)).toList();
        Page<ThreadRow> page = Page.of(cursor, rows, ForumStore::key);
        return new Page<>(threadViews(page.items(), v), page.next());
    }

    /** Opens a thread with its first post. */
    public ThreadView createThread(Viewer v, UUID categoryId, ThreadInput in) {
        requireWrite(v);
        store.category(categoryId).orElseThrow(() -> new NotFoundException("no category " + categoryId));
        if (ForumStore.TITLES_CATEGORY.equals(categoryId)) {
            throw new ConflictException("threads of this category are made for each title and episode; post in them");
        }
        Validation val = new Validation();
        String subject = in.subject() == null ? "" : in.subject().strip();
        val.check("subject", !subject.isEmpty(), "is required");
        val.check("subject", subject.length() <= 200, "must be at most 200 characters");
        String body = checkedBody(in.body(), val);
        val.throwIfInvalid();
        limit(v, body);
        String held = screen(v, subject + "\n" + body);
        Instant now = clock.instant();
        ThreadRow t = new ThreadRow(UUID.randomUUID(), categoryId, subject, v.accountId(), null, null, false, false, 0,
                0, now, now, held != null);
        UUID postId = UUID.randomUUID();
        store.jdbi().useTransaction(h -> {
            store.insertThread(h, t);
            store.insertPost(h, store.thread(h, t.id(), true).orElseThrow(), postId, v.accountId(), body,
                    null, held == null ? State.visible : State.held, now);
        });
        if (held != null) {
            screening.held("post", postId, held);
        }
        store.follow(v.accountId(), t.id(), true, now);
        return thread(v, t.id());
    }

    /** @return a title's own discussion thread, made on first use */
    public ThreadView titleThread(Viewer v, UUID titleId) {
        TitleDetail t = catalog.title(titleId, v.can(Viewer.CATALOG_WRITE));
        return thread(v, store.ensureOwnThread(titleId, null, name(t), clock.instant()).id());
    }

    /** @return an episode's own discussion thread, made on first use */
    public ThreadView mediaThread(Viewer v, UUID mediaId) {
        MediaRow m = catalog.visibleMedia(mediaId, v.can(Viewer.CATALOG_WRITE));
        TitleDetail t = catalog.title(m.titleId(), v.can(Viewer.CATALOG_WRITE));
        String name = name(t)
                + (m.seasonNumber() != null && m.episodeNumber() != null
                ? " S" + m.seasonNumber() + "E" + m.episodeNumber() : "")
                + (m.name() == null ? "" : ": " + m.name());
        return thread(v, store.ensureOwnThread(m.titleId(), mediaId, name, clock.instant()).id());
    }

    /** @return the English name of a title, else its original one */
    private static String name(TitleDetail t) {
        String en = t.titles() == null ? null : t.titles().get("en");
        return en != null ? en : t.originalTitle();
    }

    public ThreadView thread(Viewer v, UUID id) {
        ThreadRow t = readable(v, id);
        return threadViews(List.of(t), v).get(0);
    }

    /** Pins, unpins, locks, unlocks (moderators). */
    public ThreadView patchThread(Viewer v, UUID id, ThreadPatch patch) {
        readable(v, id);
        if (!v.can(Permissions.COMMENTS_MODERATE)) {
            throw new ForbiddenException("pinning and locking threads needs comments.moderate");
        }
        store.setFlags(id, patch.pinned(), patch.locked());
        return thread(v, id);
    }

    public void follow(Viewer v, UUID id, boolean on) {
        readable(v, id);
        store.follow(v.accountId(), id, on, clock.instant());
    }

    /** Moves the reader's position in a thread forward to {@code seq}. */
    public ThreadView markRead(Viewer v, UUID id, long seq) {
        ThreadRow t = readable(v, id);
        if (seq < 0) {
            throw InvalidInputException.of("seq", "must be 0 or more");
        }
        store.markRead(v.accountId(), id, Math.min(seq, t.lastSeq()));
        return thread(v, id);
    }

    // ---- posts ------------------------------------------------------------------------------------------------

    public Page<PostView> posts(Viewer v, UUID threadId, Page.Cursor cursor) {
        readable(v, threadId);
        List<PostRow> rows = store.posts(threadId, v.accountId(), v.can(Permissions.COMMENTS_MODERATE), cursor);
        Page<PostRow> page = Page.of(cursor, rows, p -> List.of(Long.toString(p.seq())));
        return new Page<>(postViews(page.items(), v), page.next());
    }

    /**
     * @throws ConflictException in a locked thread (moderators may still post)
     */
    public PostView createPost(Viewer v, UUID threadId, PostInput in) {
        requireWrite(v);
        readable(v, threadId);
        Validation val = new Validation();
        String body = checkedBody(in.body(), val);
        val.throwIfInvalid();
        if (in.quoteId() != null) {
            PostRow q = store.post(in.quoteId()).orElse(null);
            if (q == null || !q.threadId().equals(threadId) || q.state() != State.visible) {
                throw InvalidInputException.of("quoteId", "must be a visible post of this thread");
            }
        }
        limit(v, body);
        String held = screen(v, body);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        store.jdbi().useTransaction(h -> {
            ThreadRow t = store.thread(h, threadId, true).orElseThrow(() -> notFound(threadId));
            if (t.locked() && !v.can(Permissions.COMMENTS_MODERATE)) {
                throw new ConflictException("this thread is locked");
            }
            store.insertPost(h, t, id, v.accountId(), body, in.quoteId(), held == null ? State.visible : State.held,
                    now);
        });
        PostRow created = store.post(id).orElseThrow();
        if (held != null) {
            screening.held("post", id, held);
        } else {
            announce(created);
        }
        return postViews(List.of(created), v).get(0);
    }

    /** The author's edit within the window. */
    public PostView editPost(Viewer v, UUID id, PostInput in) {
        PostRow p = readablePost(v, id);
        if (!v.accountId().equals(p.authorId())) {
            throw new ForbiddenException("only its author can edit a post");
        }
        if (p.state() != State.visible && p.state() != State.held) {
            throw new ConflictException("this post is " + p.state());
        }
        if (clock.instant().isAfter(p.createdAt().plus(EDIT_WINDOW))) {
            throw new ForbiddenException("posts can be edited for " + EDIT_WINDOW.toMinutes() + " minutes");
        }
        Validation val = new Validation();
        String body = checkedBody(in.body(), val);
        val.throwIfInvalid();
        store.jdbi().useTransaction(h -> store.editPost(h, id, body, clock.instant()));
        return postViews(List.of(store.post(id).orElseThrow()), v).get(0);
    }

    /** Deletes a post (its author or a moderator): it stays as "deleted" so the numbering holds. */
    public void deletePost(Viewer v, UUID id) {
        PostRow p = readablePost(v, id);
        if (!v.accountId().equals(p.authorId())) {
            if (!v.can(Permissions.COMMENTS_MODERATE)) {
                throw new ForbiddenException("only its author or a moderator can delete a post");
            }
            roles.requireMayActOn(v.can(Permissions.ROLES_MANAGE), p.authorId());
        }
        setPostState(id, State.deleted);
    }

    /** Installs the notifications feature (the thread's followers, quoted authors and likes are told). */
    public void notifications(Notifications notifications) {
        this.notifications = notifications;
    }

    /** @return up to {@code limit} followers of a thread after {@code after}, in account id order (an audience) */
    public List<UUID> followers(UUID threadId, UUID after, int limit) {
        return store.followers(threadId, after, limit);
    }

    /** Tells a newly visible post's thread followers and the author it quotes. */
    private void announce(PostRow p) {
        Notifications n = notifications;
        if (n == null) {
            return;
        }
        ThreadRow t = store.thread(p.threadId()).orElse(null);
        if (t == null) {
            return;
        }
        ProfileStore.PublicName who = profiles.publicNames(List.of(p.authorId())).get(p.authorId());
        String name = who == null ? "Someone" : who.displayName() != null ? who.displayName() : who.username();
        String excerpt = Notice.excerpt(p.body());
        String link = link(p);
        Map<String, Object> extra = Map.of("actorName", name, "excerpt", excerpt, "subject", t.subject());
        if (p.quoteId() != null) {
            store.post(p.quoteId()).map(PostRow::authorId).ifPresent(quoted -> n.notify(quoted, new Notice(
                    NotificationType.REPLY, p.authorId(), "post", p.id(), null,
                    name + " quoted your post in " + t.subject() + ": " + excerpt, link, extra)));
        }
        n.notifyAudience("thread", p.threadId(), p.authorId(), new Notice(NotificationType.THREAD_POST, p.authorId(),
                "post", p.id(), "thread:" + p.threadId(), name + " posted in " + t.subject() + ": " + excerpt, link,
                extra));
    }

    private static String link(PostRow p) {
        return "/forum/t/" + p.threadId() + "#post-" + p.seq();
    }

    /** Installs the moderation feature's screening of new posts. */
    public void screening(dev.kino.control.ContentScreening screening) {
        this.screening = screening;
    }

    /** @return null, or why the text is held (moderators' posts are never held) */
    private String screen(Viewer v, String text) {
        return v.can(Permissions.COMMENTS_MODERATE) ? null : screening.screen(v.accountId(), text);
    }

    /** @return true when the account has a post others can see (it is no newcomer to the forum) */
    public boolean hasVisiblePosts(UUID author) {
        return store.hasVisiblePosts(author);
    }

    /** Moves a post to a state (moderation: hide, restore, approve, delete). */
    public void setPostState(UUID id, State state) {
        PostRow before = store.jdbi().inTransaction(h -> {
            PostRow p = store.post(h, id, true).orElseThrow(() -> notFound(id));
            store.setPostState(h, p, state);
            return p;
        });
        if (before.state() == State.held && state == State.visible) { // approved: now it may be announced
            announce(before);
        }
    }

    /** Locks or unlocks a thread (moderation). */
    public void lock(UUID threadId, boolean locked) {
        store.thread(threadId).orElseThrow(() -> notFound(threadId));
        store.setFlags(threadId, null, locked);
    }

    /**
     * @return a post the viewer may see
     * @throws NotFoundException otherwise
     */
    public PostView post(Viewer v, UUID id) {
        return postViews(List.of(readablePost(v, id)), v).get(0);
    }

    /** @return a post as moderators see it, whatever its state */
    public Optional<PostView> findPost(UUID id) {
        return store.post(id).map(p -> postViews(List.of(p), null, true).get(0));
    }

    /**
     * @param value like or dislike; null to remove the viewer's reaction
     * @throws NotFoundException when the viewer cannot see the post or its thread
     * @throws ConflictException for a post that is not visible (hidden, held)
     */
    public ReactionSummary react(Viewer v, UUID postId, ReactionTypes.Value value) {
        try {
            return reactLater(new Access.Caller(v.accountId(), v.profileId()), postId, value).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * {@link #react} without waiting for the write: the rate limit is taken now (429 thrown from here); the change
     * is queued, and the future completes once it is committed with its batch ({@link Reactions}), or with its
     * refusal. Whether the caller may react is decided in the batch's transaction, for each vote's own caller and
     * from what is stored then ({@link #admission}): 404 when the caller cannot see the post or its thread, 409 for
     * a post that is not visible (hidden, held), 401 when the caller's account or profile is gone.
     */
    public java.util.concurrent.CompletableFuture<ReactionSummary> reactLater(Access.Caller caller, UUID postId,
                                                                             ReactionTypes.Value value) {
        return reactions.changeLater(ReactionTypes.Target.POST, postId,
                        new Reactions.Voter(caller.accountId(), caller.profileId()), value, admission(postId))
                .thenApply(ReactionTypes.Change::summary);
    }

    /**
     * Who may react to a post, decided once per batch of votes on it: the post, its thread and the thread's place
     * are read once (one statement), the voters' viewers together (one statement, as {@link Access#load} reads
     * each), then each vote is judged for its own voter by the rules a single vote had (those of
     * {@link #readablePost}, then the post's state).
     */
    private Reactions.Admission admission(UUID postId) {
        return (h, voters) -> {
            ForumStore.PostInPlace found = store.postInPlace(h, postId).orElse(null);
            Map<Access.Caller, Viewer> viewers = Access.loadAll(h, voters.stream()
                    .map(v -> new Access.Caller(v.accountId(), v.profileId())).toList());
            List<RuntimeException> refusals = new ArrayList<>(voters.size());
            for (Reactions.Voter voter : voters) {
                Viewer v = viewers.get(new Access.Caller(voter.accountId(), voter.profileId()));
                refusals.add(v == null ? Access.gone() : refusal(found, postId, v));
            }
            if (found == null) {
                return new Reactions.Admitted(refusals, Reactions.InTransaction.NONE, Reactions.AfterCommit.NONE);
            }
            PostRow p = found.post();
            UUID author = p.authorId();
            // written together with other voters' changes of this post (group commit): once per transaction
            Reactions.InTransaction keep = (tx, changes) -> {
                store.setScore(tx, postId, changes.get(changes.size() - 1).summary().score());
                reputation.changeAll(tx, author, dev.kino.control.comments.Comments.likePoints(author, changes, "post",
                        postId));
            };
            Reactions.AfterCommit notify = changes -> {
                if (notifications != null) {
                    notifications.likedAll(author, "post", postId,
                            dev.kino.control.comments.Comments.likesAdded(changes), "post", link(p));
                }
            };
            return new Reactions.Admitted(refusals, keep, notify);
        };
    }

    /**
     * @return why {@code v} may not react to the post (the checks of {@link #readablePost}, {@link #mayRead} and
     *         the post's state, from what one statement read), or null when it may
     */
    private static RuntimeException refusal(ForumStore.PostInPlace found, UUID postId, Viewer v) {
        if (found == null) {
            return new NotFoundException("no post " + postId);
        }
        PostRow p = found.post();
        boolean moderator = v.can(Permissions.COMMENTS_MODERATE);
        boolean own = v.accountId() != null && v.accountId().equals(p.authorId());
        if (!moderator && (p.state() == State.hidden || (p.state() == State.held && !own))) {
            return new NotFoundException("no post " + postId);
        }
        ThreadRow t = found.thread();
        if (t == null || (t.held() && !moderator && (v.accountId() == null || !v.accountId().equals(t.authorId())))
                || !found.placeVisibleTo(v.can(Viewer.CATALOG_WRITE))) {
            return notFound(p.threadId());
        }
        if (p.state() != State.visible) {
            return new ConflictException("this post is " + p.state() + "; it cannot be reacted to");
        }
        return null;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private ThreadRow readable(Viewer v, UUID id) {
        ThreadRow t = store.thread(id).orElseThrow(() -> notFound(id));
        if (!mayRead(v, t)) {
            throw notFound(id);
        }
        return t;
    }

    /** A title's or episode's thread is readable where the title or episode is visible. */
    private boolean mayRead(Viewer v, ThreadRow t) {
        if (t.held() && !v.can(Permissions.COMMENTS_MODERATE)
                && (v.accountId() == null || !v.accountId().equals(t.authorId()))) {
            return false;
        }
        try {
            if (t.mediaId() != null) {
                catalog.visibleMedia(t.mediaId(), v.can(Viewer.CATALOG_WRITE));
            } else if (t.titleId() != null) {
                catalog.requireVisibleTitle(t.titleId(), v.can(Viewer.CATALOG_WRITE));
            }
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private PostRow readablePost(Viewer v, UUID id) {
        PostRow p = store.post(id).orElseThrow(() -> new NotFoundException("no post " + id));
        boolean own = v.accountId() != null && v.accountId().equals(p.authorId());
        if (!v.can(Permissions.COMMENTS_MODERATE) && (p.state() == State.hidden || (p.state() == State.held && !own))) {
            throw new NotFoundException("no post " + id);
        }
        readable(v, p.threadId());
        return p;
    }

    private void requireWrite(Viewer v) {
        if (!v.can(Permissions.COMMENTS_WRITE)) {
            throw new ForbiddenException("this account may not post (comments.write)");
        }
    }

    private void limit(Viewer v, String body) {
        comments.levelAllows(v, body, "posts-hourly"); // the same level privileges as comments
        limits.hit(PER_MINUTE, v.accountId());
    }

    private static String checkedBody(String body, Validation val) {
        String b = body == null ? "" : body.strip();
        val.check("body", !b.isEmpty(), "is required");
        val.check("body", b.length() <= MAX_BODY, "must be at most " + MAX_BODY + " characters");
        return b;
    }

    private List<ThreadView> threadViews(List<ThreadRow> rows, Viewer v) {
        List<UUID> ids = rows.stream().map(ThreadRow::id).toList();
        Set<UUID> authors = new LinkedHashSet<>();
        rows.forEach(t -> {
            if (t.authorId() != null) {
                authors.add(t.authorId());
            }
        });
        Map<UUID, PublicName> names = profiles.publicNames(authors);
        Map<UUID, Long> unread = store.unread(v.accountId(), ids);
        Set<UUID> followed = store.followed(v.accountId(), ids);
        List<ThreadView> out = new ArrayList<>();
        for (ThreadRow t : rows) {
            out.add(new ThreadView(t.id(), t.categoryId(), t.subject(), names.get(t.authorId()), t.titleId(), t.mediaId(),
                    t.pinned(), t.locked(), t.postCount(), unread.getOrDefault(t.id(), 0L), followed.contains(t.id()),
                    t.lastPostAt(), t.createdAt()));
        }
        return out;
    }

    private List<PostView> postViews(List<PostRow> rows, Viewer v) {
        return postViews(rows, v.accountId(), v.can(Permissions.COMMENTS_MODERATE));
    }

    private List<PostView> postViews(List<PostRow> rows, UUID viewer, boolean moderator) {
        Set<UUID> authors = new LinkedHashSet<>();
        rows.forEach(p -> {
            if (p.authorId() != null) {
                authors.add(p.authorId());
            }
        });
        Map<UUID, PublicName> names = profiles.publicNames(authors);
        Map<UUID, ReactionSummary> reacted = reactions.summaries(ReactionTypes.Target.POST,
                rows.stream().map(PostRow::id).toList(), viewer);
        List<PostView> out = new ArrayList<>();
        for (PostRow p : rows) {
            boolean gone = p.state() == State.deleted;
            out.add(new PostView(p.id(), p.threadId(), p.seq(), gone ? null : names.get(p.authorId()),
                    gone ? null : p.body(), p.quoteId(), p.state().name(),
                    reacted.getOrDefault(p.id(), ReactionSummary.NONE), p.createdAt(), p.editedAt()));
        }
        return out;
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no thread " + id);
    }
}
