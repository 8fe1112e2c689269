package dev.kino.control.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.control.InvalidInputException;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;

/**
 * {@code POST /api/v1/admin/import?source=mal|anilist|kitsu|tmdb} with the source's JSON document as
 * the body ({@code catalog.write}): 200 with one result per title, {@code created} false for titles
 * imported before (updated in place).
 */
public final class ImportRoutes {
    private ImportRoutes() {
    }

    public static void register(Router router, Importer importer, Access access) {
        router.route(HttpMethod.POST, "/api/v1/admin/import").operationId("importTitles").tag("catalog").authenticated()
                .summary("Import titles from a MyAnimeList (Jikan v4), AniList, Kitsu or TMDb JSON document")
                .query("source", "string", "mal, anilist, kitsu or tmdb")
                .request(ObjectNode.class).response(200, Importer.Results.class).errors(403, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    String s = req.query("source");
                    ImportSource source = ImportSource.of(s);
                    if (source == null) {
                        throw InvalidInputException.of("source", "must be mal, anilist, kitsu or tmdb");
                    }
                    return Response.ok(importer.run(source, req.bodyTree()));
                });
    }
}
