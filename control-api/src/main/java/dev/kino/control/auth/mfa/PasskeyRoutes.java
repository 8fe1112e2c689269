package dev.kino.control.auth.mfa;

import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.util.List;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * Passkey routes: {@code /api/v1/me/passkeys*} act on the caller's own passkeys only (another account's id is a
 * 404), {@code /api/v1/auth/passkey*} sign in with one.
 */
public final class PasskeyRoutes {
    private PasskeyRoutes() {
    }

    /** @param items the caller's passkeys */
    public record PasskeyList(List<Passkeys.PasskeyView> items) {
    }

    public static void register(Router router, Passkeys passkeys, AuthService auth) {
        router.route(GET, "/api/v1/me/passkeys").summary("Your passkeys").tag("me").authenticated()
                .response(200, PasskeyList.class)
                .handler(req -> Response.ok(new PasskeyList(
                        passkeys.list(req.principal(AuthenticatedUser.class).accountId()))));
        router.route(POST, "/api/v1/me/passkeys/registration")
                .summary("Start registering a passkey: options for navigator.credentials.create()").tag("me")
                .authenticated().response(200, Passkeys.Options.class)
                .handler(req -> Response.ok(passkeys.startRegistration(req.principal(AuthenticatedUser.class))));
        router.route(POST, "/api/v1/me/passkeys")
                .summary("Finish registering a passkey with the authenticator's answer").tag("me").authenticated()
                .request(Passkeys.RegistrationAnswer.class).response(201, Passkeys.Registered.class).errors(422, 429)
                .handler(req -> {
                    Passkeys.Registered r = passkeys.finishRegistration(req.principal(AuthenticatedUser.class),
                            req.body(Passkeys.RegistrationAnswer.class));
                    return Response.created(r, "/api/v1/me/passkeys");
                });
        router.route(DELETE, "/api/v1/me/passkeys/{id}")
                .summary("Remove one of your passkeys (a current code, a recovery code or the password in the body)")
                .tag("me").authenticated().request(SecondFactors.RemoveRequest.class).response(204, null)
                .errors(404, 422, 429)
                .handler(req -> {
                    passkeys.remove(req.principal(AuthenticatedUser.class), req.pathParam("id"),
                            req.body(SecondFactors.RemoveRequest.class));
                    return Response.noContent();
                });
        router.route(POST, "/api/v1/auth/passkey/options")
                .summary("Start signing in with a passkey: options for navigator.credentials.get() (with a sign-in"
                        + " challenge: as its second factor; without: passwordless)").tag("auth")
                .request(Passkeys.AssertionStart.class).response(200, Passkeys.Options.class).errors(401, 429)
                .handler(req -> Response.ok(passkeys.startAssertion(req.body(Passkeys.AssertionStart.class),
                        req.remoteIp())));
        router.route(POST, "/api/v1/auth/passkey")
                .summary("Finish signing in with a passkey's assertion").tag("auth")
                .request(Passkeys.AssertionAnswer.class).response(200, AuthService.TokenResponse.class)
                .errors(401, 403, 422, 429)
                .handler(req -> {
                    java.util.UUID account = passkeys.finishAssertion(req.body(Passkeys.AssertionAnswer.class),
                            req.remoteIp());
                    return Response.ok(auth.signIn(account, req.remoteIp(), req.userAgent()));
                });
    }
}
