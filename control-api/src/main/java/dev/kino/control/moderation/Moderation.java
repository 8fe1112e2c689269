package dev.kino.control.moderation;

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
import dev.kino.control.auth.AccountAdmin;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.Permissions;
import dev.kino.control.auth.RoleStore;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.comments.CommentTypes;
import dev.kino.control.comments.Comments;
import dev.kino.control.forum.Forum;
import dev.kino.control.forum.ForumTypes;
import dev.kino.control.http.Page;
import dev.kino.control.moderation.ModerationStore.CaseRow;
import dev.kino.control.moderation.ModerationTypes.ActionInput;
import dev.kino.control.moderation.ModerationTypes.AuditEntry;
import dev.kino.control.moderation.ModerationTypes.CaseView;
import dev.kino.control.moderation.ModerationTypes.ReportInput;
import dev.kino.control.moderation.ModerationTypes.ReportView;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reports, the queue and moderators' actions. Anyone signed in reports what they can see; moderators
 * ({@code comments.moderate}) read the queue and act; a ban also needs {@code users.ban}; nobody below an administrator
 * acts on an administrator's content or account.
 */
public final class Moderation {
    /** Reports per account and hour. */
    public static final ActionLimits.Limit REPORTS = new ActionLimits.Limit("reports", 20, Duration.ofHours(1));

    private final ModerationStore store;
    private final Comments comments;
    private final Forum forum;
    private final AccountAdmin accounts;
    private final ProfileStore profiles;
    private final RoleStore roles;
    private final Catalog catalog;
    private final ActionLimits limits;
    private final Clock clock;
    private final dev.kino.control.reputation.Reputation reputation;
    private volatile Notifications notifications;

    public Moderation(ModerationStore store, Comments comments, Forum forum, AccountAdmin accounts, ProfileStore profiles,
                      RoleStore roles, Catalog catalog, ActionLimits limits, dev.kino.control.reputation.Reputation reputation,
                      Clock clock) {
        this.reputation = reputation;
        ModerationScreening screening = new ModerationScreening(store, comments, forum, clock);
        comments.screening(screening);
        forum.screening(screening);
        this.store = store;
        this.comments = comments;
        this.forum = forum;
        this.accounts = accounts;
        this.profiles = profiles;
        this.roles = roles;
        this.catalog = catalog;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Files a report of something the reporter can see.
     *
     * @throws InvalidInputException for a missing field, or reason {@code other} without a note
     * @throws NotFoundException when the reporter cannot see the object
     * @throws ConflictException when they already reported it and its case is still open
     */
    public ReportView report(Viewer v, ReportInput in) {
        Validation val = new Validation();
        val.check("targetType", in.targetType() != null, "is required: comment, post, user or title");
        val.check("targetId", in.targetId() != null, "is required");
        val.check("reason", in.reason() != null, "is required: spam, abuse, spoiler, illegal or other");
        String note = in.note() == null || in.note().isBlank() ? null : in.note().strip();
        val.check("note", note == null || note.length() <= 1000, "must be at most 1000 characters");
        val.check("note", in.reason() != ModerationTypes.Reason.other || note != null, "is required with reason other");
        val.throwIfInvalid();
        switch (in.targetType()) {
            case comment -> comments.get(v, in.targetId());
            case post -> forum.post(v, in.targetId());
            case user -> {
                if (profiles.publicNames(List.of(in.targetId())).isEmpty()) {
                    throw new NotFoundException("no user " + in.targetId());
                }
            }
            case title -> catalog.requireVisibleTitle(in.targetId(), v.can(Viewer.CATALOG_WRITE));
        }
        limits.hit(REPORTS, v.accountId());
        ReportView filed = store.report(in.targetType().name(), in.targetId(), v.accountId(), in.reason().name(), note,
                        clock.instant())
                .orElseThrow(() -> new ConflictException("you already reported this; moderators will look at it"));
        if ((in.targetType() == ModerationTypes.TargetType.comment || in.targetType() == ModerationTypes.TargetType.post)
                && reputation.standing(v.accountId()).level().mayFlagForHiding()) {
            hideOnReport(v, in, filed);
        }
        return filed;
    }

    /**
     * A report from a member whose level allows it hides a visible comment or post at once, until a moderator
     * decides (dismissing the case brings it back). Never the reporter's own text, never staff's: what a moderator
     * wrote waits for another moderator.
     */
    private void hideOnReport(Viewer v, ReportInput in, ReportView filed) {
        CaseRow c = store.find(filed.caseId()).orElseThrow();
        UUID author = author(c);
        if (c.hiddenOnReport() || author == null || author.equals(v.accountId())
                || roles.effectivePermissions(author).contains(Permissions.COMMENTS_MODERATE)) {
            return;
        }
        boolean hidden = switch (in.targetType()) {
            case comment -> comments.find(in.targetId()).filter(x -> x.state().equals(CommentTypes.State.visible.name()))
                    .map(x -> {
                        comments.setState(in.targetId(), CommentTypes.State.hidden);
                        return true;
                    }).orElse(false);
            case post -> forum.findPost(in.targetId()).filter(x -> x.state().equals(ForumTypes.State.visible.name()))
                    .map(x -> {
                        forum.setPostState(in.targetId(), ForumTypes.State.hidden);
                        return true;
                    }).orElse(false);
            default -> false;
        };
        if (hidden) {
            store.hiddenOnReport(c.id(), v.accountId(), c.targetType(), c.targetId(),
                    "reported as " + in.reason().name() + " by a member whose level may hide content;"
                            + " hidden until a moderator decides", clock.instant());
        }
    }

    /** @throws ForbiddenException without comments.moderate */
    public Page<CaseView> queue(Viewer v, String status, Page.Cursor cursor) {
        requireModerator(v);
        if (!List.of("open", "actioned", "dismissed").contains(status)) {
            throw InvalidInputException.of("status", "must be open, actioned or dismissed");
        }
        List<CaseRow> rows = store.cases(status, cursor);
        Page<CaseRow> page = Page.of(cursor, rows, c -> List.of(c.last().toString(), c.id().toString()));
        List<CaseView> views = new ArrayList<>();
        for (CaseRow c : page.items()) {
            views.add(new CaseView(c.id(), c.targetType(), c.targetId(), c.status(), c.reports(), store.reasons(c.id()),
                    store.notes(c.id()), context(c), c.first(), c.last()));
        }
        return new Page<>(views, page.next());
    }

    /**
     * Acts on an open case and writes the audit log.
     *
     * @throws ForbiddenException without the permission, or on an administrator's content or account
     * @throws InvalidInputException for an action that does not apply to the object, or no reason
     * @throws ConflictException when the case is no longer open
     */
    public AuditEntry act(AuthenticatedUser moderator, Viewer v, UUID caseId, ActionInput in) {
        requireModerator(v);
        Validation val = new Validation();
        val.check("action", in.action() != null, "is required");
        val.required("reason", in.reason());
        val.check("reason", in.reason() == null || in.reason().length() <= 1000, "must be at most 1000 characters");
        val.check("durationHours", in.durationHours() == null || (in.durationHours() >= 1 && in.durationHours() <= 24 * 365),
                "must be 1 to 8760 hours, or absent for a permanent ban");
        val.throwIfInvalid();
        CaseRow c = store.find(caseId).orElseThrow(() -> new NotFoundException("no case " + caseId));
        if (!c.status().equals("open")) {
            throw new ConflictException("this case is already " + c.status());
        }
        ModerationTypes.Action action = in.action();
        UUID author = author(c);
        if (action != ModerationTypes.Action.dismiss) {
            roles.requireMayActOn(v.can(Permissions.ROLES_MANAGE), author);
        }
        switch (action) {
            case dismiss -> {
                if (c.hiddenOnReport()) { // the report that hid it was not upheld: bring it back
                    switch (c.targetType()) {
                        case "comment" -> comments.setState(c.targetId(), CommentTypes.State.visible);
                        case "post" -> forum.setPostState(c.targetId(), ForumTypes.State.visible);
                        default -> { }
                    }
                }
            }
            case hide, restore, delete -> {
                CommentTypes.State cs = action == ModerationTypes.Action.hide ? CommentTypes.State.hidden
                        : CommentTypes.State.visible;
                ForumTypes.State ps = action == ModerationTypes.Action.hide ? ForumTypes.State.hidden
                        : ForumTypes.State.visible;
                switch (c.targetType()) {
                    case "comment" -> {
                        if (action == ModerationTypes.Action.delete) {
                            comments.remove(c.targetId());
                        } else {
                            comments.setState(c.targetId(), cs);
                        }
                    }
                    case "post" -> forum.setPostState(c.targetId(),
                            action == ModerationTypes.Action.delete ? ForumTypes.State.deleted : ps);
                    default -> throw unsupported(action, c);
                }
            }
            case spoiler -> {
                if (!c.targetType().equals("comment")) {
                    throw unsupported(action, c);
                }
                comments.setSpoiler(c.targetId(), true, moderator.accountId());
            }
            case lock -> {
                if (!c.targetType().equals("post")) {
                    throw unsupported(action, c);
                }
                forum.lock(forum.findPost(c.targetId()).orElseThrow(() -> gone(c)).threadId(), true);
            }
            case warn -> {
                if (author == null) {
                    throw unsupported(action, c);
                }
            }
            case ban -> {
                if (author == null) {
                    throw unsupported(action, c);
                }
                if (!v.can(Permissions.USERS_BAN)) {
                    throw new ForbiddenException("banning needs users.ban");
                }
                accounts.ban(moderator, author, new AccountAdmin.BanRequest(in.reason(), in.durationHours() == null ? null
                        : clock.instant().plus(Duration.ofHours(in.durationHours()))));
            }
        }
        String status = action == ModerationTypes.Action.dismiss ? "dismissed" : "actioned";
        if (!store.resolve(caseId, status, moderator.accountId(), action.wire(), c.targetType(), c.targetId(),
                in.reason().strip(), clock.instant())) {
            throw new ConflictException("another moderator resolved this case first");
        }
        tell(c, action, author, in.reason().strip());
        if (action != ModerationTypes.Action.dismiss && action != ModerationTypes.Action.restore) {
            // upheld: the reporters earn, the author loses what the content earned and a penalty
            for (UUID reporter : store.reporters(caseId)) {
                reputation.change(reporter, dev.kino.control.reputation.Reputation.UPHELD_REPORT,
                        "a report of yours was upheld", "report", caseId);
            }
            if (author != null) {
                if (action == ModerationTypes.Action.hide || action == ModerationTypes.Action.delete) {
                    reputation.revoke(author, c.targetType(), c.targetId(), "removed by a moderator");
                }
                reputation.change(author, dev.kino.control.reputation.Reputation.UPHELD_AGAINST,
                        "a report against you was upheld: " + action.wire(), c.targetType(), c.targetId());
            }
        }
        return store.audit(Page.Cursor.first(1)).get(0);
    }

    /** Installs the notifications feature: reporters and authors hear of moderators' decisions. */
    public void notifications(Notifications notifications) {
        this.notifications = notifications;
    }

    /**
     * Tells the reporters what became of their report, and the author what was done to their content or account
     * (a warning reaches its recipient this way), with the moderator's reason.
     */
    private void tell(CaseRow c, ModerationTypes.Action action, UUID author, String reason) {
        Notifications n = notifications;
        if (n == null) {
            return;
        }
        String what = switch (c.targetType()) {
            case "comment" -> "comment";
            case "post" -> "forum post";
            case "user" -> "account";
            default -> "title";
        };
        boolean held = store.reporters(c.id()).isEmpty() && c.reports() > 0;
        String outcome = action == ModerationTypes.Action.dismiss ? "dismissed: no action was needed"
                : "upheld: the " + what + " was " + switch (action) {
                    case hide -> "hidden";
                    case delete -> "removed";
                    case spoiler -> "marked as a spoiler";
                    case lock -> "locked";
                    case warn -> "the subject of a warning";
                    case ban -> "banned";
                    default -> "restored";
                };
        for (UUID reporter : store.reporters(c.id())) {
            n.notify(reporter, new Notice(NotificationType.REPORT_OUTCOME, null, "report", c.id(), null,
                    "Your report of a " + what + " was " + outcome, null, Map.of("action", action.wire())));
        }
        if (author == null || action == ModerationTypes.Action.dismiss) {
            return;
        }
        String text = switch (action) {
            case hide -> "A moderator hid your " + what + ": " + reason;
            case delete -> "A moderator removed your " + what + ": " + reason;
            case spoiler -> "A moderator marked your " + what + " as a spoiler: " + reason;
            case lock -> "A moderator locked your thread: " + reason;
            case warn -> "A moderator warned you: " + reason;
            case ban -> "Your account was banned: " + reason;
            case restore -> held ? "Your " + what + " was approved and is now visible" : "Your " + what + " was restored";
            default -> "A moderator acted on your " + what + ": " + reason;
        };
        n.notify(author, new Notice(NotificationType.MODERATION, null, c.targetType(), c.targetId(), null, text, null,
                Map.of("action", action.wire(), "reason", reason)));
    }

    /** @return the watched words and their action, by word (moderators) */
    public Map<String, String> watchedWords(Viewer v) {
        requireModerator(v);
        return store.watchedWords();
    }

    /**
     * Adds or changes a watched word (moderators).
     *
     * @throws InvalidInputException for a word that is not one word, or an action other than block or hold
     */
    public void watchWord(Viewer v, String word, String action) {
        requireModerator(v);
        String w = word == null ? "" : word.strip().toLowerCase(java.util.Locale.ROOT);
        Validation val = new Validation();
        val.check("word", w.matches("[\\p{L}\\p{N}]{1,64}"), "must be one word of 1 to 64 letters or digits");
        val.check("action", "block".equals(action) || "hold".equals(action), "must be block or hold");
        val.throwIfInvalid();
        store.putWatchedWord(w, action, clock.instant());
    }

    /** @throws NotFoundException for a word not watched */
    public void unwatchWord(Viewer v, String word) {
        requireModerator(v);
        if (!store.deleteWatchedWord(word.strip().toLowerCase(java.util.Locale.ROOT))) {
            throw new NotFoundException("'" + word + "' is not a watched word");
        }
    }

    /** @return whether new accounts' first comment or forum post is held (moderators read it) */
    public boolean holdFirstPosts(Viewer v) {
        requireModerator(v);
        return store.holdFirstPosts();
    }

    /** Turns holding new accounts' first comment or forum post on or off (administrators). */
    public void holdFirstPosts(Viewer v, boolean on) {
        if (!v.can(Permissions.ROLES_MANAGE)) {
            throw new ForbiddenException("moderation settings are for administrators");
        }
        store.holdFirstPosts(on);
    }

    /** @throws ForbiddenException without comments.moderate */
    public Page<AuditEntry> audit(Viewer v, Page.Cursor cursor) {
        requireModerator(v);
        List<AuditEntry> rows = store.audit(cursor);
        return Page.of(cursor, rows, a -> List.of(a.at().toString(), a.id().toString()));
    }

    private static void requireModerator(Viewer v) {
        if (!v.can(Permissions.COMMENTS_MODERATE)) {
            throw new ForbiddenException("the moderation queue is for moderators (comments.moderate)");
        }
    }

    /** @return the account behind the reported object: the author of a comment or post, or the reported user */
    private UUID author(CaseRow c) {
        return switch (c.targetType()) {
            case "comment" -> comments.find(c.targetId()).map(x -> x.author() == null ? null : x.author().id()).orElse(null);
            case "post" -> forum.findPost(c.targetId()).map(x -> x.author() == null ? null : x.author().id()).orElse(null);
            case "user" -> c.targetId();
            default -> null;
        };
    }

    private Map<String, Object> context(CaseRow c) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (c.targetType()) {
            case "comment" -> comments.find(c.targetId()).ifPresent(x -> {
                out.put("body", x.body());
                out.put("state", x.state());
                out.put("author", x.author() == null ? null : x.author().username());
                out.put("titleId", x.titleId());
            });
            case "post" -> forum.findPost(c.targetId()).ifPresent(x -> {
                out.put("body", x.body());
                out.put("state", x.state());
                out.put("author", x.author() == null ? null : x.author().username());
                out.put("threadId", x.threadId());
            });
            case "user" -> {
                var n = profiles.publicNames(List.of(c.targetId())).get(c.targetId());
                if (n != null) {
                    out.put("username", n.username());
                    out.put("displayName", n.displayName());
                }
            }
            default -> {
                try {
                    out.put("name", catalog.title(c.targetId(), true).originalTitle());
                } catch (NotFoundException e) {
                    // gone since
                }
            }
        }
        out.values().removeIf(java.util.Objects::isNull);
        return out.isEmpty() ? null : out;
    }

    private static InvalidInputException unsupported(ModerationTypes.Action action, CaseRow c) {
        return InvalidInputException.of("action", "'" + action.wire() + "' does not apply to a " + c.targetType()
                + (c.targetType().equals("title") ? " (titles are taken down by editors)" : ""));
    }

    private static NotFoundException gone(CaseRow c) {
        return new NotFoundException("the reported " + c.targetType() + " no longer exists");
    }
}
