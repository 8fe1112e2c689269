package dev.kino.control.account;

import dev.kino.control.account.AccountTypes.Me;
import dev.kino.control.account.AccountTypes.MePatch;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.SessionStore;
import dev.kino.control.auth.SessionStore.SessionView;
import dev.kino.control.http.Page;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.time.Clock;
import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PATCH;

/**
 * {@code GET/PATCH /api/v1/me} over the {@link ProfileStore} and {@code GET /api/v1/me/sessions} over auth's
 * {@link SessionStore}: always the caller's own rows.
 */
public final class AccountRoutes {
    private AccountRoutes() {
    }

    public static void register(Router router, ProfileStore profiles, SessionStore sessions, Clock clock) {
        router.route(GET, "/api/v1/me").summary("Your account").tag("me").authenticated().response(200, Me.class)
                .handler(req -> Response.ok(profiles.me(req.principal(AuthenticatedUser.class).accountId())));
        router.route(PATCH, "/api/v1/me").summary("Change your profile and preferences").tag("me").authenticated()
                .request(MePatch.class).response(200, Me.class)
                .handler(req -> {
                    UUID id = req.principal(AuthenticatedUser.class).accountId();
                    profiles.update(id, ProfilePatch.parse(req.bodyTree()));
                    return Response.ok(profiles.me(id));
                });
        router.route(GET, "/api/v1/me/sessions").summary("Your active sessions, newest first").tag("me")
                .authenticated().page(SessionView.class)
                .handler(req -> {
                    AuthenticatedUser user = req.principal(AuthenticatedUser.class);
                    return Response.ok(sessions.active(user.accountId(), user.sessionId(), clock.instant(),
                            Page.request(req)));
                });
    }
}
