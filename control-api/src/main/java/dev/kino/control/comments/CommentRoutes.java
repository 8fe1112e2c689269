package dev.kino.control.comments;

import dev.kino.control.InvalidInputException;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.comments.CommentTypes.CommentCounts;
import dev.kino.control.comments.CommentTypes.CommentInput;
import dev.kino.control.comments.CommentTypes.CommentPatch;
import dev.kino.control.comments.CommentTypes.CommentView;
import dev.kino.control.comments.CommentTypes.RevisionView;
import dev.kino.control.comments.CommentTypes.Sort;
import dev.kino.control.comments.CommentTypes.Target;
import dev.kino.control.http.Page;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.reactions.ReactionRoutes;
import dev.kino.control.reactions.ReactionTypes.ReactionInput;
import dev.kino.control.reactions.ReactionTypes.ReactionSummary;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Locale;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * <pre>
 * GET|POST /api/v1/titles/{id}/comments         a title's threads (?sort=newest|top) / write one
 * GET|POST /api/v1/media/{id}/comments          a media item's (episode's)
 * GET      /api/v1/titles/{id}/comment-counts   visible comments on the title and per media item
 * GET      /api/v1/comments/{id}                one comment
 * GET      /api/v1/comments/{id}/replies        its thread's replies, oldest first
 * PATCH    /api/v1/comments/{id}                {"body", "spoiler"}: the author within the edit window; moderators
 *                                               the spoiler flag
 * DELETE   /api/v1/comments/{id}                the author or a moderator
 * GET      /api/v1/comments/{id}/revisions      earlier versions (moderators)
 * PUT|DELETE /api/v1/comments/{id}/reaction     {"value": "like"|"dislike"}
 * </pre>
 * Reading needs no account (what the reader may see of the title decides); writing needs {@code comments.write}.
 */
public final class CommentRoutes {
    private static final String TAG = "comments";

    private CommentRoutes() {
    }

    public static void register(Router router, Comments comments, Access access) {
        threads(router, comments, access, "/api/v1/titles/{id}/comments", "Title", (id, v) -> comments.onTitle(id, v));
        threads(router, comments, access, "/api/v1/media/{id}/comments", "Media", (id, v) -> comments.onMedia(id, v));
        router.route(HttpMethod.GET, "/api/v1/titles/{id}/comment-counts").operationId("getCommentCounts").tag(TAG)
                .summary("Visible comments on a title and on each of its media items")
                .response(200, CommentCounts.class).errors(404)
                .handler(req -> Response.ok(comments.counts(access.optional(req), req.pathUuid("id"))));
        router.route(HttpMethod.GET, "/api/v1/comments/{id}").operationId("getComment").tag(TAG)
                .summary("A comment").response(200, CommentView.class).errors(404)
                .handler(req -> Response.ok(comments.get(access.optional(req), req.pathUuid("id"))));
        router.route(HttpMethod.GET, "/api/v1/comments/{id}/replies").operationId("listReplies").tag(TAG)
                .summary("The replies of a comment's thread, oldest first").page(CommentView.class).errors(400, 404, 422)
                .handler(req -> Response.ok(comments.replies(access.optional(req), req.pathUuid("id"),
                        Page.request(req))));
        router.route(HttpMethod.PATCH, "/api/v1/comments/{id}").operationId("editComment").tag(TAG).authenticated()
                .summary("Edit your comment within the edit window; moderators change the spoiler flag")
                .request(CommentPatch.class).response(200, CommentView.class).errors(403, 404, 409, 422)
                .handler(req -> Response.ok(comments.edit(access.viewer(req), req.pathUuid("id"),
                        req.body(CommentPatch.class))));
        router.route(HttpMethod.DELETE, "/api/v1/comments/{id}").operationId("deleteComment").tag(TAG).authenticated()
                .summary("Delete a comment (one with replies stays as a tombstone)").response(204, null)
                .errors(403, 404)
                .handler(req -> {
                    comments.delete(access.viewer(req), req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(HttpMethod.GET, "/api/v1/comments/{id}/revisions").operationId("listCommentRevisions").tag(TAG)
                .authenticated().summary("Earlier versions of an edited comment (moderators)")
                .response(200, RevisionView[].class).errors(403, 404)
                .handler(req -> Response.ok(comments.revisions(access.viewer(req), req.pathUuid("id"))));
        router.route(HttpMethod.PUT, "/api/v1/comments/{id}/reaction").operationId("reactComment").tag(TAG)
                .authenticated().summary("Like or dislike a comment").request(ReactionInput.class)
                .response(200, ReactionSummary.class).errors(404, 409, 422, 429)
                // answered when the vote's batch commits: no request thread waits for it (Reactions); whether this
                // caller may vote is decided in that batch's transaction, for each vote (Comments.admission)
                .handler(req -> Response.later(comments.reactLater(access.caller(req), req.pathUuid("id"),
                        ReactionRoutes.value(req)).thenApply(Response::ok)));
        router.route(HttpMethod.DELETE, "/api/v1/comments/{id}/reaction").operationId("unreactComment").tag(TAG)
                .authenticated().summary("Remove your reaction to a comment").response(200, ReactionSummary.class)
                .errors(404, 409)
                .handler(req -> Response.later(comments.reactLater(access.caller(req), req.pathUuid("id"), null)
                        .thenApply(Response::ok)));
    }

    private static void threads(Router router, Comments comments, Access access, String path, String what,
                                BiFunction<UUID, Viewer, Target> place) {
        router.route(HttpMethod.GET, path).operationId("list" + what + "Comments").tag(TAG)
                .summary("Top-level comments, newest or top first, with reply counts").page(CommentView.class)
                .query("sort", "string", "newest (default) or top (score with time decay)").errors(400, 404, 422)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    return Response.ok(comments.threads(v, place.apply(req.pathUuid("id"), v), sort(req),
                            Page.request(req)));
                });
        router.route(HttpMethod.POST, path).operationId("create" + what + "Comment").tag(TAG).authenticated()
                .summary("Write a comment or a reply").request(CommentInput.class).response(201, CommentView.class)
                .errors(403, 404, 409, 422, 429)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    CommentView c = comments.create(v, place.apply(req.pathUuid("id"), v), req.body(CommentInput.class));
                    return Response.created(c, "/api/v1/comments/" + c.id());
                });
    }

    private static Sort sort(Request req) {
        String s = req.query("sort");
        if (s == null || s.isEmpty()) {
            return Sort.NEWEST;
        }
        try {
            return Sort.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("sort", "must be newest or top");
        }
    }
}
