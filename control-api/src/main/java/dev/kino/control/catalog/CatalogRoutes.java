package dev.kino.control.catalog;

import dev.kino.control.Validation;
import dev.kino.control.http.Page;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Locale;
import java.util.UUID;

/**
 * The catalogue's HTTP routes: browsing (public; guests see published titles) and admin CRUD
 * ({@code catalog.write}). Each handler parses, authorises, calls the {@link Catalog} and renders.
 *
 * <pre>
 * GET    /api/v1/titles                 list: ?genre= &amp;tag= &amp;year= &amp;type=movie|series &amp;audio=ja
 *                                       &amp;subtitle=en &amp;q=text &amp;sort=newest|title|popularity|top-rated &amp;limit= &amp;cursor=
 * GET    /api/v1/titles/{id}            title with seasons and episodes
 * POST   /api/v1/titles                 create (201)                            catalog.write
 * PUT    /api/v1/titles/{id}            replace metadata                        catalog.write
 * DELETE /api/v1/titles/{id}            delete (409 while something is published) catalog.write
 * POST   /api/v1/titles/{id}/seasons    create or rename a season (201)         catalog.write
 * DELETE /api/v1/seasons/{id}           delete a season and its episodes        catalog.write
 * POST   /api/v1/titles/{id}/media      add a movie's feature or an episode     catalog.write
 * GET    /api/v1/media/{id}             one media item (published ones to viewers)
 * PUT    /api/v1/media/{id}             replace a media item's metadata         catalog.write
 * DELETE /api/v1/media/{id}             delete a media item                     catalog.write
 * </pre>
 */
public final class CatalogRoutes {
    private static final String TAG = "catalog";

    private CatalogRoutes() {
    }

    /**
     * Registers the catalogue routes.
     *
     * @param router the router
     * @param catalog the catalogue
     * @param access who is calling
     */
    /**
     * The highest minimum age a browser is shown: a signed-in viewer's (its profile's maturity capped by the
     * account's limit). Editors see everything they manage; guests browse everything (ratings shown, playback
     * refuses above {@link Viewer#GUEST_MAX_AGE}).
     */
    static int shownAge(Viewer v) {
        return v.isGuest() || v.can(Viewer.CATALOG_WRITE) ? Integer.MAX_VALUE : v.maxAge();
    }

    public static void register(Router router, Catalog catalog, Access access) {
        router.route(HttpMethod.GET, "/api/v1/titles").operationId("listTitles").tag(TAG)
                .summary("Browse titles with filters, sort and cursor pagination").page(TitleSummary.class)
                .query("genre", "string", "only titles with this genre")
                .query("tag", "string", "only titles with this tag")
                .query("year", "integer", "only titles first released this year")
                .query("type", "string", "movie or series")
                .query("audio", "string", "only titles with media dubbed in this language (e.g. ja)")
                .query("subtitle", "string", "only titles with media subtitled in this language (e.g. en)")
                .query("q", "string", "case-insensitive text in the original or any localised title")
                .query("sort", "string", "newest (default), title, popularity or top-rated (weighted rating)")
                .errors(400, 401, 422)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    return Response.ok(catalog.browse(query(req), v.can(Viewer.CATALOG_WRITE), shownAge(v),
                            Page.request(req)));
                });
        router.route(HttpMethod.GET, "/api/v1/titles/{id}").operationId("getTitle").tag(TAG)
                .summary("A title with its seasons, episodes and media").response(200, TitleDetail.class)
                .errors(401, 404)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    return Response.ok(catalog.title(req.pathUuid("id"), v.can(Viewer.CATALOG_WRITE), shownAge(v)));
                });
        router.route(HttpMethod.POST, "/api/v1/titles").operationId("createTitle").tag(TAG).authenticated()
                .summary("Create a title").request(TitleInput.class).response(201, TitleDetail.class)
                .errors(403, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    UUID id = catalog.createTitle(req.body(TitleInput.class));
                    return Response.created(catalog.title(id, true), "/api/v1/titles/" + id);
                });
        router.route(HttpMethod.PUT, "/api/v1/titles/{id}").operationId("replaceTitle").tag(TAG).authenticated()
                .summary("Replace a title's metadata").request(TitleInput.class).response(200, TitleDetail.class)
                .errors(403, 404, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    catalog.replaceTitle(id, req.body(TitleInput.class));
                    return Response.ok(catalog.title(id, true));
                });
        router.route(HttpMethod.DELETE, "/api/v1/titles/{id}").operationId("deleteTitle").tag(TAG).authenticated()
                .summary("Delete a title with its seasons and media").response(204, null).errors(403, 404, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    catalog.deleteTitle(req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(HttpMethod.POST, "/api/v1/titles/{id}/seasons").operationId("createSeason").tag(TAG)
                .authenticated().summary("Create (or rename) a season of a series").request(SeasonInput.class)
                .response(201, TitleDetail.SeasonView.class).errors(403, 404, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    return Response.created(catalog.createSeason(id, req.body(SeasonInput.class)), "/api/v1/titles/" + id);
                });
        router.route(HttpMethod.DELETE, "/api/v1/seasons/{id}").operationId("deleteSeason").tag(TAG).authenticated()
                .summary("Delete a season and its episodes").response(204, null).errors(403, 404, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    catalog.deleteSeason(req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(HttpMethod.POST, "/api/v1/titles/{id}/media").operationId("createMedia").tag(TAG).authenticated()
                .summary("Add a movie's feature or a series episode").request(MediaInput.class)
                .response(201, MediaView.class).errors(403, 404, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    MediaStore.MediaRow m = catalog.createMedia(req.pathUuid("id"), req.body(MediaInput.class));
                    return Response.created(m.view(true), "/api/v1/media/" + m.id());
                });
        router.route(HttpMethod.GET, "/api/v1/media/{id}").operationId("getMedia").tag(TAG)
                .summary("A media item (viewers see published ones only)").response(200, MediaView.class)
                .errors(401, 404)
                .handler(req -> {
                    boolean admin = access.optional(req).can(Viewer.CATALOG_WRITE);
                    return Response.ok(catalog.visibleMedia(req.pathUuid("id"), admin).view(admin));
                });
        router.route(HttpMethod.PUT, "/api/v1/media/{id}").operationId("replaceMedia").tag(TAG).authenticated()
                .summary("Replace a media item's metadata").request(MediaInput.class).response(200, MediaView.class)
                .errors(403, 404, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    return Response.ok(catalog.replaceMedia(req.pathUuid("id"), req.body(MediaInput.class)).view(true));
                });
        router.route(HttpMethod.DELETE, "/api/v1/media/{id}").operationId("deleteMedia").tag(TAG).authenticated()
                .summary("Delete a media item").response(204, null).errors(403, 404, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    catalog.deleteMedia(req.pathUuid("id"));
                    return Response.noContent();
                });
    }

    private static TitleQuery query(Request req) {
        Validation v = new Validation();
        Integer year = null;
        String y = req.query("year");
        if (y != null) {
            try {
                year = Integer.parseInt(y);
            } catch (NumberFormatException e) {
                v.add("year", "must be an integer");
            }
        }
        String type = req.query("type");
        if (type != null) {
            v.check("type", CatalogFields.KINDS.contains(type), "must be movie or series");
        }
        String audio = req.query("audio");
        if (audio != null) {
            v.check("audio", CatalogFields.LANGUAGE.matcher(audio).matches(), "must be a language code such as ja");
        }
        String sub = req.query("subtitle");
        if (sub != null) {
            v.check("subtitle", CatalogFields.LANGUAGE.matcher(sub).matches(), "must be a language code such as en");
        }
        String q = blankToNull(req.query("q"));
        if (q != null) {
            v.check("q", q.length() <= 200, "must be at most 200 characters");
        }
        String s = req.query("sort");
        TitleQuery.Sort sort = TitleQuery.Sort.NEWEST;
        if (s != null) {
            try {
                sort = TitleQuery.Sort.ofWire(s);
            } catch (IllegalArgumentException e) {
                v.add("sort", "must be newest, title, popularity or top-rated");
            }
        }
        v.throwIfInvalid();
        return new TitleQuery(blankToNull(req.query("genre")), blankToNull(req.query("tag")), year, type,
                audio, sub, q, sort);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
