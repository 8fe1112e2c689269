package dev.kino.control.admin;

import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.Permissions;
import dev.kino.control.auth.TokenAuthenticator;
import dev.kino.control.http.ApiException;
import dev.kino.control.http.ProblemType;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import dev.kino.control.http.Validation;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * Roles ({@code roles.manage}), user lookup ({@code users.read}) and bans ({@code users.ban}). A ban
 * ends every session and invalidates outstanding access tokens at once.
 */
public final class AdminRoutes {
    private static final Pattern ROLE_NAME = Pattern.compile("^[a-z][a-z0-9-]{1,31}$");

    /** @param name role name @param description what it is for @param permissions granted permissions @param builtin shipped, not deletable */
    public record RoleView(String name, String description, List<String> permissions, boolean builtin) {
    }

    /** @param name role name @param description what it is for @param permissions from the known set */
    public record RoleRequest(String name, String description, List<String> permissions) {
    }

    /** @param roles every role the user should have ({@code user} is always kept) */
    public record RolesRequest(List<String> roles) {
    }

    /** @param reason shown to the user @param expiresAt end of the ban, or null for permanent */
    public record BanRequest(String reason, Instant expiresAt) {
    }

    /** @param id ban id @param reason why @param expiresAt end, or absent for permanent */
    public record BanView(UUID id, String reason, Instant expiresAt) {
    }

    /** @param id account @param email e-mail @param username username @param roles roles @param ban active ban */
    public record UserView(UUID id, String email, String username, List<String> roles, BanView ban) {
    }

    /** @param items every role */
    public record RoleList(List<RoleView> items) {
    }

    private AdminRoutes() {
    }

    public static void register(Router router, Jdbi jdbi, Clock clock, TokenAuthenticator authenticator) {
        router.route(GET, "/api/v1/admin/roles").summary("List roles").tag("admin").authenticated()
                .response(200, RoleList.class).errors(403)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.ROLES_MANAGE);
                    return Response.ok(new RoleList(jdbi.withHandle(h -> h.createQuery(
                                    "select name, description, permissions, builtin from roles order by builtin desc, name")
                            .map((rs, ctx) -> new RoleView(rs.getString(1), rs.getString(2),
                                    List.of((String[]) rs.getArray(3).getArray()), rs.getBoolean(4))).list())));
                });
        router.route(POST, "/api/v1/admin/roles").summary("Create a custom role").tag("admin").authenticated()
                .request(RoleRequest.class).response(201, RoleView.class).errors(403, 409)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.ROLES_MANAGE);
                    RoleRequest r = req.body(RoleRequest.class);
                    Validation v = new Validation();
                    if (v.required("name", r.name())) {
                        v.check("name", ROLE_NAME.matcher(r.name()).matches(), "must be 2-32 of a-z 0-9 -, starting with a letter");
                    }
                    List<String> perms = r.permissions() == null ? List.of() : r.permissions();
                    for (int i = 0; i < perms.size(); i++) {
                        v.check("permissions[" + i + "]", Permissions.ALL.contains(perms.get(i)),
                                "unknown permission; known: " + new java.util.TreeSet<>(Permissions.ALL));
                    }
                    v.throwIfInvalid();
                    String desc = r.description() == null ? "" : r.description();
                    int n = jdbi.withHandle(h -> h.createUpdate("insert into roles (name, description, permissions) "
                                    + "values (:n, :d, :p) on conflict (name) do nothing")
                            .bind("n", r.name()).bind("d", desc).bindArray("p", String.class, perms.toArray()).execute());
                    if (n == 0) {
                        throw ApiException.of(ProblemType.CONFLICT, "a role named '" + r.name() + "' exists");
                    }
                    return Response.created(new RoleView(r.name(), desc, perms, false), "/api/v1/admin/roles/" + r.name());
                });
        router.route(DELETE, "/api/v1/admin/roles/{name}").summary("Delete a custom role").tag("admin").authenticated()
                .response(204, null).errors(403, 404, 409)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.ROLES_MANAGE);
                    String name = req.pathParam("name");
                    Boolean builtin = jdbi.withHandle(h -> h.createQuery("select builtin from roles where name = :n")
                            .bind("n", name).mapTo(Boolean.class).findOne().orElse(null));
                    if (builtin == null) {
                        throw ApiException.of(ProblemType.NOT_FOUND, "no role '" + name + "'");
                    }
                    if (builtin) {
                        throw ApiException.of(ProblemType.CONFLICT, "built-in role '" + name + "' cannot be deleted");
                    }
                    List<UUID> holders = jdbi.withHandle(h -> h.createQuery("delete from account_roles where role_name = :n returning account_id")
                            .bind("n", name).mapTo(UUID.class).list());
                    jdbi.useHandle(h -> h.createUpdate("delete from roles where name = :n").bind("n", name).execute());
                    holders.forEach(authenticator::invalidateAccount);
                    return Response.noContent();
                });
        router.route(GET, "/api/v1/admin/users/{id}").summary("Read an account").tag("admin").authenticated()
                .response(200, UserView.class).errors(403, 404)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.USERS_READ);
                    return Response.ok(user(jdbi, clock, req.pathUuid("id")));
                });
        router.route(PUT, "/api/v1/admin/users/{id}/roles").summary("Set an account's roles").tag("admin")
                .authenticated().request(RolesRequest.class).response(200, UserView.class).errors(403, 404)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.ROLES_MANAGE);
                    UUID id = req.pathUuid("id");
                    RolesRequest r = req.body(RolesRequest.class);
                    Set<String> wanted = new LinkedHashSet<>(r.roles() == null ? List.of() : r.roles());
                    wanted.add("user");
                    jdbi.useTransaction(h -> {
                        requireAccount(h, id);
                        Set<String> known = Set.copyOf(h.createQuery("select name from roles").mapTo(String.class).list());
                        Validation v = new Validation();
                        int i = 0;
                        for (String role : wanted) {
                            v.check("roles[" + i++ + "]", known.contains(role) && !role.equals("guest"), "unknown role '" + role + "'");
                        }
                        v.throwIfInvalid();
                        h.createUpdate("delete from account_roles where account_id = :id").bind("id", id).execute();
                        for (String role : wanted) {
                            h.createUpdate("insert into account_roles (account_id, role_name) values (:id, :r)")
                                    .bind("id", id).bind("r", role).execute();
                        }
                    });
                    authenticator.invalidateAccount(id);
                    return Response.ok(user(jdbi, clock, id));
                });
        router.route(POST, "/api/v1/admin/users/{id}/ban").summary("Ban an account (ends its sessions and tokens)")
                .tag("admin").authenticated().request(BanRequest.class).response(201, BanView.class).errors(403, 404)
                .handler(req -> {
                    AuthenticatedUser me = req.principal(AuthenticatedUser.class);
                    me.require(Permissions.USERS_BAN);
                    UUID id = req.pathUuid("id");
                    BanRequest r = req.body(BanRequest.class);
                    Validation v = new Validation();
                    if (v.required("reason", r.reason())) {
                        v.check("reason", r.reason().length() <= 500, "must be at most 500 characters");
                    }
                    v.check("expiresAt", r.expiresAt() == null || r.expiresAt().isAfter(clock.instant()), "must be in the future");
                    v.check("id", !id.equals(me.accountId()), "you cannot ban yourself");
                    v.throwIfInvalid();
                    UUID banId = UUID.randomUUID();
                    jdbi.useTransaction(h -> {
                        requireAccount(h, id);
                        boolean targetIsAdmin = h.createQuery("select exists (select 1 from account_roles ar join roles r "
                                        + "on r.name = ar.role_name where ar.account_id = :id and 'roles.manage' = any(r.permissions))")
                                .bind("id", id).mapTo(boolean.class).one();
                        if (targetIsAdmin && !me.can(Permissions.ROLES_MANAGE)) {
                            throw ApiException.of(ProblemType.FORBIDDEN, "only administrators can ban administrators");
                        }
                        OffsetDateTime now = utc(clock.instant());
                        h.createUpdate("insert into bans (id, account_id, reason, created_by, created_at, expires_at) "
                                        + "values (:bid, :id, :reason, :by, :now, :exp)")
                                .bind("bid", banId).bind("id", id).bind("reason", r.reason()).bind("by", me.accountId())
                                .bind("now", now).bind("exp", r.expiresAt() == null ? null : utc(r.expiresAt())).execute();
                        h.createUpdate("update accounts set tokens_valid_after = :now where id = :id")
                                .bind("now", now).bind("id", id).execute();
                        h.createUpdate("update sessions set revoked_at = :now, revoke_reason = 'banned' "
                                + "where account_id = :id and revoked_at is null").bind("now", now).bind("id", id).execute();
                    });
                    authenticator.invalidateAccount(id);
                    return Response.created(new BanView(banId, r.reason(), r.expiresAt()), "/api/v1/admin/users/" + id);
                });
        router.route(DELETE, "/api/v1/admin/users/{id}/ban").summary("Lift an account's bans").tag("admin")
                .authenticated().response(204, null).errors(403, 404)
                .handler(req -> {
                    req.principal(AuthenticatedUser.class).require(Permissions.USERS_BAN);
                    UUID id = req.pathUuid("id");
                    int n = jdbi.withHandle(h -> h.createUpdate("update bans set lifted_at = :now where account_id = :id "
                            + "and lifted_at is null").bind("now", utc(clock.instant())).bind("id", id).execute());
                    if (n == 0) {
                        throw ApiException.of(ProblemType.NOT_FOUND, "account " + id + " has no active ban");
                    }
                    authenticator.invalidateAccount(id);
                    return Response.noContent();
                });
    }

    private static void requireAccount(Handle h, UUID id) {
        if (!h.createQuery("select exists (select 1 from accounts where id = :id)").bind("id", id).mapTo(boolean.class).one()) {
            throw ApiException.of(ProblemType.NOT_FOUND, "no account " + id);
        }
    }

    private static UserView user(Jdbi jdbi, Clock clock, UUID id) {
        return jdbi.withHandle(h -> {
            requireAccount(h, id);
            BanView ban = h.createQuery("select id, reason, expires_at from bans where account_id = :id and lifted_at is null "
                            + "and (expires_at is null or expires_at > :now) order by created_at desc limit 1")
                    .bind("id", id).bind("now", utc(clock.instant()))
                    .map((rs, ctx) -> new BanView(rs.getObject(1, UUID.class), rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class) == null ? null : rs.getObject(3, OffsetDateTime.class).toInstant()))
                    .findOne().orElse(null);
            return h.createQuery("select email, username, array(select role_name from account_roles where account_id = a.id "
                            + "order by 1) from accounts a where id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> new UserView(id, rs.getString(1), rs.getString(2),
                            List.of((String[]) rs.getArray(3).getArray()), ban)).one();
        });
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
