package dev.kino.control.forum;

import dev.kino.control.InvalidInputException;
import dev.kino.control.catalog.Access;
import dev.kino.control.forum.ForumTypes.CategoryInput;
import dev.kino.control.forum.ForumTypes.CategoryView;
import dev.kino.control.forum.ForumTypes.PostInput;
import dev.kino.control.forum.ForumTypes.PostView;
import dev.kino.control.forum.ForumTypes.ReadInput;
import dev.kino.control.forum.ForumTypes.ThreadInput;
import dev.kino.control.forum.ForumTypes.ThreadPatch;
import dev.kino.control.forum.ForumTypes.ThreadView;
import dev.kino.control.http.Page;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.reactions.ReactionRoutes;
import dev.kino.control.reactions.ReactionTypes.ReactionInput;
import dev.kino.control.reactions.ReactionTypes.ReactionSummary;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PATCH;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * <pre>
 * GET         /api/v1/forum/categories                  categories with thread counts
 * POST        /api/v1/forum/categories                  (forum.manage)
 * PUT|DELETE  /api/v1/forum/categories/{id}             (forum.manage)
 * GET|POST    /api/v1/forum/categories/{id}/threads     threads, pinned first then by newest post / open one
 * GET|PATCH   /api/v1/forum/threads/{id}                a thread (unread count, following) / pin, lock (moderators)
 * GET|POST    /api/v1/forum/threads/{id}/posts          posts in order / write one
 * PUT         /api/v1/forum/threads/{id}/read           {"seq": n}: read up to post n
 * PUT|DELETE  /api/v1/forum/threads/{id}/follow         follow / unfollow
 * GET         /api/v1/titles/{id}/thread                a title's own thread (made on first use)
 * GET         /api/v1/media/{id}/thread                 an episode's own thread
 * PATCH|DELETE /api/v1/forum/posts/{id}                 the author's edit / the author's or a moderator's delete
 * PUT|DELETE  /api/v1/forum/posts/{id}/reaction         like or dislike
 * </pre>
 */
public final class ForumRoutes {
    private static final String TAG = "forum";

    private ForumRoutes() {
    }

    public static void register(Router router, Forum forum, Access access) {
        router.route(GET, "/api/v1/forum/categories").operationId("listForumCategories").tag(TAG)
                .summary("Forum categories").response(200, CategoryView[].class)
                .handler(req -> Response.ok(forum.categories()));
        router.route(POST, "/api/v1/forum/categories").operationId("createForumCategory").tag(TAG).authenticated()
                .summary("Create a category (forum.manage)").request(CategoryInput.class)
                .response(201, CategoryView.class).errors(403, 409, 422)
                .handler(req -> {
                    CategoryView c = forum.createCategory(access.viewer(req), req.body(CategoryInput.class));
                    return Response.created(c, "/api/v1/forum/categories/" + c.id());
                });
        router.route(PUT, "/api/v1/forum/categories/{id}").operationId("replaceForumCategory").tag(TAG).authenticated()
                .summary("Change a category (forum.manage)").request(CategoryInput.class)
                .response(200, CategoryView.class).errors(403, 404, 409, 422)
                .handler(req -> Response.ok(forum.updateCategory(access.viewer(req), req.pathUuid("id"),
                        req.body(CategoryInput.class))));
        router.route(DELETE, "/api/v1/forum/categories/{id}").operationId("deleteForumCategory").tag(TAG)
                .authenticated().summary("Delete a category and its threads (forum.manage)").response(204, null)
                .errors(403, 404, 409)
                .handler(req -> {
                    forum.deleteCategory(access.viewer(req), req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(GET, "/api/v1/forum/categories/{id}/threads").operationId("listForumThreads").tag(TAG)
                .summary("Threads of a category, pinned first, then by newest post").page(ThreadView.class)
                .errors(400, 404, 422)
                .handler(req -> Response.ok(forum.threads(access.optional(req), req.pathUuid("id"), Page.request(req))));
        router.route(POST, "/api/v1/forum/categories/{id}/threads").operationId("createForumThread").tag(TAG)
                .authenticated().summary("Open a thread with its first post").request(ThreadInput.class)
                .response(201, ThreadView.class).errors(403, 404, 409, 422, 429)
                .handler(req -> {
                    ThreadView t = forum.createThread(access.viewer(req), req.pathUuid("id"), req.body(ThreadInput.class));
                    return Response.created(t, "/api/v1/forum/threads/" + t.id());
                });
        router.route(GET, "/api/v1/forum/threads/{id}").operationId("getForumThread").tag(TAG)
                .summary("A thread, with your unread count").response(200, ThreadView.class).errors(404)
                .handler(req -> Response.ok(forum.thread(access.optional(req), req.pathUuid("id"))));
        router.route(PATCH, "/api/v1/forum/threads/{id}").operationId("moderateForumThread").tag(TAG).authenticated()
                .summary("Pin or lock a thread (moderators)").request(ThreadPatch.class).response(200, ThreadView.class)
                .errors(403, 404)
                .handler(req -> Response.ok(forum.patchThread(access.viewer(req), req.pathUuid("id"),
                        req.body(ThreadPatch.class))));
        router.route(GET, "/api/v1/forum/threads/{id}/posts").operationId("listForumPosts").tag(TAG)
                .summary("Posts of a thread in order").page(PostView.class).errors(400, 404, 422)
                .handler(req -> Response.ok(forum.posts(access.optional(req), req.pathUuid("id"), Page.request(req))));
        router.route(POST, "/api/v1/forum/threads/{id}/posts").operationId("createForumPost").tag(TAG).authenticated()
                .summary("Post in a thread").request(PostInput.class).response(201, PostView.class)
                .errors(403, 404, 409, 422, 429)
                .handler(req -> {
                    PostView p = forum.createPost(access.viewer(req), req.pathUuid("id"), req.body(PostInput.class));
                    return Response.created(p, "/api/v1/forum/posts/" + p.id());
                });
        router.route(PUT, "/api/v1/forum/threads/{id}/read").operationId("markForumThreadRead").tag(TAG)
                .authenticated().summary("Set your read position").request(ReadInput.class)
                .response(200, ThreadView.class).errors(404, 422)
                .handler(req -> {
                    ReadInput in = req.body(ReadInput.class);
                    if (in.seq() == null) {
                        throw InvalidInputException.of("seq", "is required");
                    }
                    return Response.ok(forum.markRead(access.viewer(req), req.pathUuid("id"), in.seq()));
                });
        router.route(PUT, "/api/v1/forum/threads/{id}/follow").operationId("followForumThread").tag(TAG)
                .authenticated().summary("Follow a thread").response(204, null).errors(404)
                .handler(req -> {
                    forum.follow(access.viewer(req), req.pathUuid("id"), true);
                    return Response.noContent();
                });
        router.route(DELETE, "/api/v1/forum/threads/{id}/follow").operationId("unfollowForumThread").tag(TAG)
                .authenticated().summary("Stop following a thread").response(204, null).errors(404)
                .handler(req -> {
                    forum.follow(access.viewer(req), req.pathUuid("id"), false);
                    return Response.noContent();
                });
        router.route(GET, "/api/v1/titles/{id}/thread").operationId("getTitleThread").tag(TAG)
                .summary("A title's own discussion thread (made on first use)").response(200, ThreadView.class)
                .errors(404)
                .handler(req -> Response.ok(forum.titleThread(access.optional(req), req.pathUuid("id"))));
        router.route(GET, "/api/v1/media/{id}/thread").operationId("getMediaThread").tag(TAG)
                .summary("An episode's own discussion thread (made on first use)").response(200, ThreadView.class)
                .errors(404)
                .handler(req -> Response.ok(forum.mediaThread(access.optional(req), req.pathUuid("id"))));
        router.route(PATCH, "/api/v1/forum/posts/{id}").operationId("editForumPost").tag(TAG).authenticated()
                .summary("Edit your post within the edit window").request(PostInput.class).response(200, PostView.class)
                .errors(403, 404, 409, 422)
                .handler(req -> Response.ok(forum.editPost(access.viewer(req), req.pathUuid("id"),
                        req.body(PostInput.class))));
        router.route(DELETE, "/api/v1/forum/posts/{id}").operationId("deleteForumPost").tag(TAG).authenticated()
                .summary("Delete a post (author or moderator)").response(204, null).errors(403, 404)
                .handler(req -> {
                    forum.deletePost(access.viewer(req), req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(PUT, "/api/v1/forum/posts/{id}/reaction").operationId("reactForumPost").tag(TAG).authenticated()
                .summary("Like or dislike a post").request(ReactionInput.class).response(200, ReactionSummary.class)
                .errors(404, 409, 422, 429)
                // answered when the vote's batch commits: no request thread waits for it (Reactions); whether this
                // caller may vote is decided in that batch's transaction, for each vote (Forum.admission)
                .handler(req -> Response.later(forum.reactLater(access.caller(req), req.pathUuid("id"),
                        ReactionRoutes.value(req)).thenApply(Response::ok)));
        router.route(DELETE, "/api/v1/forum/posts/{id}/reaction").operationId("unreactForumPost").tag(TAG)
                .authenticated().summary("Remove your reaction to a post").response(200, ReactionSummary.class)
                .errors(404, 409)
                .handler(req -> Response.later(forum.reactLater(access.caller(req), req.pathUuid("id"), null)
                        .thenApply(Response::ok)));
    }
}
