package dev.kino.control.ratings;

import dev.kino.control.InvalidInputException;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.ratings.RatingTypes.RatingInput;
import dev.kino.control.ratings.RatingTypes.RatingSummary;
import io.netty.handler.codec.http.HttpMethod;

import java.util.UUID;

/**
 * <pre>
 * GET    /api/v1/titles/{id}/rating   count, average, weighted rating, distribution, and your score
 * PUT    /api/v1/titles/{id}/rating   {"score": 1..10}
 * DELETE /api/v1/titles/{id}/rating
 * </pre>
 * Titles are sorted by weighted rating with {@code GET /api/v1/titles?sort=top-rated}.
 */
public final class RatingRoutes {
    private static final String TAG = "ratings";

    private RatingRoutes() {
    }

    public static void register(Router router, Ratings ratings, Catalog catalog, Access access) {
        router.route(HttpMethod.GET, "/api/v1/titles/{id}/rating").operationId("getTitleRating").tag(TAG)
                .summary("A title's ratings and yours").response(200, RatingSummary.class).errors(404)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    UUID id = req.pathUuid("id");
                    catalog.requireVisibleTitle(id, v.can(Viewer.CATALOG_WRITE));
                    return Response.ok(ratings.summary(id, v.isGuest() ? null : v.profileId()));
                });
        router.route(HttpMethod.PUT, "/api/v1/titles/{id}/rating").operationId("rateTitle").tag(TAG).authenticated()
                .summary("Rate a title from 1 to 10 (replaces your earlier score)").request(RatingInput.class)
                .response(200, RatingSummary.class).errors(404, 422, 429)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    UUID id = req.pathUuid("id");
                    catalog.requireVisibleTitle(id, v.can(Viewer.CATALOG_WRITE));
                    RatingInput in = req.body(RatingInput.class);
                    if (in.score() == null) {
                        throw InvalidInputException.of("score", "is required: an integer from 1 to 10");
                    }
                    return Response.ok(ratings.rate(id, v.accountId(), v.profileId(), in.score()));
                });
        router.route(HttpMethod.DELETE, "/api/v1/titles/{id}/rating").operationId("unrateTitle").tag(TAG)
                .authenticated().summary("Remove your score").response(200, RatingSummary.class).errors(404)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    UUID id = req.pathUuid("id");
                    catalog.requireVisibleTitle(id, v.can(Viewer.CATALOG_WRITE));
                    return Response.ok(ratings.remove(id, v.profileId()));
                });
    }
}
