package dev.kino.control.auth;

import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.util.Map;

import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * The caller's own credentials ({@link CredentialChanges}): every route acts on the authenticated account only, so no
 * account can reach another's.
 *
 * <pre>
 * POST /api/v1/me/password              {currentPassword | code | reauthProof, newPassword} → {signedOut}     422 429
 * POST /api/v1/me/email                 {email, currentPassword | code | reauthProof} → 202 {pendingEmail, expiresAt}  409 422 429
 * POST /api/v1/me/email/verification    → 202 (another confirmation mail)                       409 429
 * </pre>
 * The link mailed for an e-mail change is followed like a confirmation link, {@code POST /api/v1/auth/verify-email}.
 */
public final class CredentialRoutes {
    private CredentialRoutes() {
    }

    public static void register(Router router, CredentialChanges changes) {
        router.route(POST, "/api/v1/me/password").operationId("changePassword").tag("me").authenticated()
                .summary("Change your password (the current one, or a second-factor code); your other sessions end")
                .request(CredentialChanges.PasswordChange.class).response(200, CredentialChanges.PasswordChanged.class)
                .errors(422, 429)
                .handler(req -> Response.ok(changes.changePassword(req.principal(AuthenticatedUser.class),
                        req.body(CredentialChanges.PasswordChange.class))));
        router.route(POST, "/api/v1/me/email").operationId("changeEmail").tag("me").authenticated()
                .summary("Change your e-mail address: a link goes to the new one, which counts once it is followed")
                .request(CredentialChanges.EmailChange.class).response(202, CredentialChanges.EmailChangePending.class)
                .errors(409, 422, 429)
                .handler(req -> new Response(202, Map.of(), changes.changeEmail(req.principal(AuthenticatedUser.class),
                        req.body(CredentialChanges.EmailChange.class))));
        router.route(POST, "/api/v1/me/email/verification").operationId("resendEmailVerification").tag("me")
                .authenticated().summary("Mail another link to confirm your e-mail address").response(202, null)
                .errors(409, 429)
                .handler(req -> {
                    changes.resendVerification(req.principal(AuthenticatedUser.class).accountId());
                    return new Response(202, Map.of(), null);
                });
    }
}
