package dev.kino.control.recommend;

import dev.kino.control.InvalidInputException;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.recommend.RecommendTypes.Shelves;
import dev.kino.control.recommend.RecommendTypes.SimilarTitles;
import dev.kino.control.recommend.RecommendTypes.Taste;
import dev.kino.control.recommend.RecommendTypes.TasteInput;
import dev.kino.control.recommend.RecommendTypes.TitleList;
import io.netty.handler.codec.http.HttpMethod;

/**
 * The recommendations routes. Lists hold only titles the caller may see and play (published, within its maturity
 * setting and plan); a caller reads only its own shelves and taste (there is no account id in the paths).
 *
 * <pre>
 * GET /api/v1/me/recommendations        the caller's shelves                           signed in
 * GET /api/v1/me/taste                  the caller's taste picks and genres to pick   signed in
 * PUT /api/v1/me/taste                  replace them: {"genres":[..],"titleIds":[..]}  signed in
 * GET /api/v1/titles/{id}/similar       titles like this one: ?limit=1..50 (20)
 * GET /api/v1/titles/trending           trending titles: ?genre= &amp;limit=1..50 (20)
 * </pre>
 *
 * {@code /titles/trending} and {@code /titles/{id}} share a shape; the router tries literal segments first, so
 * {@code trending} is never read as a title id.
 */
public final class RecommendRoutes {
    private static final String TAG = "recommendations";

    private RecommendRoutes() {
    }

    /**
     * Registers the routes.
     *
     * @param router the router
     * @param recommendations the feature's API
     * @param access who is calling
     */
    public static void register(Router router, Recommendations recommendations, Access access) {
        router.route(HttpMethod.GET, "/api/v1/me/recommendations").operationId("getRecommendations").tag(TAG)
                .authenticated().summary("Your shelves: recommended for you, because you watched, trending, top rated in a genre")
                .response(200, Shelves.class)
                .handler(req -> Response.ok(recommendations.shelves(access.viewer(req))));
        router.route(HttpMethod.GET, "/api/v1/me/taste").operationId("getTaste").tag(TAG).authenticated()
                .summary("Your taste picks (genres and titles) and the genres to pick from").response(200, Taste.class)
                .handler(req -> Response.ok(recommendations.taste(access.viewer(req).profileId())));
        router.route(HttpMethod.PUT, "/api/v1/me/taste").operationId("setTaste").tag(TAG).authenticated()
                .summary("Replace your taste picks (a new account's genres and titles)").request(TasteInput.class)
                .response(200, Taste.class).errors(422)
                .handler(req -> {
                    Viewer v = access.viewer(req);
                    return Response.ok(recommendations.setTaste(v, req.body(TasteInput.class)));
                });
        router.route(HttpMethod.GET, "/api/v1/titles/{id}/similar").operationId("getSimilarTitles").tag(TAG)
                .summary("Titles similar to this one (viewers like it and its content)").response(200, SimilarTitles.class)
                .query("limit", "integer", "most titles, 1 to 50 (default 20)")
                .errors(401, 404, 422)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    return Response.ok(recommendations.similar(v, req.pathUuid("id"), limit(req)));
                });
        router.route(HttpMethod.GET, "/api/v1/titles/trending").operationId("listTrendingTitles").tag(TAG)
                .summary("Titles trending now (views of the last days, recent ones counting more)")
                .response(200, TitleList.class)
                .query("genre", "string", "only titles of this genre")
                .query("limit", "integer", "most titles, 1 to 50 (default 20)")
                .errors(401, 422)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    String genre = req.query("genre");
                    if (genre != null && (genre.isBlank() || genre.length() > 50)) {
                        throw InvalidInputException.of("genre", "must be 1 to 50 characters");
                    }
                    return Response.ok(recommendations.trending(v, genre == null ? null : genre.trim(), limit(req)));
                });
    }

    private static int limit(Request req) {
        String s = req.query("limit");
        if (s == null) {
            return Recommendations.SHOWN;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= Recommendations.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw InvalidInputException.of("limit", "must be an integer from 1 to " + Recommendations.MAX_LIMIT);
    }
}
