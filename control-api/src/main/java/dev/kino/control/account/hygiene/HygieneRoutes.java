package dev.kino.control.account.hygiene;

import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.util.Map;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * Deletion and export of the caller's own account; every route acts on the authenticated account only, so no account
 * can reach another's.
 *
 * <pre>
 * DELETE /api/v1/me                   {currentPassword | code | reauthProof} → 202 {deletionDueAt, gracePeriodDays}   409 422 429
 * POST   /api/v1/me/deletion/cancel   → 204
 * GET    /api/v1/me/export            → 200 AccountExport.Archive (Content-Disposition: attachment)        429
 * </pre>
 */
public final class HygieneRoutes {
    private HygieneRoutes() {
    }

    public static void register(Router router, AccountDeletion deletion, AccountExport export) {
        router.route(DELETE, "/api/v1/me").operationId("deleteAccount").tag("me").authenticated()
                .summary("Delete your account after a grace period (signing in before it ends cancels); your other"
                        + " sessions end")
                .request(AccountDeletion.DeletionRequest.class).response(202, AccountDeletion.DeletionScheduled.class)
                .errors(409, 422, 429)
                .handler(req -> new Response(202, Map.of(), deletion.request(req.principal(AuthenticatedUser.class),
                        req.body(AccountDeletion.DeletionRequest.class))));
        router.route(POST, "/api/v1/me/deletion/cancel").operationId("cancelAccountDeletion").tag("me")
                .authenticated().summary("Keep your account: cancel its scheduled deletion").response(204, null)
                .handler(req -> {
                    deletion.cancel(req.principal(AuthenticatedUser.class).accountId());
                    return Response.noContent();
                });
        router.route(GET, "/api/v1/me/export").operationId("exportAccount").tag("me").authenticated()
                .summary("Everything about your account as one JSON document (profile, sessions, history, ratings,"
                        + " comments, notifications, invoices, ...)")
                .response(200, AccountExport.Archive.class).errors(429)
                .handler(req -> new Response(200, Map.of("Content-Disposition", "attachment; filename=\"kino-account.json\""),
                        export.archive(req.principal(AuthenticatedUser.class))));
    }
}
