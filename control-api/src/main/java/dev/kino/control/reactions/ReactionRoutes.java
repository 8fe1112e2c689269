package dev.kino.control.reactions;

import dev.kino.control.InvalidInputException;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.reactions.ReactionTypes.ReactionInput;
import dev.kino.control.reactions.ReactionTypes.ReactionSummary;
import dev.kino.control.reactions.ReactionTypes.Target;
import io.netty.handler.codec.http.HttpMethod;

import java.util.UUID;

/**
 * Reactions to titles and media items (episodes); comments' and posts' are routed by their features.
 *
 * <pre>
 * GET    /api/v1/titles/{id}/reaction   counts and the caller's reaction (guests: counts)
 * PUT    /api/v1/titles/{id}/reaction   {"value":"like"|"dislike"}
 * DELETE /api/v1/titles/{id}/reaction
 * GET|PUT|DELETE /api/v1/media/{id}/reaction   the same for a media item
 * </pre>
 * Only what the caller may see can be reacted to (404 otherwise).
 */
public final class ReactionRoutes {
    private static final String TAG = "reactions";

    private ReactionRoutes() {
    }

    public static void register(Router router, Reactions reactions, Catalog catalog, Access access) {
        for (Target target : new Target[]{Target.TITLE, Target.MEDIA}) {
            String base = target == Target.TITLE ? "/api/v1/titles/{id}/reaction" : "/api/v1/media/{id}/reaction";
            String what = target == Target.TITLE ? "Title" : "Media";
            router.route(HttpMethod.GET, base).operationId("get" + what + "Reaction").tag(TAG)
                    .summary("Likes and dislikes, and yours").response(200, ReactionSummary.class).errors(404)
                    .handler(req -> {
                        Viewer v = access.optional(req);
                        UUID id = visible(catalog, target, req, v);
                        return Response.ok(reactions.summary(target, id, v.isGuest() ? null : v.accountId()));
                    });
            router.route(HttpMethod.PUT, base).operationId("react" + what).tag(TAG).authenticated()
                    .summary("Like or dislike (replaces your earlier reaction)").request(ReactionInput.class)
                    .response(200, ReactionSummary.class).errors(404, 422, 429)
                    .handler(req -> {
                        Viewer v = access.viewer(req);
                        UUID id = visible(catalog, target, req, v);
                        // answered when the change's batch commits: no request thread waits for it (Reactions)
                        return Response.later(reactions.reactLater(target, id, v.accountId(), value(req),
                                Reactions.InTransaction.NONE, Reactions.AfterCommit.NONE)
                                .thenApply(c -> Response.ok(c.summary())));
                    });
            router.route(HttpMethod.DELETE, base).operationId("unreact" + what).tag(TAG).authenticated()
                    .summary("Remove your reaction").response(200, ReactionSummary.class).errors(404)
                    .handler(req -> {
                        Viewer v = access.viewer(req);
                        UUID id = visible(catalog, target, req, v);
                        return Response.later(reactions.removeLater(target, id, v.accountId(),
                                Reactions.InTransaction.NONE, Reactions.AfterCommit.NONE)
                                .thenApply(c -> Response.ok(c.summary())));
                    });
        }
    }

    /** @return the value of a {@code {"value": ...}} body; 422 when absent */
    public static ReactionTypes.Value value(Request req) {
        ReactionInput in = req.body(ReactionInput.class);
        if (in.value() == null) {
            throw InvalidInputException.of("value", "is required: like or dislike");
        }
        return in.value();
    }

    private static UUID visible(Catalog catalog, Target target, Request req, Viewer v) {
        UUID id = req.pathUuid("id");
        boolean admin = v.can(Viewer.CATALOG_WRITE);
        if (target == Target.TITLE) {
            catalog.requireVisibleTitle(id, admin);
        } else {
            catalog.visibleMedia(id, admin);
        }
        return id;
    }
}
