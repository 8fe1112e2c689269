package dev.kino.control.catalog;

import dev.kino.control.NotFoundException;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.protocol.token.TitleId;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/titles/{id}/poster}: the poster the packager wrote ({@code poster.jpg}) for the title's first
 * visible media item, so the catalogue can show artwork without a playback token. Reads {@code media.root}, which
 * the control API shares with the workers (one machine, or shared storage).
 */
public final class PosterRoutes {
    /** Largest poster served, bytes (the packager writes at most 1280 px wide JPEGs, far below this). */
    static final long MAX_POSTER_BYTES = 4L << 20;

    private PosterRoutes() {
    }

    /**
     * @param router the router
     * @param catalog the catalogue
     * @param access who is asking (admins also see unpublished media)
     * @param mediaRoot {@code media.root}
     */
    public static void register(Router router, Catalog catalog, Access access, Path mediaRoot) {
        router.route(HttpMethod.GET, "/api/v1/titles/{id}/poster").operationId("getTitlePoster").tag("catalog")
                .summary("The title's poster (image/jpeg), from its first visible packaged media")
                .errors(404)
                .handler(req -> {
                    Viewer v = access.optional(req);
                    TitleDetail t = catalog.title(req.pathUuid("id"), v.can(Viewer.CATALOG_WRITE));
                    List<MediaView> media = new ArrayList<>(t.media());
                    t.seasons().forEach(s -> media.addAll(s.episodes()));
                    for (MediaView m : media) {
                        if (m.packagedTitleId() == null || !TitleId.isValid(m.packagedTitleId())) {
                            continue;
                        }
                        // The folder name is a validated title id: no path traversal out of media.root.
                        Path poster = mediaRoot.resolve(m.packagedTitleId()).resolve("poster.jpg");
                        try {
                            if (Files.isRegularFile(poster) && Files.size(poster) <= MAX_POSTER_BYTES) {
                                return Response.bytes(Files.readAllBytes(poster), "image/jpeg")
                                        .withHeader("Cache-Control", "public, max-age=300");
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    throw new NotFoundException("title " + t.id() + " has no poster yet");
                });
    }
}
