package dev.kino.control.notifications;

import dev.kino.control.ActionLimits;
import dev.kino.control.BadRequestException;
import dev.kino.control.ForbiddenException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.UnauthenticatedException;
import dev.kino.control.account.ProfileStore;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.forum.Forum;
import dev.kino.control.http.Page;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.notifications.NotificationStore.Channels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * <pre>
 * GET         /api/v1/me/notifications?unread=&cursor=&limit=   yours, newest first
 * POST        /api/v1/me/notifications/read                     {"ids":[...]} or {"all":true}
 * GET         /api/v1/me/notifications/unread-count
 * POST        /api/v1/me/notifications/stream-ticket            a single-use ticket for the stream (60 s)
 * GET         /api/v1/me/notifications/stream?ticket=           text/event-stream; Last-Event-ID resumes
 * GET|PUT     /api/v1/me/notification-settings                  per type: in-app, e-mail (the current profile's)
 * GET|PUT|DELETE /api/v1/me/follows/titles/{id}                  new episodes
 * PUT|DELETE  /api/v1/me/follows/threads/{id}                   new posts
 * GET|PUT|DELETE /api/v1/me/follows/users/{username}             new public comments
 * GET|POST    /api/v1/notifications/unsubscribe?account=&types=&sig=   the e-mail's link, no sign-in (RFC 8058)
 * </pre>
 */
public final class NotificationRoutes {
    private static final String TAG = "notifications";
    /** Stream tickets per account: a reconnecting browser needs a few a minute, a bot hammering needs more. */
    static final ActionLimits.Limit TICKETS = new ActionLimits.Limit("stream-tickets", 60, Duration.ofMinutes(10));

    private NotificationRoutes() {
    }

    /** @param ids notification ids to mark read @param all true to mark every one read */
    public record ReadInput(List<Long> ids, Boolean all) {
    }

    /** @param marked how many were unread and are now read @param unread how many remain unread */
    public record ReadResult(int marked, int unread) {
    }

    /** @param unread unread notifications */
    public record UnreadCount(int unread) {
    }

    /** @param ticket opens one stream once @param expiresIn seconds it stays valid */
    public record StreamTicket(String ticket, long expiresIn) {
    }

    /**
     * @param type the type
     * @param inApp shown in the app
     * @param email mailed (in a digest; security at once)
     * @param locked cannot be turned off (security)
     */
    public record TypeSetting(NotificationType type, Boolean inApp, Boolean email, Boolean locked) {
    }

    /** @param settings one entry per type (on PUT: only the types to change) */
    public record Settings(List<TypeSetting> settings) {
    }

    /** @param following whether the caller follows it */
    public record Following(boolean following) {
    }

    /** @param account whose settings @param types what it turns off (or turned off) by e-mail */
    public record Unsubscribe(UUID account, List<NotificationType> types) {
    }

    public static void register(Router router, Notifications notifications, NotificationHub hub, StreamTickets tickets,
                                UnsubscribeLinks links, Catalog catalog, Forum forum, ProfileStore profiles,
                                ActionLimits limits, Access access) {
        router.route(GET, "/api/v1/me/notifications").operationId("listNotifications").tag(TAG).authenticated()
                .summary("Your notifications, newest first").query("unread", "boolean", "true: unread ones only")
                .page(NotificationView.class).errors(400, 422)
                .handler(req -> {
                    UUID me = access.viewer(req).accountId();
                    Page.Cursor cursor = Page.request(req);
                    Long before = null;
                    if (cursor.after() != null) {
                        try {
                            before = Long.parseLong(cursor.after().get(0));
                        } catch (RuntimeException e) {
                            throw new BadRequestException("cursor is not one returned by this API");
                        }
                    }
                    List<NotificationStore.Row> rows = notifications.list(me, bool(req, "unread"), before, cursor.fetch());
                    Page<NotificationStore.Row> page = Page.of(cursor, rows, r -> List.of(Long.toString(r.id())));
                    return Response.ok(new Page<>(page.items().stream().map(NotificationView::of).toList(), page.next()));
                });
        router.route(POST, "/api/v1/me/notifications/read").operationId("markNotificationsRead").tag(TAG)
                .authenticated().summary("Mark notifications read: some ids, or all").request(ReadInput.class)
                .response(200, ReadResult.class).errors(422)
                .handler(req -> {
                    UUID me = access.viewer(req).accountId();
                    ReadInput in = req.body(ReadInput.class);
                    int marked;
                    if (Boolean.TRUE.equals(in.all())) {
                        marked = notifications.markAllRead(me);
                    } else {
                        if (in.ids() == null || in.ids().isEmpty() || in.ids().size() > 500
                                || in.ids().stream().anyMatch(id -> id == null || id < 1)) {
                            throw InvalidInputException.of("ids", "must list 1 to 500 notification ids (or send \"all\": true)");
                        }
                        marked = notifications.markRead(me, in.ids());
                    }
                    return Response.ok(new ReadResult(marked, notifications.unreadCount(me)));
                });
        router.route(GET, "/api/v1/me/notifications/unread-count").operationId("countUnreadNotifications").tag(TAG)
                .authenticated().summary("How many of your notifications are unread").response(200, UnreadCount.class)
                .handler(req -> Response.ok(new UnreadCount(notifications.unreadCount(access.viewer(req).accountId()))));
        router.route(POST, "/api/v1/me/notifications/stream-ticket").operationId("issueNotificationStreamTicket")
                .tag(TAG).authenticated().summary("A single-use ticket that opens your notification stream (browsers'"
                        + " EventSource cannot send the access token)").response(200, StreamTicket.class).errors(429)
                .handler(req -> {
                    UUID me = access.viewer(req).accountId();
                    limits.hit(TICKETS, me);
                    return Response.ok(new StreamTicket(tickets.issue(me), StreamTickets.TTL.toSeconds()));
                });
        router.route(GET, "/api/v1/me/notifications/stream").operationId("streamNotifications").tag(TAG)
                .summary("Your notifications as Server-Sent Events (text/event-stream): every event has an id; send"
                        + " Last-Event-ID (or lastEventId=) to get exactly what you missed. Authenticate with ticket="
                        + " (from stream-ticket) or an Authorization header.")
                .query("ticket", "string", "a single-use ticket from POST /me/notifications/stream-ticket")
                .query("lastEventId", "integer", "the last id you have (the Last-Event-ID header wins)")
                .response(200, null).errors(400, 401)
                .handler(req -> {
                    UUID me = streamAccount(req, tickets, access);
                    return Response.eventStream(hub.open(me, lastEventId(req)));
                });
        router.route(GET, "/api/v1/me/notification-settings").operationId("getNotificationSettings").tag(TAG)
                .authenticated().summary("Your notification settings: per type, in the app and by e-mail")
                .response(200, Settings.class)
                .handler(req -> Response.ok(settings(notifications.settings(access.viewer(req).profileId()))));
        router.route(PUT, "/api/v1/me/notification-settings").operationId("putNotificationSettings").tag(TAG)
                .authenticated().summary("Change your notification settings (only the types listed)")
                .request(Settings.class).response(200, Settings.class).errors(422)
                .handler(req -> {
                    UUID me = access.viewer(req).profileId(); // settings are the current viewer profile's
                    Settings in = req.body(Settings.class);
                    if (in.settings() == null || in.settings().isEmpty()) {
                        throw InvalidInputException.of("settings", "must list at least one type");
                    }
                    Map<NotificationType, Channels> current = notifications.settings(me);
                    Map<NotificationType, Channels> changed = new EnumMap<>(NotificationType.class);
                    for (TypeSetting s : in.settings()) {
                        if (s == null || s.type() == null) {
                            throw InvalidInputException.of("settings", "every entry needs a type");
                        }
                        Channels c = current.get(s.type());
                        changed.put(s.type(), new Channels(s.inApp() != null ? s.inApp() : c.inApp(),
                                s.email() != null ? s.email() : c.email()));
                    }
                    notifications.putSettings(me, changed);
                    return Response.ok(settings(notifications.settings(me)));
                });

        router.route(GET, "/api/v1/me/follows/titles/{id}").operationId("getTitleFollow").tag(TAG).authenticated()
                .summary("Whether you follow a title").response(200, Following.class).errors(404)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    catalog.requireVisibleTitle(req.pathUuid("id"), v.can(Viewer.CATALOG_WRITE));
                    return Response.ok(new Following(notifications.follows(v.accountId(), "title", req.pathUuid("id"))));
                });
        for (boolean on : new boolean[]{true, false}) {
            router.route(on ? PUT : DELETE, "/api/v1/me/follows/titles/{id}")
                    .operationId(on ? "followTitle" : "unfollowTitle").tag(TAG).authenticated()
                    .summary(on ? "Follow a title: be told of its new episodes" : "Stop following a title")
                    .response(200, Following.class).errors(404)
                    .handler(req -> {
                        Viewer v = access.viewer(req);
                        UUID id = req.pathUuid("id");
                        catalog.requireVisibleTitle(id, v.can(Viewer.CATALOG_WRITE));
                        notifications.follow(v.accountId(), "title", id, on);
                        return Response.ok(new Following(on));
                    });
            router.route(on ? PUT : DELETE, "/api/v1/me/follows/threads/{id}")
                    .operationId(on ? "followThread" : "unfollowThread").tag(TAG).authenticated()
                    .summary(on ? "Follow a forum thread: be told of new posts" : "Stop following a forum thread")
                    .response(200, Following.class).errors(404)
                    .handler(req -> {
                        forum.follow(access.viewer(req), req.pathUuid("id"), on);
                        return Response.ok(new Following(on));
                    });
            router.route(on ? PUT : DELETE, "/api/v1/me/follows/users/{username}")
                    .operationId(on ? "followUser" : "unfollowUser").tag(TAG).authenticated()
                    .summary(on ? "Follow a user: be told of their new public comments" : "Stop following a user")
                    .response(200, Following.class).errors(404, 422)
                    .handler(req -> {
                        Viewer v = access.viewer(req);
                        UUID target = user(profiles, req.pathParam("username"));
                        if (target.equals(v.accountId())) {
                            throw InvalidInputException.of("username", "is you");
                        }
                        notifications.follow(v.accountId(), "user", target, on);
                        return Response.ok(new Following(on));
                    });
        }
        router.route(GET, "/api/v1/me/follows/users/{username}").operationId("getUserFollow").tag(TAG).authenticated()
                .summary("Whether you follow a user").response(200, Following.class).errors(404)
                .handler(req -> Response.ok(new Following(notifications.follows(access.viewer(req).accountId(), "user",
                        user(profiles, req.pathParam("username"))))));

        router.route(GET, "/api/v1/notifications/unsubscribe").operationId("describeUnsubscribe").tag(TAG)
                .summary("What an e-mail's unsubscribe link turns off (no sign-in; POST the same address to do it)")
                .query("account", "string", "from the link").query("types", "string", "from the link")
                .query("sig", "string", "from the link").response(200, Unsubscribe.class).errors(403)
                .handler(req -> {
                    List<NotificationType> types = verified(req, links);
                    return Response.ok(new Unsubscribe(UUID.fromString(req.query("account")), types));
                });
        router.route(POST, "/api/v1/notifications/unsubscribe").operationId("unsubscribe").tag(TAG)
                .summary("One-click unsubscribe (RFC 8058): turns e-mail off for the link's types, no sign-in")
                .query("account", "string", "from the link").query("types", "string", "from the link")
                .query("sig", "string", "from the link").response(200, Unsubscribe.class).errors(403)
                .handler(req -> {
                    List<NotificationType> types = verified(req, links);
                    UUID account = UUID.fromString(req.query("account"));
                    return Response.ok(new Unsubscribe(account, notifications.unsubscribe(account, types)));
                });
    }

    private static List<NotificationType> verified(Request req, UnsubscribeLinks links) {
        return links.verify(req.query("account"), req.query("types"), req.query("sig"))
                .orElseThrow(() -> new ForbiddenException("this unsubscribe link is not valid (altered or not from us)"));
    }

    private static UUID user(ProfileStore profiles, String username) {
        UUID id = profiles.idsOfUsernames(List.of(username)).get(username);
        if (id == null) {
            throw new NotFoundException("no user " + username);
        }
        return id;
    }

    private static UUID streamAccount(Request req, StreamTickets tickets, Access access) {
        String ticket = req.query("ticket");
        if (ticket != null) {
            return tickets.redeem(ticket).orElseThrow(() -> new UnauthenticatedException(
                    "this stream ticket is unknown, expired or used; get a new one from POST /api/v1/me/notifications/stream-ticket"));
        }
        Viewer v = access.optional(req);
        if (v.accountId() == null) {
            throw new UnauthenticatedException("open the stream with ticket= (POST /api/v1/me/notifications/stream-ticket)"
                    + " or an Authorization header");
        }
        return v.accountId();
    }

    private static long lastEventId(Request req) {
        String v = req.header("Last-Event-ID");
        String name = "Last-Event-ID";
        if (v == null || v.isEmpty()) {
            v = req.query("lastEventId");
            name = "lastEventId";
        }
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            long id = Long.parseLong(v.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be a notification id (a whole number, 0 or more)");
        }
    }

    private static boolean bool(Request req, String name) {
        String v = req.query(name);
        if (v == null || v.isEmpty() || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw InvalidInputException.of(name, "must be true or false");
    }

    private static Settings settings(Map<NotificationType, Channels> all) {
        List<TypeSetting> out = new ArrayList<>();
        all.forEach((t, c) -> out.add(new TypeSetting(t, c.inApp(), c.email(), t.urgent())));
        return new Settings(out);
    }
}
