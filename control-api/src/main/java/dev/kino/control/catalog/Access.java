package dev.kino.control.catalog;

import dev.kino.control.ForbiddenException;
import dev.kino.control.InvalidTokenException;
import dev.kino.control.account.ProfileStore;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.RoleStore;
import dev.kino.control.http.ApiException;
import dev.kino.control.http.Authenticator;
import dev.kino.control.http.Request;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns a request into a {@link Viewer}: for routes declared {@code authenticated()} from the
 * principal the runtime resolved, for public routes (browsing, guest playback) by authenticating an
 * optional bearer token here. Permissions (auth's roles, as {@link RoleStore#effectivePermissions}) and maturity (the
 * account feature's, as {@link ProfileStore} keeps it) are read together in one statement on every request, so a role
 * change applies at once.
 *
 * <pre>{@code
 * Access access = Access.of(jdbi, tokenAuthenticator);
 * Viewer v = access.require(req, Viewer.CATALOG_WRITE);   // 401 / 403
 * }</pre>
 */
public final class Access {
    private final Authenticator authenticator;
    private final Function<Object, UUID> accountIdOf;
    private final Jdbi jdbi;

    /**
     * @param jdbi the control database
     * @param authenticator the runtime's authenticator (for optional tokens on public routes)
     * @param accountIdOf the account id of a principal the authenticator returns
     */
    public Access(Jdbi jdbi, Authenticator authenticator, Function<Object, UUID> accountIdOf) {
        this.authenticator = authenticator;
        this.accountIdOf = accountIdOf;
        this.jdbi = jdbi;
    }

    /** @return access over the auth feature's principals ({@link AuthenticatedUser}) */
    public static Access of(Jdbi jdbi, Authenticator authenticator) {
        return new Access(jdbi, authenticator, p -> ((AuthenticatedUser) p).accountId());
    }

    /** @return the caller of an {@code authenticated()} route; 401 when nobody authenticated */
    public Viewer viewer(Request req) {
        return load(req.principal(Object.class));
    }

    private Viewer load(Object principal) {
        UUID profile = principal instanceof AuthenticatedUser u ? u.profileId() : null;
        return load(accountIdOf.apply(principal), profile);
    }

    /**
     * The caller of an {@code authenticated()} route without reading its viewer yet (for work that reads the
     * viewers of many requests together: {@link #loadAll}).
     *
     * @return the account id and the profile its token acts as (null: the primary profile); 401 when nobody
     *         authenticated
     */
    public Caller caller(Request req) {
        Object principal = req.principal(Object.class);
        return new Caller(accountIdOf.apply(principal), principal instanceof AuthenticatedUser u ? u.profileId() : null);
    }

    /**
     * @param accountId the account
     * @param profileId the profile it acts as, null for its primary profile
     */
    public record Caller(UUID accountId, UUID profileId) {
    }

    /**
     * The viewers of several callers in one statement, read as {@link #load(UUID, UUID)} reads one (the same
     * maturity and effective permissions, from what is stored now).
     *
     * @param h a handle (in the caller's transaction, if any)
     * @return the viewer of each caller whose account and profile exist; absent ones are left out (their tokens
     *         are refused as {@link #load(UUID, UUID)} refuses them: {@link #gone()})
     */
    public static java.util.Map<Caller, Viewer> loadAll(org.jdbi.v3.core.Handle h, java.util.Collection<Caller> callers) {
        java.util.List<Caller> distinct = java.util.List.copyOf(new java.util.LinkedHashSet<>(callers));
        java.util.Map<Caller, Viewer> out = new java.util.HashMap<>();
        if (distinct.isEmpty()) {
            return out;
        }
        // one row per caller: x.i is its index in `distinct`; a null profile means the primary one
        h.createQuery("""
                        select x.i, a.maturity, p.id, p.maturity as profile_maturity,
                               array(select unnest(r.permissions) from roles r
                                      where r.name = :user
                                         or r.name in (select role_name from account_roles where account_id = a.id))
                                   as permissions
                          from unnest(cast(:a as uuid[]), cast(:p as uuid[])) with ordinality as x(a, p, i)
                          join accounts a on a.id = x.a
                          join profiles p on p.account_id = a.id
                           and (p.id = x.p or (x.p is null and p.is_primary))""")
                .bindArray("a", UUID.class, distinct.stream().map(Caller::accountId).toArray())
                .bindArray("p", UUID.class, distinct.stream().map(Caller::profileId).toArray())
                .bind("user", RoleStore.USER_ROLE)
                .map((rs, ctx) -> {
                    Caller c = distinct.get(rs.getInt(1) - 1);
                    int maxAge = Math.min(Viewer.maxAgeOf(rs.getString(2)), Viewer.maxAgeOf(rs.getString(4)));
                    return java.util.Map.entry(c, new Viewer(c.accountId(), java.util.Set.copyOf(
                            java.util.Arrays.asList((String[]) rs.getArray(5).getArray())), maxAge,
                            rs.getObject(3, UUID.class)));
                })
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** @return what a caller whose account or profile no longer exists is answered (as {@link #load(UUID, UUID)}) */
    public static InvalidTokenException gone() {
        return InvalidTokenException.accessToken("the account or its profile no longer exists");
    }

    /** @return the caller of a public route: a guest without a bearer token; 401 for a bad token */
    public Viewer optional(Request req) {
        String token = req.bearerToken();
        if (token == null) {
            return Viewer.guest();
        }
        try {
            return load(authenticator.authenticate(token));
        } catch (ApiException e) {
            // an Authenticator of the runtime's contract (tests' stand-ins) may throw the runtime's own problem
            if (e.type().status() == 401 && !e.headers().containsKey("WWW-Authenticate")) {
                throw e.withHeader("WWW-Authenticate", "Bearer realm=\"kino\", error=\"invalid_token\"");
            }
            throw e;
        }
    }

    /**
     * @return the caller of an {@code authenticated()} route
     * @throws ForbiddenException unless it holds {@code permission}
     */
    public Viewer require(Request req, String permission) {
        Viewer v = viewer(req);
        if (!v.can(permission)) {
            throw ForbiddenException.missing(permission);
        }
        return v;
    }

    /**
     * @return the viewer of an account (every account also has the built-in {@code user} role)
     * @throws InvalidTokenException when the account no longer exists
     */
    public Viewer load(UUID accountId) {
        return load(accountId, null);
    }

    /**
     * @param profileId the profile the caller acts as, or null for the account's primary profile
     * @return the viewer of an account's profile: its maximum age is the stricter of the account's limit and the
     *         profile's maturity
     * @throws InvalidTokenException when the account or the profile no longer exists
     */
    public Viewer load(UUID accountId, UUID profileId) {
        record Row(String accountMaturity, UUID profileId, String profileMaturity, java.util.Set<String> permissions) {
        }
        // one round trip: maturity and the effective permissions (as RoleStore.effectivePermissions reads them),
        // read on every request so that a role change applies at once
        Row row = jdbi.withHandle(h -> h.createQuery("""
                        select a.maturity, p.id, p.maturity as profile_maturity,
                               array(select unnest(r.permissions) from roles r
                                      where r.name = :user
                                         or r.name in (select role_name from account_roles where account_id = a.id))
                                   as permissions
                          from accounts a
                          join profiles p on p.account_id = a.id
                           and (p.id = cast(:p as uuid) or (cast(:p as uuid) is null and p.is_primary))
                         where a.id = :a""")
                .bind("a", accountId).bind("p", profileId).bind("user", RoleStore.USER_ROLE)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                        java.util.Set.copyOf(java.util.Arrays.asList((String[]) rs.getArray(4).getArray()))))
                .findOne())
                .orElseThrow(Access::gone);
        int maxAge = Math.min(Viewer.maxAgeOf(row.accountMaturity()), Viewer.maxAgeOf(row.profileMaturity()));
        return new Viewer(accountId, row.permissions(), maxAge, row.profileId());
    }
}
