package dev.kino.control.catalog;

import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.http.ApiException;
import dev.kino.control.http.Authenticator;
import dev.kino.control.http.ProblemType;
import dev.kino.control.http.Request;
import org.jdbi.v3.core.Jdbi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns a request into a {@link Viewer}: for routes declared {@code authenticated()} from the
 * principal the runtime resolved, for public routes (browsing, guest playback) by authenticating an
 * optional bearer token here. Permissions and maturity are read from the account's roles and row, so
 * a role change applies at once.
 *
 * <pre>{@code
 * Access access = Access.of(jdbi, tokenAuthenticator);
 * Viewer v = access.require(req, Viewer.CATALOG_WRITE);   // 401 / 403
 * }</pre>
 */
public final class Access {
    private final Jdbi jdbi;
    private final Authenticator authenticator;
    private final Function<Object, UUID> accountIdOf;

    /**
     * @param jdbi the control database
     * @param authenticator the runtime's authenticator (for optional tokens on public routes)
     * @param accountIdOf the account id of a principal the authenticator returns
     */
    public Access(Jdbi jdbi, Authenticator authenticator, Function<Object, UUID> accountIdOf) {
        this.jdbi = jdbi;
        this.authenticator = authenticator;
        this.accountIdOf = accountIdOf;
    }

    /** @return access over the auth feature's principals ({@link AuthenticatedUser}) */
    public static Access of(Jdbi jdbi, Authenticator authenticator) {
        return new Access(jdbi, authenticator, p -> ((AuthenticatedUser) p).accountId());
    }

    /** @return the caller of an {@code authenticated()} route; 401 when nobody authenticated */
    public Viewer viewer(Request req) {
        return load(accountIdOf.apply(req.principal(Object.class)));
    }

    /** @return the caller of a public route: a guest without a bearer token; 401 for a bad token */
    public Viewer optional(Request req) {
        String token = req.bearerToken();
        if (token == null) {
            return Viewer.guest();
        }
        try {
            return load(accountIdOf.apply(authenticator.authenticate(token)));
        } catch (ApiException e) {
            if (e.type().status() == 401 && !e.headers().containsKey("WWW-Authenticate")) {
                throw e.withHeader("WWW-Authenticate", "Bearer realm=\"kino\", error=\"invalid_token\"");
            }
            throw e;
        }
    }

    /** @return the caller of an {@code authenticated()} route; 403 unless it holds {@code permission} */
    public Viewer require(Request req, String permission) {
        Viewer v = viewer(req);
        if (!v.can(permission)) {
            throw ApiException.of(ProblemType.FORBIDDEN, "this needs the '" + permission + "' permission");
        }
        return v;
    }

    /** @return the viewer of an account (every account also has the built-in {@code user} role) */
    public Viewer load(UUID accountId) {
        return jdbi.withHandle(h -> {
            String maturity = h.createQuery("select maturity from accounts where id = :id").bind("id", accountId)
                    .mapTo(String.class).findOne()
                    .orElseThrow(() -> ApiException.of(ProblemType.INVALID_TOKEN, "the account no longer exists"));
            List<String> perms = h.createQuery("""
                    select unnest(r.permissions) from roles r
                     where r.name = 'user'
                        or r.name in (select role_name from account_roles where account_id = :id)""")
                    .bind("id", accountId).mapTo(String.class).list();
            Set<String> set = new HashSet<>(perms);
            return new Viewer(accountId, set, Viewer.maxAgeOf(maturity));
        });
    }
}
