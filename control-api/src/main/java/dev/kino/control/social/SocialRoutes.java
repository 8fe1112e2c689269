package dev.kino.control.social;

import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Page;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.social.SocialTypes.ContinueWatchingItem;
import dev.kino.control.social.SocialTypes.WatchlistEntry;
import dev.kino.control.social.SocialTypes.WatchlistStatus;
import io.netty.handler.codec.http.HttpMethod;

/**
 * The caller's watchlist and continue-watching row, all for a signed-in viewer and on their own rows only:
 *
 * <pre>
 * GET    /api/v1/me/watchlist               the watchlist, newest first (cursor pagination)
 * GET    /api/v1/me/watchlist/{titleId}     whether a title is in it
 * PUT    /api/v1/me/watchlist/{titleId}     add a title (idempotent)
 * DELETE /api/v1/me/watchlist/{titleId}     remove a title (idempotent)
 * GET    /api/v1/me/continue-watching       started, unfinished media, newest first, one per title
 * </pre>
 */
public final class SocialRoutes {
    private static final String TAG = "me";

    private SocialRoutes() {
    }

    public static void register(Router router, SocialStore store, Access access) {
        router.route(HttpMethod.GET, "/api/v1/me/watchlist").operationId("listWatchlist").tag(TAG).authenticated()
                .summary("Your watchlist, most recently added first").page(WatchlistEntry.class).errors(400, 422)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    return Response.ok(store.watchlist(v.profileId(), v.can(Viewer.CATALOG_WRITE), Page.request(req)));
                });
        router.route(HttpMethod.GET, "/api/v1/me/watchlist/{titleId}").operationId("getWatchlistStatus").tag(TAG)
                .authenticated().summary("Whether a title is in your watchlist").response(200, WatchlistStatus.class)
                .errors(404)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    return Response.ok(store.status(v.profileId(), v.can(Viewer.CATALOG_WRITE), req.pathUuid("titleId")));
                });
        router.route(HttpMethod.PUT, "/api/v1/me/watchlist/{titleId}").operationId("addToWatchlist").tag(TAG)
                .authenticated().summary("Add a title to your watchlist (idempotent)").response(200, WatchlistStatus.class)
                .errors(404, 409)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    return Response.ok(store.add(v.profileId(), v.can(Viewer.CATALOG_WRITE), req.pathUuid("titleId")));
                });
        router.route(HttpMethod.DELETE, "/api/v1/me/watchlist/{titleId}").operationId("removeFromWatchlist").tag(TAG)
                .authenticated().summary("Remove a title from your watchlist (idempotent)").response(204, null)
                .handler(req -> {
                    store.remove(access.viewer(req).profileId(), req.pathUuid("titleId"));
                    return Response.noContent();
                });
        router.route(HttpMethod.GET, "/api/v1/me/continue-watching").operationId("listContinueWatching").tag(TAG)
                .authenticated().summary("Media you started and did not finish, most recent first, one per title")
                .page(ContinueWatchingItem.class).errors(400, 422)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    return Response.ok(store.continueWatching(v.profileId(), v.can(Viewer.CATALOG_WRITE), Page.request(req)));
                });
    }
}
