package dev.kino.control.admin;

import dev.kino.control.InvalidInputException;
import dev.kino.control.account.AccountTypes.Maturity;
import dev.kino.control.account.ProfileStore;
import dev.kino.control.auth.AccountAdmin;
import dev.kino.control.auth.AccountAdmin.BanRequest;
import dev.kino.control.auth.AccountAdmin.RoleList;
import dev.kino.control.auth.AccountAdmin.RoleRequest;
import dev.kino.control.auth.AccountAdmin.RolesRequest;
import dev.kino.control.auth.AccountAdmin.UserView;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.BanStore.BanView;
import dev.kino.control.auth.Permissions;
import dev.kino.control.auth.RoleStore.RoleView;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * Roles ({@code roles.manage}) and bans ({@code users.ban}), over auth's {@link AccountAdmin} (an account's page
 * and the user search are {@link AdminConsoleRoutes}'). Each handler parses, checks the permission, calls and renders. A ban ends every session and
 * invalidates outstanding access tokens at once.
 */
public final class AdminRoutes {
    private AdminRoutes() {
    }

    /**
     * A change of an account's maturity limit by an administrator.
     *
     * @param maturity the new limit
     */
    public record MaturityRequest(Maturity maturity) {
    }

    public static void register(Router router, AccountAdmin admin, ProfileStore profiles) {
        router.route(GET, "/api/v1/admin/roles").summary("List roles").tag("admin").authenticated()
                .response(200, RoleList.class).errors(403)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.ROLES_MANAGE);
                    return Response.ok(admin.roles());
                });
        router.route(POST, "/api/v1/admin/roles").summary("Create a custom role").tag("admin").authenticated()
                .request(RoleRequest.class).response(201, RoleView.class).errors(403, 409)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.ROLES_MANAGE);
                    RoleView role = admin.createRole(req.body(RoleRequest.class));
                    return Response.created(role, "/api/v1/admin/roles/" + role.name());
                });
        router.route(DELETE, "/api/v1/admin/roles/{name}").summary("Delete a custom role").tag("admin").authenticated()
                .response(204, null).errors(403, 404, 409)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.ROLES_MANAGE);
                    admin.deleteRole(req.pathParam("name"));
                    return Response.noContent();
                });
        router.route(PUT, "/api/v1/admin/users/{id}/roles").summary("Set an account's roles").tag("admin")
                .authenticated().request(RolesRequest.class).response(200, UserView.class).errors(403, 404)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.ROLES_MANAGE);
                    UUID id = req.pathUuid("id");
                    return Response.ok(admin.setRoles(id, req.body(RolesRequest.class)));
                });
        router.route(PUT, "/api/v1/admin/users/{id}/maturity")
                .summary("Set an account's maturity limit (the account itself can only lower it)").tag("admin")
                .authenticated().request(MaturityRequest.class).response(204, null).errors(403, 404, 422)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.USERS_MANAGE);
                    UUID id = req.pathUuid("id");
                    MaturityRequest body = req.body(MaturityRequest.class);
                    if (body.maturity() == null) {
                        throw InvalidInputException.of("maturity", "is required");
                    }
                    profiles.setMaturity(id, body.maturity());
                    return Response.noContent();
                });
        router.route(POST, "/api/v1/admin/users/{id}/ban").summary("Ban an account (ends its sessions and tokens)")
                .tag("admin").authenticated().request(BanRequest.class).response(201, BanView.class).errors(403, 404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.USERS_BAN);
                    UUID id = req.pathUuid("id");
                    BanView ban = admin.ban(me, id, req.body(BanRequest.class));
                    return Response.created(ban, "/api/v1/admin/users/" + id);
                });
        router.route(DELETE, "/api/v1/admin/users/{id}/ban").summary("Lift an account's bans").tag("admin")
                .authenticated().response(204, null).errors(403, 404)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.USERS_BAN);
                    admin.liftBans(req.pathUuid("id"));
                    return Response.noContent();
                });
    }
}
