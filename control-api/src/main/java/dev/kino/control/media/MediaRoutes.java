package dev.kino.control.media;

import dev.kino.control.InvalidInputException;
import dev.kino.control.UnavailableException;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaLifecycle;
import dev.kino.control.catalog.MediaStore;
import dev.kino.control.catalog.MediaView;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Content management routes, all for {@code catalog.write}:
 *
 * <pre>
 * POST   /api/v1/uploads                       start an upload {filename, size, sha256} → 201
 * GET    /api/v1/uploads/{id}                  progress: {received} is the next chunk's offset
 * PUT    /api/v1/uploads/{id}/chunks/{offset}  one application/octet-stream chunk (≤ control.maxRequestBytes)
 * DELETE /api/v1/uploads/{id}                  abort
 * POST   /api/v1/media/{id}/source             {uploadId} or {path under data.dir/incoming}
 * POST   /api/v1/media/{id}/publish            ready | taken_down → published
 * POST   /api/v1/media/{id}/unpublish          published → ready (issued tokens stay valid until they expire)
 * POST   /api/v1/media/{id}/takedown           published → taken_down, taken down on every media server
 * </pre>
 *
 * Uploads belong to the account that started them: another account's upload is 404.
 */
public final class MediaRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(MediaRoutes.class);
    private static final String TAG = "content";

    private MediaRoutes() {
    }

    /**
     * Registers the routes.
     *
     * @param router the router
     * @param catalog the catalogue
     * @param uploads upload storage
     * @param incoming files allowed as sources in place
     * @param takedowns take-down broadcast
     * @param access who is calling
     */
    public static void register(Router router, Catalog catalog, Uploads uploads, IncomingFiles incoming,
                                Takedowns takedowns, Access access) {
        router.route(HttpMethod.POST, "/api/v1/uploads").operationId("createUpload").tag(TAG).authenticated()
                .summary("Start a chunked upload of a source video").request(UploadInput.class)
                .response(201, UploadView.class).errors(403)
                .handler(req -> {
                    Viewer v = access.require(req, Viewer.CATALOG_WRITE);
                    UploadView u = uploads.create(v, req.body(UploadInput.class));
                    return Response.created(u, "/api/v1/uploads/" + u.id());
                });
        router.route(HttpMethod.GET, "/api/v1/uploads/{id}").operationId("getUpload").tag(TAG).authenticated()
                .summary("An upload's progress (the offset to resume at)").response(200, UploadView.class)
                .errors(403, 404)
                .handler(req -> Response.ok(uploads.get(access.require(req, Viewer.CATALOG_WRITE), req.pathUuid("id"))));
        router.route(HttpMethod.PUT, "/api/v1/uploads/{id}/chunks/{offset}").operationId("putUploadChunk").tag(TAG)
                .authenticated().summary("Store one chunk (application/octet-stream) at a byte offset")
                .response(200, UploadView.class).errors(403, 404, 409, 413, 415, 422)
                .handler(req -> {
                    Viewer v = access.require(req, Viewer.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    long offset = offset(req);
                    return Response.ok(uploads.append(v, id, offset, RawBody.octets(req)));
                });
        router.route(HttpMethod.DELETE, "/api/v1/uploads/{id}").operationId("abortUpload").tag(TAG).authenticated()
                .summary("Abort an upload").response(204, null).errors(403, 404, 409)
                .handler(req -> {
                    uploads.abort(access.require(req, Viewer.CATALOG_WRITE), req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(HttpMethod.POST, "/api/v1/media/{id}/source").operationId("setMediaSource").tag(TAG)
                .authenticated().summary("Register a media item's source: a completed upload or a file in the incoming folder")
                .request(SourceInput.class).response(200, MediaView.class).errors(403, 404, 409)
                .handler(req -> {
                    Viewer v = access.require(req, Viewer.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    SourceInput in = req.body(SourceInput.class);
                    if ((in.uploadId() == null) == (in.path() == null)) {
                        throw InvalidInputException.of("uploadId", "give exactly one of uploadId and path");
                    }
                    catalog.media(id).orElseThrow(() -> MediaLifecycle.mediaNotFound(id));
                    Path source = in.uploadId() != null ? uploads.completedFile(v, in.uploadId()) : incoming.resolve(in.path());
                    catalog.lifecycle().replaceSource(id, source.toString());
                    return Response.ok(catalog.media(id).orElseThrow().view(true));
                });
        router.route(HttpMethod.POST, "/api/v1/media/{id}/publish").operationId("publishMedia").tag(TAG)
                .authenticated().summary("Publish a packaged (or taken down) media item").response(200, MediaView.class)
                .errors(403, 404, 409, 503)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    MediaStore.MediaRow before = catalog.lifecycle().publish(id);
                    broadcast(() -> takedowns.restore(before.packagedTitleId()), "restore", before.packagedTitleId());
                    return Response.ok(catalog.media(id).orElseThrow().view(true));
                });
        router.route(HttpMethod.POST, "/api/v1/media/{id}/unpublish").operationId("unpublishMedia").tag(TAG)
                .authenticated().summary("Stop authorising new playbacks of a media item").response(200, MediaView.class)
                .errors(403, 404, 409)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    catalog.lifecycle().unpublish(id);
                    return Response.ok(catalog.media(id).orElseThrow().view(true));
                });
        router.route(HttpMethod.POST, "/api/v1/media/{id}/takedown").operationId("takeDownMedia").tag(TAG)
                .authenticated().summary("Take a media item down at once on every media server")
                .response(200, MediaView.class).errors(403, 404, 409, 503)
                .handler(req -> {
                    access.require(req, Viewer.CATALOG_WRITE);
                    UUID id = req.pathUuid("id");
                    MediaStore.MediaRow before = catalog.lifecycle().takeDown(id);
                    broadcast(() -> takedowns.takeDown(before.packagedTitleId()), "take down", before.packagedTitleId());
                    return Response.ok(catalog.media(id).orElseThrow().view(true));
                });
    }

    /** The state already changed in the database; a failed broadcast is unavailable: the caller retries. */
    private static void broadcast(Runnable action, String what, String titleId) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("cannot {} title {} in shared state: {}", what, titleId, e.toString());
            throw new UnavailableException("the change is saved but could not be sent to the media servers ("
                    + what + " " + titleId + "); repeat the request", 5, e);
        }
    }

    private static long offset(Request req) {
        try {
            long o = Long.parseLong(req.pathParam("offset"));
            if (o < 0) {
                throw new NumberFormatException();
            }
            return o;
        } catch (NumberFormatException e) {
            throw InvalidInputException.of("offset", "must be a non-negative integer byte offset");
        }
    }
}
