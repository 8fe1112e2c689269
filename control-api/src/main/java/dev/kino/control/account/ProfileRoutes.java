package dev.kino.control.account;

import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PATCH;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * The viewer profiles of the caller's account ({@link Profiles}):
 *
 * <pre>
 * GET|POST     /api/v1/me/profiles                 list (with the account's limit) | add {"name","maturity","pin"?}
 * GET|PATCH|DELETE /api/v1/me/profiles/{id}        one | rename, maturity, PIN (merge patch) | delete with its data
 * POST         /api/v1/me/profiles/{id}/select     {"pin"} when it has one: new tokens acting as that profile
 * GET|PUT|DELETE /api/v1/me/profiles/{id}/avatar   its avatar (PUT: an image, kept as a 256x256 PNG)
 * </pre>
 *
 * A profile id of another account answers 404, exactly like an unknown one. The profile the caller acts as comes only
 * from its access token (the session's selection); no header or parameter changes it.
 */
public final class ProfileRoutes {
    private static final String TAG = "profiles";

    private ProfileRoutes() {
    }

    public static void register(Router router, Profiles profiles, AuthService auth) {
        router.route(GET, "/api/v1/me/profiles").operationId("listProfiles").tag(TAG).authenticated()
                .summary("Your account's viewer profiles (\"who's watching?\") and how many it may have")
                .response(200, Profiles.ProfileList.class)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    return Response.ok(profiles.list(me.accountId(), acting(profiles, me)));
                });
        router.route(POST, "/api/v1/me/profiles").operationId("createProfile").tag(TAG).authenticated()
                .summary("Add a viewer profile (from the primary profile; up to the plan's maxProfiles)")
                .request(Profiles.ProfileInput.class).response(201, Profiles.ProfileView.class)
                .errors(403, 409, 422)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    Profiles.ProfileView made = profiles.create(me.accountId(), acting(profiles, me),
                            req.body(Profiles.ProfileInput.class));
                    return Response.created(made, "/api/v1/me/profiles/" + made.id());
                });
        router.route(GET, "/api/v1/me/profiles/{id}").operationId("getProfile").tag(TAG).authenticated()
                .summary("One of your account's viewer profiles").response(200, Profiles.ProfileView.class).errors(404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    return Response.ok(profiles.get(me.accountId(), req.pathUuid("id"), acting(profiles, me)));
                });
        router.route(PATCH, "/api/v1/me/profiles/{id}").operationId("updateProfile").tag(TAG).authenticated()
                .summary("Rename a profile, change its maturity or PIN (\"pin\": null removes it); JSON merge patch")
                .request(Profiles.ProfilePatchInput.class).response(200, Profiles.ProfileView.class)
                .errors(403, 404, 409, 422)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    return Response.ok(profiles.update(me.accountId(), acting(profiles, me), req.pathUuid("id"),
                            Profiles.parsePatch(req.bodyTree())));
                });
        router.route(DELETE, "/api/v1/me/profiles/{id}").operationId("deleteProfile").tag(TAG).authenticated()
                .summary("Delete a profile with its history, watchlist, ratings and settings (not the primary)")
                .response(204, null).errors(403, 404, 409)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    profiles.delete(me.accountId(), acting(profiles, me), req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(POST, "/api/v1/me/profiles/{id}/select").operationId("selectProfile").tag(TAG).authenticated()
                .summary("Watch as this profile: answers new tokens acting as it (its PIN required when it has one)")
                .request(Profiles.SelectRequest.class).response(200, AuthService.TokenResponse.class)
                .errors(403, 404, 429)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    UUID id = req.pathUuid("id");
                    Profiles.SelectRequest in = req.bytes() == null || req.bytes().length == 0
                            ? new Profiles.SelectRequest(null) : req.body(Profiles.SelectRequest.class);
                    profiles.checkSwitch(me.accountId(), id, in.pin());
                    return Response.ok(auth.switchProfile(me, id));
                });
        router.route(PUT, "/api/v1/me/profiles/{id}/avatar").operationId("putProfileAvatar").tag(TAG).authenticated()
                .summary("Upload a profile's avatar: an image, kept as a 256x256 PNG").response(204, null)
                .errors(403, 404, 413, 422)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    profiles.putAvatar(me.accountId(), acting(profiles, me), req.pathUuid("id"), req.bytes());
                    return Response.noContent();
                });
        router.route(DELETE, "/api/v1/me/profiles/{id}/avatar").operationId("deleteProfileAvatar").tag(TAG)
                .authenticated().summary("Remove a profile's avatar").response(204, null).errors(403, 404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    profiles.removeAvatar(me.accountId(), acting(profiles, me), req.pathUuid("id"));
                    return Response.noContent();
                });
        router.route(GET, "/api/v1/me/profiles/{id}/avatar").operationId("getProfileAvatar").tag(TAG).authenticated()
                .summary("A profile's avatar (PNG)").response(200, null).errors(404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    Avatars.Avatar a = profiles.avatar(me.accountId(), req.pathUuid("id"));
                    return Response.bytes(a.png(), "image/png").withHeader("ETag", a.etag())
                            .withHeader("Cache-Control", "private, max-age=300")
                            .withHeader("Content-Security-Policy", "default-src 'none'");
                });
    }

    /** The profile the caller acts as: its token's (the session's selection), else the account's primary. */
    private static UUID acting(Profiles profiles, AuthenticatedUser me) {
        return me.profileId() != null ? me.profileId() : profiles.primaryOf(me.accountId());
    }
}
