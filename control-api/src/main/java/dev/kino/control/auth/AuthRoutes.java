package dev.kino.control.auth;

import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.POST;

/** {@code /api/v1/auth/*} and the caller's own session revocation. */
public final class AuthRoutes {
    private AuthRoutes() {
    }

    public static void register(Router router, AuthService auth) {
        router.route(POST, "/api/v1/auth/register").summary("Create an account").tag("auth")
                .request(AuthService.RegisterRequest.class).response(201, AuthService.RegisteredAccount.class)
                .errors(409, 429)
                .handler(req -> {
                    AuthService.RegisteredAccount a = auth.register(req.body(AuthService.RegisterRequest.class), req.remoteIp());
                    return Response.created(a, "/api/v1/me");
                });
        router.route(POST, "/api/v1/auth/login").summary("Log in with e-mail or username and password (tokens, or a challenge when the account has a second factor)").tag("auth")
                .request(AuthService.LoginRequest.class).response(200, AuthService.LoginResponse.class)
                .errors(401, 403, 429)
                .handler(req -> Response.ok(auth.login(req.body(AuthService.LoginRequest.class), req.remoteIp(),
                        req.userAgent())));
        router.route(POST, "/api/v1/auth/refresh").summary("Rotate a refresh token for new tokens").tag("auth")
                .request(AuthService.RefreshRequest.class).response(200, AuthService.TokenResponse.class)
                .errors(401, 403)
                .handler(req -> Response.ok(auth.refresh(req.body(AuthService.RefreshRequest.class))));
        router.route(POST, "/api/v1/auth/logout").summary("End the session of a refresh token").tag("auth")
                .request(AuthService.RefreshRequest.class).response(204, null)
                .handler(req -> {
                    auth.logout(req.body(AuthService.RefreshRequest.class));
                    return Response.noContent();
                });
        router.route(POST, "/api/v1/auth/verify-email").summary("Confirm an e-mail address with the mailed token")
                .tag("auth").request(AuthService.TokenRequest.class).response(204, null)
                .handler(req -> {
                    auth.verifyEmail(req.body(AuthService.TokenRequest.class));
                    return Response.noContent();
                });
        router.route(POST, "/api/v1/auth/password-reset").summary("Mail a password reset link (202 whether or not the address is known)")
                .tag("auth").request(AuthService.PasswordResetRequest.class).response(202, null).errors(429)
                .handler(req -> {
                    auth.requestPasswordReset(req.body(AuthService.PasswordResetRequest.class), req.remoteIp());
                    return new Response(202, java.util.Map.of(), null);
                });
        router.route(POST, "/api/v1/auth/password-reset/confirm").summary("Set a new password with the mailed token")
                .tag("auth").request(AuthService.PasswordResetConfirm.class).response(204, null)
                .handler(req -> {
                    auth.confirmPasswordReset(req.body(AuthService.PasswordResetConfirm.class));
                    return Response.noContent();
                });
        router.route(DELETE, "/api/v1/me/sessions/{id}").summary("Revoke one of your sessions").tag("me")
                .authenticated().response(204, null).errors(404)
                .handler(req -> {
                    auth.revokeSession(req.principal(AuthenticatedUser.class).accountId(), req.pathUuid("id"));
                    return Response.noContent();
                });
    }
}
