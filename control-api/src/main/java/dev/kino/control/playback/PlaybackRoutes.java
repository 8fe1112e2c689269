package dev.kino.control.playback;

import dev.kino.control.InvalidInputException;
import dev.kino.control.Validation;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.playback.PlaybackTypes.PlanAssignment;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Playback and plan routes:
 *
 * <pre>
 * POST   /api/v1/playback                   {mediaId} → signed URLs (guests: free items only)
 * PUT    /api/v1/playback/progress          {mediaId, positionSeconds} (signed in)
 * DELETE /api/v1/playback/sessions/{id}     free a concurrent-stream slot (the session's owner)
 * GET    /api/v1/plans                      the plans on offer (public)
 * GET    /api/v1/admin/plans                plans                     plans manager (roles.manage)
 * POST   /api/v1/admin/plans                create a plan            plans manager
 * PUT    /api/v1/admin/users/{id}/plan      {planId, currentPeriodEnd?} assign   plans manager
 * DELETE /api/v1/admin/users/{id}/plan      cancel the subscription  plans manager
 * </pre>
 */
public final class PlaybackRoutes {
    private static final String TAG = "playback";

    private PlaybackRoutes() {
    }

    public static void register(Router router, PlaybackService playback, Plans plans, Access access) {
        router.route(HttpMethod.POST, "/api/v1/playback").operationId("authorisePlayback").tag(TAG)
                .summary("Authorise playback of a media item: signed HLS/DASH/licence URLs (bearer token optional)")
                .request(PlaybackTypes.PlaybackRequest.class).response(200, PlaybackTypes.PlaybackGrant.class)
                .errors(401, 403, 404, 429)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    PlaybackTypes.PlaybackRequest in = req.body(PlaybackTypes.PlaybackRequest.class);
                    if (in.mediaId() == null) {
                        throw InvalidInputException.of("mediaId", "is required");
                    }
                    return Response.ok(playback.authorise(v, in.mediaId()));
                });
        router.route(HttpMethod.PUT, "/api/v1/playback/progress").operationId("savePlaybackProgress").tag(TAG)
                .authenticated().summary("Remember where the caller stopped in a media item")
                .request(PlaybackTypes.ProgressInput.class).response(204, null).errors(404)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    PlaybackTypes.ProgressInput in = req.body(PlaybackTypes.ProgressInput.class);
                    Validation val = new Validation();
                    val.check("mediaId", in.mediaId() != null, "is required");
                    val.check("positionSeconds", in.positionSeconds() != null && in.positionSeconds() >= 0
                            && in.positionSeconds() <= 7 * 24 * 3600, "must be 0 to 604800");
                    val.throwIfInvalid();
                    playback.saveProgress(v, in.mediaId(), in.positionSeconds());
                    return Response.noContent();
                });
        router.route(HttpMethod.DELETE, "/api/v1/playback/sessions/{id}").operationId("stopPlayback").tag(TAG)
                .authenticated().summary("Stop a playback session, freeing its concurrent-stream slot")
                .response(204, null).errors(404)
                .handler(req -> {
                    playback.release(access.viewer(req), req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(HttpMethod.GET, "/api/v1/plans").operationId("listPlans").tag(TAG)
                .summary("Subscription plans on offer").response(200, PlansList.class)
                .handler(req -> Response.ok(new PlansList(plans.list())));
        router.route(HttpMethod.GET, "/api/v1/admin/plans").operationId("adminListPlans").tag(TAG).authenticated()
                .summary("Subscription plans (admin)").response(200, PlansList.class).errors(403)
                .handler(req -> {
                    access.require(req, Viewer.PLANS_MANAGE);
                    return Response.ok(new PlansList(plans.list()));
                });
        router.route(HttpMethod.POST, "/api/v1/admin/plans").operationId("createPlan").tag(TAG).authenticated()
                .summary("Create a subscription plan").request(PlaybackTypes.Plan.class)
                .response(201, PlaybackTypes.Plan.class).errors(403, 409)
                .handler(req -> {
                    access.require(req, Viewer.PLANS_MANAGE);
                    PlaybackTypes.Plan p = plans.create(req.body(PlaybackTypes.Plan.class));
                    return Response.created(p, "/api/v1/admin/plans");
                });
        router.route(HttpMethod.PUT, "/api/v1/admin/users/{id}/plan").operationId("assignPlan").tag(TAG).authenticated()
                .summary("Assign a subscription plan to an account").request(PlanAssignment.class)
                .response(200, PlaybackTypes.Subscription.class).errors(403, 404)
                .handler(req -> {
                    access.require(req, Viewer.PLANS_MANAGE);
                    return Response.ok(plans.assign(req.pathUuid("id"), req.body(PlanAssignment.class)));
                });
        router.route(HttpMethod.DELETE, "/api/v1/admin/users/{id}/plan").operationId("cancelPlan").tag(TAG).authenticated()
                .summary("Cancel an account's subscription").response(204, null).errors(403, 404)
                .handler(req -> {
                    access.require(req, Viewer.PLANS_MANAGE);
                    plans.cancel(req.pathUuid("id"));
                    return Response.noContent();
                });
    }

    /** @param plans the plans, cheapest first */
    public record PlansList(java.util.List<PlaybackTypes.Plan> plans) {
    }
}
