package dev.kino.control.catalog;

import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;

/**
 * {@code GET /api/v1/titles/{id}/poster}: the poster the packager wrote for the title's first visible media item
 * ({@link Posters}), so the catalogue can show artwork without a playback token.
 */
public final class PosterRoutes {
    private PosterRoutes() {
    }

    /**
     * @param router the router
     * @param posters the posters
     * @param access who is asking (admins also see unpublished media)
     */
    public static void register(Router router, Posters posters, Access access) {
        router.route(HttpMethod.GET, "/api/v1/titles/{id}/poster").operationId("getTitlePoster").tag("catalog")
                .summary("The title's poster (image/jpeg), from its first visible packaged media")
                .errors(404)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    return Response.bytes(posters.poster(req.pathUuid("id"), v.can(Viewer.CATALOG_WRITE)), "image/jpeg")
                            .withHeader("Cache-Control", "public, max-age=300");
                });
    }
}
