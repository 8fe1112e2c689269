package dev.kino.control.account;

import dev.kino.control.NotFoundException;
import dev.kino.control.catalog.Access;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.util.List;
import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * <pre>
 * PUT    /api/v1/me/avatar              the image as the body (PNG, JPEG, GIF or BMP, up to control.maxRequestBytes)
 * DELETE /api/v1/me/avatar
 * GET    /api/v1/users/{username}/avatar   the stored 256x256 PNG
 * </pre>
 */
public final class AvatarRoutes {
    private static final String TAG = "me";

    private AvatarRoutes() {
    }

    public static void register(Router router, Avatars avatars, ProfileStore profiles, Access access) {
        router.route(PUT, "/api/v1/me/avatar").operationId("putAvatar").tag(TAG).authenticated()
                .summary("Upload your avatar: an image, kept as a 256x256 PNG").response(204, null).errors(413, 422)
                .handler(req -> {
                    UUID me = access.viewer(req).accountId();
                    avatars.put(me, req.bytes());
                    String username = profiles.publicNames(List.of(me)).get(me).username();
                    profiles.setAvatarUrl(me, "/api/v1/users/" + username + "/avatar");
                    return Response.noContent();
                });
        router.route(DELETE, "/api/v1/me/avatar").operationId("deleteAvatar").tag(TAG).authenticated()
                .summary("Remove your avatar").response(204, null)
                .handler(req -> {
                    UUID me = access.viewer(req).accountId();
                    avatars.remove(me);
                    profiles.setAvatarUrl(me, null);
                    return Response.noContent();
                });
        router.route(GET, "/api/v1/users/{username}/avatar").operationId("getAvatar").tag("community")
                .summary("A user's avatar (PNG)").response(200, null).errors(404)
                .handler(req -> {
                    String username = req.pathParam("username");
                    UUID id = profiles.idsOfUsernames(List.of(username)).get(username);
                    if (id == null) {
                        throw new NotFoundException("no user " + username);
                    }
                    Avatars.Avatar a = avatars.get(id);
                    return Response.bytes(a.png(), "image/png").withHeader("ETag", a.etag())
                            .withHeader("Cache-Control", "public, max-age=300")
                            .withHeader("Content-Security-Policy", "default-src 'none'");
                });
    }
}
