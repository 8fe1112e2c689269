package dev.kino.control.comments;

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
import dev.kino.control.comments.CommentTypes.CommentCounts;
import dev.kino.control.comments.CommentTypes.CommentInput;
import dev.kino.control.comments.CommentTypes.CommentPatch;
import dev.kino.control.comments.CommentTypes.CommentView;
import dev.kino.control.comments.CommentTypes.RevisionView;
import dev.kino.control.comments.CommentTypes.Row;
import dev.kino.control.comments.CommentTypes.Sort;
import dev.kino.control.comments.CommentTypes.State;
import dev.kino.control.comments.CommentTypes.Target;
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
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comments feature's rules: who may write, edit, delete and see what; threads, quotes, tombstones, mentions,
 * positions; reactions to comments kept in step with the "top" order. Titles and media items come through
 * {@link Catalog} (a comment is only possible where the viewer may see the title or item), authors' names through
 * {@link ProfileStore}, reactions through {@link Reactions}.
 */
public final class Comments {
    /** Longest comment, in characters. */
    public static final int MAX_BODY = 10_000;
    /** How long after writing a comment its author may still edit it. */
    public static final Duration EDIT_WINDOW = Duration.ofMinutes(15);
    /** Comments per account and minute. */
    public static final ActionLimits.Limit PER_MINUTE = new ActionLimits.Limit("comments", 5, Duration.ofMinutes(1));
    /** Most mentions one comment records. */
    static final int MAX_MENTIONS = 10;
    private static final Pattern MENTION = Pattern.compile("(?<![\\w@.])@([A-Za-z0-9_.-]{3,32})");
    private static final Pattern POSITION = Pattern.compile("(?<![\\d:])(?:(\\d{1,2}):)?([0-5]?\\d):([0-5]\\d)(?![\\d:])");

    private final CommentStore store;
    private final Catalog catalog;
    private final ProfileStore profiles;
    private final RoleStore roles;
    private final Reactions reactions;
    private final ActionLimits limits;
    private final Clock clock;
    private final dev.kino.control.reputation.Reputation reputation;
    private volatile dev.kino.control.ContentScreening screening = dev.kino.control.ContentScreening.NONE;
    private volatile Notifications notifications;

    public Comments(CommentStore store, Catalog catalog, ProfileStore profiles, RoleStore roles, Reactions reactions,
                    ActionLimits limits, dev.kino.control.reputation.Reputation reputation, Clock clock) {
        this.reputation = reputation;
        this.store = store;
        this.catalog = catalog;
        this.profiles = profiles;
        this.roles = roles;
        this.reactions = reactions;
        this.limits = limits;
        this.clock = clock;
    }

    private static final Pattern LINK = Pattern.compile("(?i)\\bhttps?://|\\bwww\\.");

    /**
     * What the writer's reputation level allows ({@code reputation_levels}): links, and how many comments an hour;
     * moderators are not limited by level.
     *
     * @throws InvalidInputException for a link below the level that allows them
     * @throws dev.kino.control.RateLimitedException over the level's hourly number
     */
    public void levelAllows(Viewer v, String body, String action) {
        if (v.can(Permissions.COMMENTS_MODERATE)) {
            return;
        }
        dev.kino.control.reputation.Reputation.Standing s = reputation.standing(v.accountId());
        if (!s.level().mayPostLinks() && LINK.matcher(body).find()) {
            throw InvalidInputException.of("body", "links are allowed from reputation level "
                    + (s.next() == null ? "" : s.next().name() + " (" + s.next().minPoints() + " points)")
                    + "; you have " + s.points());
        }
        limits.hit(new ActionLimits.Limit(action, s.level().commentsPerHour(), Duration.ofHours(1)), v.accountId());
    }

    /** Installs the moderation feature's screening of new comments. */
    public void screening(dev.kino.control.ContentScreening screening) {
        this.screening = screening;
    }

    // ---- where ------------------------------------------------------------------------------------------------

    /** @throws NotFoundException unless the viewer may see the title */
    public Target onTitle(UUID titleId, Viewer v) {
        catalog.requireVisibleTitle(titleId, v.can(Viewer.CATALOG_WRITE));
        return new Target(titleId, null);
    }

    /** @throws NotFoundException unless the viewer may see the media item */
    public Target onMedia(UUID mediaId, Viewer v) {
        MediaRow m = catalog.visibleMedia(mediaId, v.can(Viewer.CATALOG_WRITE));
        return new Target(m.titleId(), m.id());
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /**
     * @throws ForbiddenException without {@code comments.write}
     * @throws InvalidInputException for an empty or over-long body, or a parent/quote that is not in this place
     * @throws ConflictException when replying to a deleted or hidden comment
     * @throws dev.kino.control.RateLimitedException over {@link #PER_MINUTE} or the reputation level's hourly number
     */
    public CommentView create(Viewer v, Target target, CommentInput in) {
        if (!v.can(Permissions.COMMENTS_WRITE)) {
            throw new ForbiddenException("this account may not write comments (comments.write)");
        }
        String body = checkedBody(in.body());
        Row parent = null;
        UUID quote = in.quoteId();
        if (in.parentId() != null) {
            Row p = visible(in.parentId(), v).orElseThrow(() -> InvalidInputException.of("parentId", "no such comment here"));
            if (!p.target().equals(target)) {
                throw InvalidInputException.of("parentId", "is a comment elsewhere");
            }
            if (p.parentId() != null) { // replying to a reply: the thread stays two levels deep, quoting the reply
                quote = quote == null ? p.id() : quote;
                p = store.find(p.parentId()).orElseThrow(() -> InvalidInputException.of("parentId", "no such comment here"));
            }
            if (p.state() != State.visible) {
                throw new ConflictException("that comment is " + p.state() + "; replies are closed");
            }
            parent = p;
        }
        if (quote != null) {
            Row q = visible(quote, v).orElseThrow(() -> InvalidInputException.of("quoteId", "no such comment here"));
            UUID thread = parent == null ? null : parent.id();
            if (thread == null || !(q.id().equals(thread) || thread.equals(q.parentId()))) {
                throw InvalidInputException.of("quoteId", "must be a comment of the thread you reply to");
            }
        }
        levelAllows(v, body, "comments-hourly");
        limits.hit(PER_MINUTE, v.accountId());
        String held = v.can(Permissions.COMMENTS_MODERATE) ? null : screening.screen(v.accountId(), body);
        State state = held == null ? State.visible : State.held;
        Instant now = clock.instant();
        Row row = new Row(UUID.randomUUID(), target.titleId(), target.mediaId(), parent == null ? null : parent.id(),
                quote, v.accountId(), body, Boolean.TRUE.equals(in.spoiler()), state, 0, 0, 0, now, null);
        List<UUID> mentioned = mentionedAccounts(body, v.accountId());
        store.jdbi().useTransaction(h -> store.insert(h, row, mentioned));
        if (held != null) {
            screening.held("comment", row.id(), held);
        } else {
            announce(row, mentioned);
        }
        return view(row, v);
    }

    /** Installs the notifications feature (replies, quotes, mentions, followers, likes are announced). */
    public void notifications(Notifications notifications) {
        this.notifications = notifications;
    }

    /** Tells those a newly visible comment concerns: the replied-to and quoted authors, the mentioned, the followers. */
    private void announce(Row row, List<UUID> mentioned) {
        Notifications n = notifications;
        if (n == null) {
            return;
        }
        ProfileStore.PublicName who = profiles.publicNames(List.of(row.authorId())).get(row.authorId());
        String name = who == null ? "Someone" : who.displayName() != null ? who.displayName() : who.username();
        String excerpt = row.spoiler() ? "(spoiler)" : Notice.excerpt(row.body());
        String link = link(row);
        Map<String, Object> extra = new java.util.LinkedHashMap<>();
        extra.put("actorName", name);
        extra.put("excerpt", excerpt);
        java.util.Set<UUID> told = new java.util.HashSet<>();
        if (row.parentId() != null) {
            store.find(row.parentId()).map(Row::authorId).ifPresent(parentAuthor -> {
                told.add(parentAuthor);
                n.notify(parentAuthor, new Notice(NotificationType.REPLY, row.authorId(), "comment", row.id(), null,
                        name + " replied to your comment: " + excerpt, link, extra));
            });
        }
        if (row.quoteId() != null) {
            store.find(row.quoteId()).map(Row::authorId).filter(a -> !told.contains(a)).ifPresent(quoted -> {
                told.add(quoted);
                n.notify(quoted, new Notice(NotificationType.REPLY, row.authorId(), "comment", row.id(), null,
                        name + " quoted your comment: " + excerpt, link, extra));
            });
        }
        for (UUID m : mentioned) {
            if (told.add(m)) {
                n.notify(m, new Notice(NotificationType.MENTION, row.authorId(), "comment", row.id(), null,
                        name + " mentioned you: " + excerpt, link, extra));
            }
        }
        n.notifyAudience("user", row.authorId(), row.authorId(), new Notice(NotificationType.USER_COMMENT,
                row.authorId(), "comment", row.id(), null, name + " commented: " + excerpt, link, extra));
    }

    /** @return where a comment is shown in the web app */
    private static String link(Row r) {
        return (r.mediaId() != null ? "/watch/" + r.titleId() + "/" + r.mediaId() : "/title/" + r.titleId())
                + "#comment-" + r.id();
    }

    /**
     * @throws NotFoundException when the viewer cannot see the comment
     * @throws ForbiddenException for someone else's comment (moderators may change the spoiler flag), or after the
     *                            edit window
     * @throws ConflictException for a deleted or hidden comment
     */
    public CommentView edit(Viewer v, UUID id, CommentPatch patch) {
        Row old = visible(id, v).orElseThrow(() -> notFound(id));
        if (old.state() == State.deleted || old.state() == State.hidden) {
            throw new ConflictException("this comment is " + old.state() + " and cannot be edited");
        }
        boolean author = v.accountId() != null && v.accountId().equals(old.authorId());
        boolean moderator = v.can(Permissions.COMMENTS_MODERATE);
        if (!author && !moderator) {
            throw new ForbiddenException("only its author or a moderator can change a comment");
        }
        if (!author && patch.body() != null) {
            throw new ForbiddenException("moderators change only the spoiler flag of someone else's comment; hide or"
                    + " delete it instead");
        }
        if (!author) {
            roles.requireMayActOn(v.can(Permissions.ROLES_MANAGE), old.authorId());
        }
        Instant now = clock.instant();
        if (author && !moderator && now.isAfter(old.createdAt().plus(EDIT_WINDOW))) {
            throw new ForbiddenException("comments can be edited for " + EDIT_WINDOW.toMinutes() + " minutes after"
                    + " writing them");
        }
        String body = patch.body() == null ? old.body() : checkedBody(patch.body());
        boolean spoiler = patch.spoiler() == null ? old.spoiler() : patch.spoiler();
        if (body.equals(old.body()) && spoiler == old.spoiler()) {
            return view(old, v);
        }
        List<UUID> mentioned = body.equals(old.body()) ? null : mentionedAccounts(body, old.authorId());
        store.jdbi().useTransaction(h -> {
            store.edit(h, old, body, spoiler, v.accountId(), now, author && !body.equals(old.body()));
            if (mentioned != null) {
                store.replaceMentions(h, id, mentioned);
            }
        });
        return view(store.find(id).orElseThrow(() -> notFound(id)), v);
    }

    /**
     * Deletes a comment: one with replies becomes a tombstone, one without disappears (and a tombstone left without
     * replies with it).
     *
     * @throws NotFoundException when the viewer cannot see the comment
     * @throws ForbiddenException unless the viewer wrote it or moderates (and a moderator may not act on an admin)
     */
    public void delete(Viewer v, UUID id) {
        Row r = visible(id, v).orElseThrow(() -> notFound(id));
        boolean author = v.accountId() != null && v.accountId().equals(r.authorId());
        if (!author) {
            if (!v.can(Permissions.COMMENTS_MODERATE)) {
                throw new ForbiddenException("only its author or a moderator can delete a comment");
            }
            roles.requireMayActOn(v.can(Permissions.ROLES_MANAGE), r.authorId());
        }
        remove(id);
    }

    /**
     * Removes a comment as {@link #delete} does, without checks: for the moderation feature's "delete" action.
     *
     * @throws NotFoundException for an unknown comment
     */
    public void remove(UUID id) {
        store.jdbi().useTransaction(h -> {
            Row r = store.find(h, id, true).orElseThrow(() -> notFound(id));
            if (store.allReplies(h, id) > 0) {
                store.setState(h, r, State.deleted, clock.instant());
                return;
            }
            store.delete(h, r);
            reactions.forget(h, ReactionTypes.Target.COMMENT, id);
            if (r.parentId() != null) {
                Row parent = store.find(h, r.parentId(), true).orElse(null);
                if (parent != null && parent.state() == State.deleted && store.allReplies(h, parent.id()) == 0) {
                    store.delete(h, parent);
                }
            }
        });
    }

    /**
     * Moves a comment to a state (the moderation feature: hide, restore, approve a held comment).
     *
     * @throws NotFoundException for an unknown comment
     */
    public void setState(UUID id, State state) {
        Row before = store.jdbi().inTransaction(h -> {
            Row r = store.find(h, id, true).orElseThrow(() -> notFound(id));
            store.setState(h, r, state, clock.instant());
            return r;
        });
        if (before.state() == State.held && state == State.visible) { // approved: now it may be announced
            announce(before, store.mentions(id));
        }
    }

    /**
     * Marks a comment as a spoiler, or not (the moderation feature's act; the earlier flag is kept as a revision).
     *
     * @throws NotFoundException for an unknown comment
     */
    public void setSpoiler(UUID id, boolean spoiler, UUID moderator) {
        store.jdbi().useTransaction(h -> {
            Row r = store.find(h, id, true).orElseThrow(() -> notFound(id));
            if (r.spoiler() != spoiler) {
                store.edit(h, r, r.body(), spoiler, moderator, clock.instant(), false);
            }
        });
    }

    /**
     * @return an account's latest visible comments on titles everyone may see, newest first: {@code id},
     *         {@code titleId}, {@code mediaId} (if on an episode), {@code body} (absent for spoilers), {@code createdAt}
     */
    public List<Map<String, Object>> recentPublic(UUID author, int limit) {
        List<Row> rows = store.recentVisible(author, limit * 2);
        Map<UUID, dev.kino.control.catalog.TitleSummary> visible = catalog.visibleTitles(
                rows.stream().map(Row::titleId).distinct().toList(), false);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            if (visible.containsKey(r.titleId()) && out.size() < limit) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("id", r.id());
                m.put("titleId", r.titleId());
                if (r.mediaId() != null) {
                    m.put("mediaId", r.mediaId());
                }
                if (!r.spoiler()) {
                    m.put("body", r.body());
                }
                m.put("createdAt", r.createdAt());
                out.add(m);
            }
        }
        return out;
    }

    /** @return true when the account has a comment others can see (it is no newcomer to commenting) */
    public boolean hasVisibleComments(UUID author) {
        return !store.recentVisible(author, 1).isEmpty();
    }

    /** @return the stored comment (the moderation feature's context), whatever its state */
    public java.util.Optional<CommentView> find(UUID id) {
        return store.find(id).map(r -> view(r, null, true));
    }

    // ---- reactions --------------------------------------------------------------------------------------------

    /**
     * @param value like or dislike; null to remove the viewer's reaction
     * @throws NotFoundException when the viewer cannot see the comment
     * @throws ConflictException for a comment that is not visible (deleted, hidden, held)
     */
    public ReactionSummary react(Viewer v, UUID id, ReactionTypes.Value value) {
        try {
            return reactLater(new Access.Caller(v.accountId(), v.profileId()), id, value).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * {@link #react} without waiting for the write: the rate limit is taken now (429 thrown from here); the change
     * is queued, and the future completes once it is committed with its batch ({@link Reactions}), or with its
     * refusal. Whether the caller may react is decided in the batch's transaction, for each vote's own caller and
     * from what is stored then ({@link #admission}): 404 when the caller cannot see the comment, 409 for a comment
     * that is not visible (deleted, hidden, held), 401 when the caller's account or profile is gone.
     */
    public java.util.concurrent.CompletableFuture<ReactionSummary> reactLater(Access.Caller caller, UUID id,
                                                                              ReactionTypes.Value value) {
        return reactions.changeLater(ReactionTypes.Target.COMMENT, id,
                        new Reactions.Voter(caller.accountId(), caller.profileId()), value, admission(id))
                .thenApply(ReactionTypes.Change::summary);
    }

    /**
     * Who may react to a comment, decided once per batch of votes on it: the comment and its place's visibility
     * are read once (one statement), the voters' viewers together (one statement, as {@link Access#load} reads
     * each), then each vote is judged for its own voter by the rules a single vote had ({@link #visible}).
     */
    private Reactions.Admission admission(UUID id) {
        return (h, voters) -> {
            CommentStore.InPlace found = store.findInPlace(h, id).orElse(null);
            Map<Access.Caller, Viewer> viewers = Access.loadAll(h, voters.stream()
                    .map(v -> new Access.Caller(v.accountId(), v.profileId())).toList());
            List<RuntimeException> refusals = new ArrayList<>(voters.size());
            for (Reactions.Voter voter : voters) {
                Viewer v = viewers.get(new Access.Caller(voter.accountId(), voter.profileId()));
                if (v == null) {
                    refusals.add(Access.gone());
                } else if (found == null || !found.placeVisibleTo(v.can(Viewer.CATALOG_WRITE))
                        || !mayRead(found.row(), v)) {
                    refusals.add(notFound(id));
                } else if (found.row().state() != State.visible) {
                    refusals.add(new ConflictException("this comment is " + found.row().state()
                            + "; it cannot be reacted to"));
                } else {
                    refusals.add(null);
                }
            }
            if (found == null) {
                return new Reactions.Admitted(refusals, Reactions.InTransaction.NONE, Reactions.AfterCommit.NONE);
            }
            Row r = found.row();
            UUID author = r.authorId();
            // written together with other voters' changes of this comment (group commit): once per transaction
            Reactions.InTransaction keepScore = (tx, changes) -> {
                store.setScore(tx, id, changes.get(changes.size() - 1).summary().score(), r.createdAt());
                reputation.changeAll(tx, author, likePoints(author, changes, "comment", id));
            };
            Reactions.AfterCommit notify = changes -> {
                if (notifications != null) {
                    notifications.likedAll(author, "comment", id, likesAdded(changes), "comment", link(r));
                }
            };
            return new Reactions.Admitted(refusals, keepScore, notify);
        };
    }

    /**
     * @return the reputation the changes earn the author: likes from others ({@link Reputation#LIKE} each), taken
     *         back when withdrawn; one's own likes earn nothing
     */
    public static List<dev.kino.control.reputation.Reputation.Points> likePoints(UUID author, List<ReactionTypes.Change> changes,
                                                                             String objectType, UUID objectId) {
        List<dev.kino.control.reputation.Reputation.Points> out = new ArrayList<>();
        for (ReactionTypes.Change c : changes) {
            if (author != null && !author.equals(c.accountId()) && c.likeDelta() != 0) {
                out.add(new dev.kino.control.reputation.Reputation.Points(c.likeDelta() * dev.kino.control.reputation.Reputation.LIKE,
                        c.likeDelta() > 0 ? "a like on your " + objectType : "a like on your " + objectType + " withdrawn",
                        objectType, objectId));
            }
        }
        return out;
    }

    /** @return the likes the changes added, each with the object's likes right after it */
    public static List<dev.kino.control.notifications.Notifications.Like> likesAdded(List<ReactionTypes.Change> changes) {
        return changes.stream().filter(c -> c.likeDelta() > 0)
                .map(c -> new dev.kino.control.notifications.Notifications.Like(c.accountId(), c.summary().likes()))
                .toList();
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** @return top-level comments of a title or media item in the order */
    public Page<CommentView> threads(Viewer v, Target target, Sort sort, Page.Cursor cursor) {
        List<Row> rows = store.threads(target, sort, v.accountId(), v.can(Permissions.COMMENTS_MODERATE), cursor);
        Page<Row> page = Page.of(cursor, rows, r -> CommentStore.key(sort, r));
        return new Page<>(views(page.items(), v), page.next());
    }

    /** @return the replies of a comment's thread, oldest first */
    public Page<CommentView> replies(Viewer v, UUID id, Page.Cursor cursor) {
        Row top = visible(id, v).orElseThrow(() -> notFound(id));
        UUID thread = top.parentId() == null ? top.id() : top.parentId();
        List<Row> rows = store.replies(thread, v.accountId(), v.can(Permissions.COMMENTS_MODERATE), cursor);
        Page<Row> page = Page.of(cursor, rows, r -> List.of(r.createdAt().toString(), r.id().toString()));
        return new Page<>(views(page.items(), v), page.next());
    }

    /** @throws NotFoundException when the viewer cannot see it */
    public CommentView get(Viewer v, UUID id) {
        return view(visible(id, v).orElseThrow(() -> notFound(id)), v);
    }

    /** @throws ForbiddenException without {@code comments.moderate} */
    public List<RevisionView> revisions(Viewer v, UUID id) {
        if (!v.can(Permissions.COMMENTS_MODERATE)) {
            throw new ForbiddenException("earlier versions of comments are for moderators (comments.moderate)");
        }
        store.find(id).orElseThrow(() -> notFound(id));
        return store.revisions(id);
    }

    /** @return visible comments of a title and of each of its media items the viewer may see */
    public CommentCounts counts(Viewer v, UUID titleId) {
        TitleDetail t = catalog.title(titleId, v.can(Viewer.CATALOG_WRITE));
        List<UUID> media = new ArrayList<>();
        t.media().forEach(m -> media.add(m.id()));
        t.seasons().forEach(s -> s.episodes().forEach(m -> media.add(m.id())));
        return store.counts(titleId, media);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /**
     * @return the comment if the viewer may see it: its title or media item is visible to them, and it is visible,
     *         a tombstone, their own held comment, or they moderate
     */
    private java.util.Optional<Row> visible(UUID id, Viewer v) {
        java.util.Optional<Row> found = store.find(id);
        if (found.isEmpty()) {
            return found;
        }
        Row r = found.get();
        if (!mayRead(r, v)) {
            return java.util.Optional.empty();
        }
        try {
            if (r.mediaId() != null) {
                onMedia(r.mediaId(), v);
            } else {
                onTitle(r.titleId(), v);
            }
        } catch (NotFoundException e) {
            return java.util.Optional.empty();
        }
        return found;
    }

    /** @return whether the viewer may see the comment by its state (a hidden one, or another's held one: no) */
    private static boolean mayRead(Row r, Viewer v) {
        boolean moderator = v.can(Permissions.COMMENTS_MODERATE);
        boolean own = v.accountId() != null && v.accountId().equals(r.authorId());
        return moderator || !(r.state() == State.hidden || (r.state() == State.held && !own));
    }

    private static String checkedBody(String body) {
        Validation val = new Validation();
        String b = body == null ? "" : body.strip();
        val.check("body", !b.isEmpty(), "is required");
        val.check("body", b.length() <= MAX_BODY, "must be at most " + MAX_BODY + " characters");
        val.throwIfInvalid();
        return b;
    }

    private List<UUID> mentionedAccounts(String body, UUID author) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(body);
        while (m.find() && names.size() < MAX_MENTIONS) {
            names.add(m.group(1));
        }
        List<UUID> ids = new ArrayList<>(profiles.idsOfUsernames(names).values());
        ids.remove(author);
        return ids;
    }

    /** @return positions ("12:34", "1:02:03") named in a text, in seconds */
    static List<Integer> positions(String body) {
        List<Integer> out = new ArrayList<>();
        Matcher m = POSITION.matcher(body);
        while (m.find() && out.size() < 20) {
            int h = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
            out.add(h * 3600 + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3)));
        }
        return List.copyOf(out);
    }

    private CommentView view(Row r, Viewer v) {
        return views(List.of(r), v).get(0);
    }

    private CommentView view(Row r, UUID viewer, boolean moderator) {
        return views(List.of(r), viewer, moderator).get(0);
    }

    private List<CommentView> views(List<Row> rows, Viewer v) {
        return views(rows, v.accountId(), v.can(Permissions.COMMENTS_MODERATE));
    }

    private List<CommentView> views(List<Row> rows, UUID viewer, boolean moderator) {
        List<UUID> ids = rows.stream().map(Row::id).toList();
        Set<UUID> people = new LinkedHashSet<>();
        rows.forEach(r -> {
            if (r.authorId() != null) {
                people.add(r.authorId());
            }
        });
        Map<UUID, List<UUID>> mentions = store.mentions(ids);
        mentions.values().forEach(people::addAll);
        Map<UUID, PublicName> names = profiles.publicNames(people);
        Map<UUID, ReactionSummary> reacted = reactions.summaries(ReactionTypes.Target.COMMENT, ids, viewer);
        Map<UUID, Integer> points = reputation.points(people);
        List<CommentView> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            boolean tombstone = r.state() == State.deleted;
            List<String> mentioned = mentions.getOrDefault(r.id(), List.of()).stream().map(names::get)
                    .filter(java.util.Objects::nonNull).map(PublicName::username).toList();
            out.add(new CommentView(r.id(), r.titleId(), r.mediaId(), r.parentId(), r.quoteId(),
                    tombstone ? null : names.get(r.authorId()), tombstone ? null : r.body(), r.spoiler(),
                    r.state().name(), r.replyCount(), reacted.getOrDefault(r.id(), ReactionSummary.NONE),
                    tombstone ? List.of() : mentioned,
                    tombstone || r.mediaId() == null ? List.of() : positions(r.body()), r.createdAt(), r.editedAt(),
                    tombstone || r.authorId() == null ? null : points.getOrDefault(r.authorId(), 0)));
        }
        return out;
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no comment " + id);
    }
}
