package dev.kino.control.auth.mfa;

import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * {@code /api/v1/me/mfa/*} (the caller's own second factors: every route acts on the authenticated account only, so
 * no account can reach another's) and {@code POST /api/v1/auth/login/mfa}, the second step of a sign-in.
 */
public final class MfaRoutes {
    private MfaRoutes() {
    }

    public static void register(Router router, SecondFactors factors, AuthService auth) {
        router.route(GET, "/api/v1/me/mfa").summary("Your second factors").tag("me").authenticated()
                .response(200, SecondFactors.Status.class)
                .handler(req -> Response.ok(factors.status(req.principal(AuthenticatedUser.class).accountId())));
        router.route(POST, "/api/v1/me/mfa/totp")
                .summary("Start setting up an authenticator app: its secret, otpauth:// URI and QR code").tag("me")
                .authenticated().response(200, SecondFactors.TotpEnrolment.class).errors(409)
                .handler(req -> Response.ok(factors.enrolTotp(req.principal(AuthenticatedUser.class))));
        router.route(POST, "/api/v1/me/mfa/totp/confirm")
                .summary("Turn the authenticator app on with its first code; answers the recovery codes, once")
                .tag("me").authenticated().request(SecondFactors.CodeRequest.class)
                .response(200, SecondFactors.RecoveryCodesView.class).errors(409, 422, 429)
                .handler(req -> Response.ok(factors.confirmTotp(req.principal(AuthenticatedUser.class),
                        req.body(SecondFactors.CodeRequest.class))));
        router.route(DELETE, "/api/v1/me/mfa/totp")
                .summary("Remove the authenticator app (a current code, a recovery code or the password in the body)")
                .tag("me").authenticated().request(SecondFactors.RemoveRequest.class).response(204, null)
                .errors(422, 429)
                .handler(req -> {
                    factors.removeTotp(req.principal(AuthenticatedUser.class),
                            req.body(SecondFactors.RemoveRequest.class));
                    return Response.noContent();
                });
        router.route(POST, "/api/v1/me/mfa/recovery-codes")
                .summary("Replace the recovery codes (a current code, a recovery code or the password); answers them once")
                .tag("me").authenticated().request(SecondFactors.RemoveRequest.class)
                .response(200, SecondFactors.RecoveryCodesView.class).errors(409, 422, 429)
                .handler(req -> Response.ok(factors.regenerateRecoveryCodes(req.principal(AuthenticatedUser.class),
                        req.body(SecondFactors.RemoveRequest.class))));
        router.route(POST, "/api/v1/auth/login/mfa")
                .summary("Complete a sign-in with its challenge and a code from the app or a recovery code").tag("auth")
                .request(SecondFactors.ChallengeAnswer.class).response(200, AuthService.TokenResponse.class)
                .errors(401, 403, 422, 429)
                .handler(req -> {
                    SecondFactors.Completed done = factors.complete(req.body(SecondFactors.ChallengeAnswer.class),
                            req.remoteIp());
                    return Response.ok(auth.signIn(done.accountId(), req.remoteIp(), req.userAgent()));
                });
    }
}
