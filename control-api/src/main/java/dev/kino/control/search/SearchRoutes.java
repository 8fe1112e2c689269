package dev.kino.control.search;

import dev.kino.control.Validation;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.CatalogFields;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Page;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.search.SearchTypes.ForumResults;
import dev.kino.control.search.SearchTypes.SearchResults;
import dev.kino.control.search.SearchTypes.Suggestions;
import io.netty.handler.codec.http.HttpMethod;

/**
 * The search routes (public; guests search what guests may see). Each handler parses, checks, calls
 * {@link TitleSearch} or {@link ForumSearch} and renders.
 *
 * <pre>
 * GET /api/v1/search?q=&amp;type=&amp;genre=&amp;year=&amp;audio=&amp;subtitle=&amp;limit=&amp;cursor=   titles, facets, highlights
 * GET /api/v1/search/suggest?q=                                           up to 8 titles as the user types
 * GET /api/v1/forum/search?q=&amp;limit=&amp;cursor=                              forum posts and comments
 * </pre>
 *
 * <p>Title searches and suggestions run on {@link TitleSearch#pools()} (their own bounded pools, see
 * {@link SearchThreadPools}), named as the routes' executors: the connection's event loop hands each request
 * straight to its pool, which parses, runs and renders it (no handler thread in between).
 *
 * <p>Errors: 400 {@code bad-request} for a {@code q} over 200 characters, with a control character, or (as for
 * every route) not valid UTF-8, naming the problem; 400 for a cursor of another query; 422 {@code validation} for
 * bad filters or limit; 503 {@code unavailable} with {@code Retry-After} when the search or suggestion queue is full.
 */
public final class SearchRoutes {
    private static final String TAG = "search";

    private SearchRoutes() {
    }

    /** Registers the routes, title searches and suggestions running on {@link TitleSearch#pools()}. */
    public static void register(Router router, TitleSearch titles, ForumSearch forum, Access access) {
        register(router, titles, titles.pools(), forum, access);
    }

    /**
     * Registers the routes, title searches and suggestions running on {@code pools} (the benchmark compares pool
     * sizes over one index).
     */
    public static void register(Router router, TitleSearch titles, SearchThreadPools pools, ForumSearch forum,
                                Access access) {
        router.route(HttpMethod.GET, "/api/v1/search").operationId("searchTitles").tag(TAG)
                .summary("Search titles: typo-tolerant, any script, ranked, with facets and highlights")
                .response(200, SearchResults.class)
                .query("q", "string", "the text, at most 200 characters; names in any script, romaji, synopsis words")
                .query("type", "string", "movie or series")
                .query("genre", "string", "only titles with this genre")
                .query("year", "integer", "only titles first released this year")
                .query("audio", "string", "only titles with media dubbed in this language (e.g. ja)")
                .query("subtitle", "string", "only titles with media subtitled in this language (e.g. en)")
                .query("limit", "integer", "hits per page, 1 to 100 (default 20)")
                .query("cursor", "string", "the previous page's next")
                .errors(400, 401, 422, 503)
                .executor(pools.searches())
                .handler(req -> {
                    TitleSearch.Request r = request(req);
                    Viewer v = access.optional(req);
                    return Response.ok(titles.search(r, v, Page.request(req)));
                });
        router.route(HttpMethod.GET, "/api/v1/search/suggest").operationId("suggestTitles").tag(TAG)
                .summary("As-you-type title suggestions (names only; the last word as a prefix)")
                .response(200, Suggestions.class)
                .query("q", "string", "the text typed so far, at most 200 characters")
                .errors(400, 401, 503)
                .executor(pools.suggestions())
                .handler(req -> {
                    String q = TitleSearch.checkQuery(req.query("q"));
                    return Response.ok(titles.suggest(q, access.optional(req)));
                });
        router.route(HttpMethod.GET, "/api/v1/forum/search").operationId("searchForum").tag(TAG)
                .summary("Full-text search over visible forum posts and comments")
                .response(200, ForumResults.class)
                .query("q", "string", "the words, at most 200 characters (all required; operators are plain text)")
                .query("limit", "integer", "hits per page, 1 to 100 (default 20)")
                .query("cursor", "string", "the previous page's next")
                .errors(400, 401, 422)
                .handler(req -> {
                    String q = TitleSearch.checkQuery(req.query("q"));
                    return Response.ok(forum.search(q, access.optional(req), Page.request(req)));
                });
    }

    private static TitleSearch.Request request(Request req) {
        String q = TitleSearch.checkQuery(req.query("q"));
        Validation v = new Validation();
        Integer year = null;
        String y = blankToNull(req.query("year"));
        if (y != null) {
            try {
                year = Integer.parseInt(y);
                v.check("year", year >= 1870 && year <= 2200, "must be from 1870 to 2200");
            } catch (NumberFormatException e) {
                v.add("year", "must be an integer");
            }
        }
        String type = blankToNull(req.query("type"));
        if (type != null) {
            v.check("type", CatalogFields.KINDS.contains(type), "must be movie or series");
        }
        String audio = blankToNull(req.query("audio"));
        if (audio != null) {
            v.check("audio", CatalogFields.LANGUAGE.matcher(audio).matches(), "must be a language code such as ja");
        }
        String sub = blankToNull(req.query("subtitle"));
        if (sub != null) {
            v.check("subtitle", CatalogFields.LANGUAGE.matcher(sub).matches(), "must be a language code such as en");
        }
        String genre = blankToNull(req.query("genre"));
        if (genre != null) {
            v.check("genre", genre.length() <= 64, "must be at most 64 characters");
        }
        v.throwIfInvalid();
        return new TitleSearch.Request(q, type, genre, year, audio, sub);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
