package dev.kino.control.admin;

import dev.kino.control.Validation;
import dev.kino.control.auth.AccountAdmin;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.Permissions;
import dev.kino.control.auth.SessionStore;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Page;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.playback.PlaybackTypes;
import dev.kino.control.playback.Plans;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PATCH;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * The admin console's routes (issue 16) beside {@link AdminRoutes}' roles and bans:
 *
 * <pre>
 * GET    /api/v1/admin/users?q=&amp;role=&amp;plan=&amp;banned=&amp;from=&amp;to=&amp;cursor=   users.read
 * GET    /api/v1/admin/users/{id}                   profile, roles, bans, reports, activity   users.read
 *                                                   (+ sessions with users.manage, + subscription with roles.manage)
 * DELETE /api/v1/admin/users/{id}/sessions          end every session                          users.manage
 * DELETE /api/v1/admin/users/{id}/sessions/{sid}    end one session                            users.manage
 * GET    /api/v1/admin/audit-log?actor=&amp;action=&amp;from=&amp;to=&amp;cursor=  (Accept: text/csv)       audit.read
 * PATCH  /api/v1/admin/plans/{id}                   price, currency, interval, trial, entitlements  roles.manage
 * PUT    /api/v1/admin/media/{id}/schedule          {publishAt} publish at a time              catalog.write
 * PUT    /api/v1/admin/titles/{id}/schedule         {publishAt} every unpublished item         catalog.write
 * GET    /api/v1/admin/scheduled                    the scheduled items                        catalog.write
 * PUT    /api/v1/titles/{id}/poster                 an image as the body: the title's poster   catalog.write
 * DELETE /api/v1/titles/{id}/poster                 back to the packager's poster              catalog.write
 * </pre>
 * Every change here is recorded in the {@link AuditLog} by the route itself.
 */
public final class AdminConsoleRoutes {
    private static final String TAG = "admin";

    private AdminConsoleRoutes() {
    }

    /**
     * @param revoked how many sessions were active and are now ended
     */
    public record SessionsRevoked(int revoked) {
    }

    public static void register(Router router, AdminUsers users, AccountAdmin accounts, SessionStore sessions,
                                Plans plans, AuditLog audit, ScheduledPublishing scheduled) {
        router.route(GET, "/api/v1/admin/users").operationId("adminListUsers").tag(TAG).authenticated()
                .summary("Search accounts by username, e-mail or display name, with filters; newest sign-up first")
                .query("q", "string", "part of the username, e-mail address or display name")
                .query("role", "string", "holders of this role")
                .query("plan", "string", "subscribers of this plan id, or none")
                .query("banned", "boolean", "true: a ban is in force; false: none is")
                .query("from", "string", "signed up at or after (ISO 8601 instant or date)")
                .query("to", "string", "signed up before (ISO 8601 instant or date)")
                .page(AdminUsers.UserSummary.class).errors(400, 403, 422)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.USERS_READ);
                    return Response.ok(users.search(userFilter(req), Page.request(req)));
                });
        router.route(GET, "/api/v1/admin/users/{id}").operationId("adminGetUser").tag(TAG).authenticated()
                .summary("An account's page: profile, roles, bans, reports against it, activity; its sessions for"
                        + " users.manage, its subscription for the plans manager")
                .response(200, AdminUsers.UserDetail.class).errors(403, 404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.USERS_READ);
                    UUID id = req.pathUuid("id");
                    return Response.ok(users.detail(id,
                            me.can(Viewer.PLANS_MANAGE) ? plans.subscription(id).orElse(null) : null,
                            me.can(Permissions.USERS_MANAGE) ? sessions.history(id, 50) : null));
                });
        router.route(DELETE, "/api/v1/admin/users/{id}/sessions").operationId("adminRevokeSessions").tag(TAG)
                .authenticated().summary("End every session of an account and invalidate its access tokens")
                .response(200, SessionsRevoked.class).errors(403, 404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.USERS_MANAGE);
                    UUID id = req.pathUuid("id");
                    SessionsRevoked out = new SessionsRevoked(accounts.revokeSessions(id));
                    audit.record(me.accountId(), "user.sessions-revoke", "account", id, null, out);
                    return Response.ok(out);
                });
        router.route(DELETE, "/api/v1/admin/users/{id}/sessions/{sessionId}").operationId("adminRevokeSession")
                .tag(TAG).authenticated().summary("End one session of an account").response(204, null)
                .errors(403, 404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.USERS_MANAGE);
                    UUID id = req.pathUuid("id");
                    UUID session = req.pathUuid("sessionId");
                    accounts.revokeSession(id, session);
                    audit.record(me.accountId(), "user.session-revoke", "account", id, Map.of("sessionId", session), null);
                    return Response.noContent();
                });
        router.route(GET, "/api/v1/admin/audit-log").operationId("adminAuditLog").tag(TAG).authenticated()
                .summary("The audit log of admin and moderator actions, newest first; with Accept: text/csv the whole"
                        + " filtered log (up to 100000 rows) as CSV (RFC 4180)")
                .query("actor", "string", "only this account's actions (its id)")
                .query("action", "string", "only this action (user.ban), or every action on a target (user.*)")
                .query("from", "string", "at or after (ISO 8601 instant or date)")
                .query("to", "string", "before (ISO 8601 instant or date)")
                .page(AuditLog.Entry.class).errors(400, 403, 422)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.AUDIT_READ);
                    AuditLog.Filter f = auditFilter(req);
                    String accept = req.header("Accept");
                    if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv")) {
                        byte[] csv = AuditLog.csv(audit.export(f)).getBytes(StandardCharsets.UTF_8);
                        return Response.bytes(csv, "text/csv; charset=utf-8; header=present")
                                .withHeader("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
                    }
                    return Response.ok(audit.list(f, Page.request(req)));
                });
        router.route(PATCH, "/api/v1/admin/plans/{id}").operationId("updatePlan").tag(TAG).authenticated()
                .summary("Change a plan's price, currency, interval, trial days or entitlements (absent fields stay)")
                .request(Plans.PlanPatch.class).response(200, PlaybackTypes.Plan.class).errors(403, 404, 409, 422)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Viewer.PLANS_MANAGE);
                    UUID id = req.pathUuid("id");
                    PlaybackTypes.Plan[] change = plans.update(id, req.body(Plans.PlanPatch.class));
                    audit.record(me.accountId(), "plan.update", "plan", id, change[0], change[1]);
                    return Response.ok(change[1]);
                });
        router.route(PUT, "/api/v1/admin/media/{id}/schedule").operationId("scheduleMedia").tag(TAG).authenticated()
                .summary("Publish a media item at a time (once packaged); publishAt null cancels")
                .request(ScheduledPublishing.ScheduleRequest.class).response(200, ScheduledPublishing.Scheduled.class)
                .errors(403, 404, 409, 422)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.CATALOG_WRITE);
                    return Response.ok(scheduled.scheduleMedia(me.accountId(), req.pathUuid("id"),
                            req.body(ScheduledPublishing.ScheduleRequest.class).publishAt()));
                });
        router.route(PUT, "/api/v1/admin/titles/{id}/schedule").operationId("scheduleTitle").tag(TAG).authenticated()
                .summary("Publish every unpublished item of a title at a time (each once packaged); publishAt null"
                        + " cancels").request(ScheduledPublishing.ScheduleRequest.class)
                .response(200, ScheduledPublishing.ScheduledList.class).errors(403, 404, 422)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.CATALOG_WRITE);
                    return Response.ok(scheduled.scheduleTitle(me.accountId(), req.pathUuid("id"),
                            req.body(ScheduledPublishing.ScheduleRequest.class).publishAt()));
                });
        router.route(GET, "/api/v1/admin/scheduled").operationId("listScheduled").tag(TAG).authenticated()
                .summary("Media items waiting to be published at a time, soonest first")
                .response(200, ScheduledPublishing.ScheduledList.class).errors(403)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.CATALOG_WRITE);
                    return Response.ok(scheduled.list());
                });
    }

    /** Registers the poster upload routes (catalogue images). */
    public static void posters(Router router, TitlePosters posters, AuditLog audit) {
        router.route(PUT, "/api/v1/titles/{id}/poster").operationId("putTitlePoster").tag("catalog").authenticated()
                .summary("Upload a title's poster: an image (PNG, JPEG, GIF, BMP) as the body, kept as a JPEG at most"
                        + " 1280 px wide; it replaces the frame the packager grabbed")
                .response(200, TitlePosters.PosterInfo.class).errors(403, 404, 413, 422)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    TitlePosters.PosterInfo info = posters.put(id, req.bytes());
                    audit.record(me.accountId(), "title.poster", "title", id, null, info);
                    return Response.ok(info);
                });
        router.route(DELETE, "/api/v1/titles/{id}/poster").operationId("deleteTitlePoster").tag("catalog")
                .authenticated().summary("Remove a title's uploaded poster (the packager's is served again)")
                .response(204, null).errors(403, 404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    posters.remove(id);
                    audit.record(me.accountId(), "title.poster-remove", "title", id, null, null);
                    return Response.noContent();
                });
    }

    private static AdminUsers.Filter userFilter(Request req) {
        Validation v = new Validation();
        String q = blankToNull(req.query("q"));
        if (q != null) {
            v.check("q", q.length() <= 200, "must be at most 200 characters");
        }
        String plan = blankToNull(req.query("plan"));
        if (plan != null && !plan.equals("none")) {
            v.check("plan", uuid(plan) != null, "must be a plan id or none");
        }
        Boolean banned = null;
        String b = blankToNull(req.query("banned"));
        if (b != null) {
            v.check("banned", b.equals("true") || b.equals("false"), "must be true or false");
            banned = b.equals("true") ? Boolean.TRUE : b.equals("false") ? Boolean.FALSE : null;
        }
        Instant from = time(v, "from", req.query("from"));
        Instant to = time(v, "to", req.query("to"));
        v.throwIfInvalid();
        return new AdminUsers.Filter(q, blankToNull(req.query("role")), plan, banned, from, to);
    }

    private static AuditLog.Filter auditFilter(Request req) {
        Validation v = new Validation();
        String actor = blankToNull(req.query("actor"));
        UUID actorId = null;
        if (actor != null) {
            actorId = uuid(actor);
            v.check("actor", actorId != null, "must be an account id");
        }
        String action = blankToNull(req.query("action"));
        if (action != null) {
            v.check("action", action.matches("[a-z-]{1,40}(\\.([a-z-]{1,40}|\\*))?"),
                    "must be an action such as user.ban, or user.* for every action on a target");
        }
        Instant from = time(v, "from", req.query("from"));
        Instant to = time(v, "to", req.query("to"));
        v.throwIfInvalid();
        return new AuditLog.Filter(actorId, action, from, to);
    }

    /** @return an ISO 8601 instant, or a date's start in UTC; null when absent (an error is added when invalid) */
    static Instant time(Validation v, String field, String value) {
        String s = blankToNull(value);
        if (s == null) {
            return null;
        }
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
        } catch (DateTimeParseException e) {
            v.add(field, "must be an ISO 8601 instant (2026-12-05T18:00:00Z) or date (2026-12-05)");
            return null;
        }
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
