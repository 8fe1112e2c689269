package dev.kino.control.account.hygiene;

import dev.kino.control.account.AccountTypes.Me;
import dev.kino.control.account.AccountTypes.Maturity;
import dev.kino.control.account.ProfileStore;
import dev.kino.control.account.Profiles;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.LoginThrottle;
import dev.kino.control.auth.SessionStore;
import dev.kino.control.billing.Billing;
import dev.kino.control.billing.BillingTypes.Invoice;
import dev.kino.control.billing.BillingTypes.MySubscription;
import dev.kino.control.comments.CommentStore;
import dev.kino.control.forum.ForumStore;
import dev.kino.control.notifications.NotificationStore;
import dev.kino.control.notifications.NotificationStore.Row;
import dev.kino.control.notifications.NotificationType;
import dev.kino.control.notifications.Notifications;
import dev.kino.control.playback.Plans;
import dev.kino.control.ratings.Ratings;
import dev.kino.control.reactions.Reactions;
import dev.kino.control.social.SocialStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The owner's copy of everything Kino keeps about their account ({@code GET /api/v1/me/export}; GDPR Art. 15 access and
 * Art. 20 portability): one JSON document, read through each feature's own store. Secrets are left out (password hash,
 * second-factor secrets, recovery codes and refresh tokens are stored only as hashes or sealed and mean nothing
 * outside); everything else the account made or that was recorded about it is in.
 *
 * <p>Each section holds at most {@link #MAX_ROWS} rows (newest first); {@code truncated} names the sections that had
 * more. Exports are limited to {@value #EXPORTS} per account per {@link #EXPORT_WINDOW}: each one reads every table.
 */
public final class AccountExport {
    /** The most rows of one section. */
    public static final int MAX_ROWS = 50_000;
    public static final int EXPORTS = 5;
    public static final Duration EXPORT_WINDOW = Duration.ofHours(1);
    /** Version of the archive's shape; a change that removes or renames a field raises it. */
    public static final int FORMAT = 1;

    private final ProfileStore profiles;
    private final SessionStore sessions;
    private final Plans plans;
    private final SocialStore social;
    private final Ratings ratings;
    private final Reactions reactions;
    private final CommentStore comments;
    private final ForumStore forum;
    private final Notifications notifications;
    private final NotificationStore notificationStore;
    private final Billing billing;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final Profiles viewerProfiles;

    public AccountExport(ProfileStore profiles, SessionStore sessions, Plans plans, SocialStore social, Ratings ratings,
                         Reactions reactions, CommentStore comments, ForumStore forum, Notifications notifications,
                         NotificationStore notificationStore, Billing billing, LoginThrottle throttle, Clock clock,
                         Profiles viewerProfiles) {
        this.profiles = profiles;
        this.sessions = sessions;
        this.plans = plans;
        this.social = social;
        this.ratings = ratings;
        this.reactions = reactions;
        this.comments = comments;
        this.forum = forum;
        this.notifications = notifications;
        this.notificationStore = notificationStore;
        this.billing = billing;
        this.throttle = throttle;
        this.clock = clock;
        this.viewerProfiles = viewerProfiles;
    }

    /**
     * @param titleId the rated title
     * @param score 1 to 10
     * @param ratedAt when the score was last set
     */
    public record Rating(UUID titleId, int score, Instant ratedAt) {
    }

    /**
     * @param threadId a followed forum thread
     * @param since when the follow began
     */
    public record FollowedThread(UUID threadId, Instant since) {
    }

    /**
     * The archive.
     *
     * @param format {@value #FORMAT}
     * @param exportedAt when it was made
     * @param profile the account and its preferences, as {@code GET /api/v1/me} shows them
     * @param sessions every session, ended ones too, with address and client
     * @param watchHistory saved playback positions (what was watched, how far, when)
     * @param watchlist titles on "My list"
     * @param ratings scores given to titles
     * @param reactions likes and dislikes
     * @param comments comments written, deleted ones too (their text is gone)
     * @param forumPosts forum posts written
     * @param notifications notifications received
     * @param follows titles and people followed
     * @param followedThreads forum threads followed
     * @param subscription the subscription, or null
     * @param invoices invoices, newest first
     * @param viewing viewing analytics about the account: its playback sessions and their raw player events still
     *                within retention (null when the feature is not wired)
     * @param truncated the sections that had more than {@link #MAX_ROWS} rows
     * @param identities the identity providers' accounts linked to this one (provider, address, when linked and
     *                   last used; the provider's subject id stays out, it means nothing to the owner)
     * @param viewerProfiles every viewer profile of the account with its own history, watchlist, ratings and
     *                       notification settings ({@code watchHistory}, {@code watchlist} and {@code ratings} above are
     *                       the primary profile's, as in exports from before profiles)
     */
    public record Archive(int format, Instant exportedAt, Me profile, List<SessionStore.SessionRecord> sessions,
                          List<Plans.Progress> watchHistory, List<SocialStore.Listed> watchlist, List<Rating> ratings,
                          List<Reactions.OwnReaction> reactions, List<CommentStore.Authored> comments,
                          List<ForumStore.AuthoredPost> forumPosts, List<Row> notifications,
                          List<NotificationStore.Followed> follows, List<FollowedThread> followedThreads,
                          MySubscription subscription, List<Invoice> invoices, List<String> truncated,
                          List<ViewerProfile> viewerProfiles,
                          dev.kino.control.analytics.AnalyticsTypes.AccountExport viewing,
                          List<dev.kino.control.auth.oidc.OidcSignIn.IdentityView> identities) {
    }

    /**
     * One viewer profile and what is its own.
     *
     * @param id profile id
     * @param name its name
     * @param maturity what it may watch
     * @param primary whether it is the account's primary profile
     * @param pinSet whether it has a PIN (the PIN itself is stored only as a hash and left out)
     * @param createdAt when it was made
     * @param watchHistory its saved playback positions
     * @param watchlist its "My list"
     * @param ratings its scores
     * @param notificationSettings its notification channels per type
     */
    public record ViewerProfile(UUID id, String name, Maturity maturity, boolean primary, boolean pinSet,
                                Instant createdAt, List<Plans.Progress> watchHistory, List<SocialStore.Listed> watchlist,
                                List<Rating> ratings, Map<NotificationType, NotificationStore.Channels> notificationSettings) {
    }

    /**
     * @return the caller's archive
     * @throws dev.kino.control.RateLimitedException over {@value #EXPORTS} exports per hour
     */
    public Archive archive(AuthenticatedUser user) {
        UUID id = user.accountId();
        throttle.limit("export:" + id, EXPORTS, EXPORT_WINDOW, "too many exports of this account");
        List<String> truncated = new ArrayList<>();
        List<SessionStore.SessionRecord> sessionList = capped("sessions", sessions.history(id, MAX_ROWS + 1), truncated);
        List<ViewerProfile> profileData = new ArrayList<>();
        ViewerProfile primary = null;
        for (Profiles.ProfileView p : viewerProfiles.all(id)) {
            String section = "viewerProfiles[" + profileData.size() + "].";
            ViewerProfile d = new ViewerProfile(p.id(), p.name(), p.maturity(), p.primary(), p.pinSet(), p.createdAt(),
                    capped(section + "watchHistory", history(p.id()), truncated), social.watchlistOf(p.id()),
                    capped(section + "ratings", ratings.ratedByProfile(p.id(), MAX_ROWS + 1), truncated).stream()
                            .map(m -> new Rating((UUID) m.get("titleId"), (Integer) m.get("score"), (Instant) m.get("ratedAt")))
                            .toList(),
                    notifications.settings(p.id()));
            profileData.add(d);
            if (p.primary()) {
                primary = d;
            }
        }
        if (primary == null) { // every account has one (migration V150); an export never fails for want of it
            primary = new ViewerProfile(null, null, null, true, false, null, List.of(), List.of(), List.of(), Map.of());
        }
        List<Row> received = new ArrayList<>();
        Long before = null;
        while (received.size() <= MAX_ROWS) {
            List<Row> page = notifications.list(id, false, before, 1000);
            received.addAll(page);
            if (page.size() < 1000) {
                break;
            }
            before = page.get(page.size() - 1).id();
        }
        List<FollowedThread> threads = forum.followedThreads(id).entrySet().stream()
                .map((Map.Entry<UUID, Instant> e) -> new FollowedThread(e.getKey(), e.getValue())).toList();
        return new Archive(FORMAT, clock.instant(), profiles.me(id), sessionList,
                primary.watchHistory(), primary.watchlist(), primary.ratings(),
                capped("reactions", reactions.byAccount(id, MAX_ROWS + 1), truncated),
                capped("comments", comments.byAuthor(id, MAX_ROWS + 1), truncated),
                capped("forumPosts", forum.postsByAuthor(id, MAX_ROWS + 1), truncated),
                capped("notifications", received, truncated), notificationStore.followsOf(id), threads,
                billing.subscription(id).orElse(null), billing.invoices(id), List.copyOf(truncated),
                List.copyOf(profileData), viewing == null ? null : viewing.exportAccount(id),
                identities.apply(id));
    }

    /** @return a viewer profile's saved positions, newest first, up to one more than {@link #MAX_ROWS} */
    private List<Plans.Progress> history(UUID profileId) {
        List<Plans.Progress> history = new ArrayList<>();
        Plans.Progress last = null;
        while (history.size() <= MAX_ROWS) {
            List<Plans.Progress> page = plans.progress(profileId, last == null ? null : last.updatedAt(),
                    last == null ? null : last.mediaId(), 1000);
            history.addAll(page);
            if (page.size() < 1000) {
                break;
            }
            last = page.get(page.size() - 1);
        }
        return history;
    }

    private volatile dev.kino.control.analytics.Analytics viewing;
    private volatile java.util.function.Function<UUID, List<dev.kino.control.auth.oidc.OidcSignIn.IdentityView>>
            identities = id -> List.of();

    /** Adds the linked identity providers' accounts to the archive (while wiring). */
    public void identities(
            java.util.function.Function<UUID, List<dev.kino.control.auth.oidc.OidcSignIn.IdentityView>> source) {
        this.identities = java.util.Objects.requireNonNull(source);
    }

    /** Adds viewing analytics to the archive (while wiring). */
    public void viewing(dev.kino.control.analytics.Analytics analytics) {
        this.viewing = analytics;
    }

    private static <T> List<T> capped(String section, List<T> rows, List<String> truncated) {
        if (rows.size() <= MAX_ROWS) {
            return rows;
        }
        truncated.add(section);
        return List.copyOf(rows.subList(0, MAX_ROWS));
    }
}
