package dev.kino.control.moderation;

import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.catalog.Access;
import dev.kino.control.http.Page;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.moderation.ModerationTypes.ActionInput;
import dev.kino.control.moderation.ModerationTypes.AuditEntry;
import dev.kino.control.moderation.ModerationTypes.CaseView;
import dev.kino.control.moderation.ModerationTypes.ReportInput;
import dev.kino.control.moderation.ModerationTypes.ReportView;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * <pre>
 * POST /api/v1/reports                           report a comment, post, user or title (signed in)
 * GET  /api/v1/moderation/reports?status=open    the queue: one entry per reported object (moderators)
 * POST /api/v1/moderation/reports/{id}/actions   act on a queue entry: hide, restore, delete, spoiler, lock, warn,
 *                                                ban, dismiss (moderators; ban also needs users.ban)
 * GET  /api/v1/moderation/audit                  every action taken, newest first (moderators)
 * </pre>
 */
public final class ModerationRoutes {
    private static final String TAG = "moderation";

    private ModerationRoutes() {
    }

    /** @param action {@code block} (refuse comments with it) or {@code hold} (hold them for approval) */
    public record WatchInput(String action) {
    }

    /** @param words the watched words and their action, {@code block} or {@code hold} */
    public record WatchedWords(java.util.Map<String, String> words) {
    }

    /** @param holdFirstPosts whether an account's first comment or forum post waits for a moderator's approval */
    public record Settings(Boolean holdFirstPosts) {
    }

    public static void register(Router router, Moderation moderation, Access access) {
        router.route(GET, "/api/v1/moderation/watched-words").operationId("listWatchedWords").tag(TAG).authenticated()
                .summary("Watched words and their action (moderators)").response(200, WatchedWords.class).errors(403)
                .handler(req -> Response.ok(new WatchedWords(moderation.watchedWords(access.viewer(req)))));
        router.route(io.netty.handler.codec.http.HttpMethod.PUT, "/api/v1/moderation/watched-words/{word}")
                .operationId("watchWord").tag(TAG).authenticated()
                .summary("Block or hold comments with a word (moderators)").request(WatchInput.class).response(204, null)
                .errors(403, 422)
                .handler(req -> {
                    moderation.watchWord(access.viewer(req), req.pathParam("word"), req.body(WatchInput.class).action());
                    return Response.noContent();
                });
        router.route(io.netty.handler.codec.http.HttpMethod.DELETE, "/api/v1/moderation/watched-words/{word}")
                .operationId("unwatchWord").tag(TAG).authenticated().summary("Stop watching a word (moderators)")
                .response(204, null).errors(403, 404)
                .handler(req -> {
                    moderation.unwatchWord(access.viewer(req), req.pathParam("word"));
                    return Response.noContent();
                });
        router.route(GET, "/api/v1/moderation/settings").operationId("getModerationSettings").tag(TAG).authenticated()
                .summary("Moderation settings (moderators)").response(200, Settings.class).errors(403)
                .handler(req -> Response.ok(new Settings(moderation.holdFirstPosts(access.viewer(req)))));
        router.route(io.netty.handler.codec.http.HttpMethod.PUT, "/api/v1/moderation/settings")
                .operationId("putModerationSettings").tag(TAG).authenticated()
                .summary("Change moderation settings (administrators)").request(Settings.class)
                .response(200, Settings.class).errors(403, 422)
                .handler(req -> {
                    Settings in = req.body(Settings.class);
                    if (in.holdFirstPosts() == null) {
                        throw dev.kino.control.InvalidInputException.of("holdFirstPosts", "is required");
                    }
                    moderation.holdFirstPosts(access.viewer(req), in.holdFirstPosts());
                    return Response.ok(new Settings(in.holdFirstPosts()));
                });
        router.route(POST, "/api/v1/reports").operationId("report").tag(TAG).authenticated()
                .summary("Report a comment, forum post, user or title").request(ReportInput.class)
                .response(201, ReportView.class).errors(404, 409, 422, 429)
                .handler(req -> new Response(201, java.util.Map.of(),
                        moderation.report(access.viewer(req), req.body(ReportInput.class))));
        router.route(GET, "/api/v1/moderation/reports").operationId("moderationQueue").tag(TAG).authenticated()
                .summary("The moderation queue: reported objects with their reports, most recent first")
                .query("status", "string", "open (default), actioned or dismissed").page(CaseView.class)
                .errors(400, 403, 422)
                .handler(req -> Response.ok(moderation.queue(access.viewer(req),
                        req.query("status") == null ? "open" : req.query("status"), Page.request(req))));
        router.route(POST, "/api/v1/moderation/reports/{id}/actions").operationId("moderate").tag(TAG).authenticated()
                .summary("Act on a queue entry (and close it)").request(ActionInput.class)
                .response(200, AuditEntry.class).errors(403, 404, 409, 422)
                .handler(req -> Response.ok(moderation.act(req.principal(AuthenticatedUser.class), access.viewer(req),
                        req.pathUuid("id"), req.body(ActionInput.class))));
        router.route(GET, "/api/v1/moderation/audit").operationId("moderationAudit").tag(TAG).authenticated()
                .summary("The audit log of moderation actions, newest first").page(AuditEntry.class).errors(400, 403)
                .handler(req -> Response.ok(moderation.audit(access.viewer(req), Page.request(req))));
    }
}
