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
 * optional bearer token here. Permissions come from auth's {@link RoleStore} and maturity from the account
 * feature's {@link ProfileStore} on every request, so a role change applies at once.
 *
 * <pre>{@code
 * Access access = Access.of(jdbi, tokenAuthenticator);
 * Viewer v = access.require(req, Viewer.CATALOG_WRITE);   // 401 / 403
 * }</pre>
 */
public final class Access {
    private final RoleStore roles;
    private final ProfileStore profiles;
    private final Authenticator authenticator;
    private final Function<Object, UUID> accountIdOf;

    /**
     * @param jdbi the control database
     * @param authenticator the runtime's authenticator (for optional tokens on public routes)
     * @param accountIdOf the account id of a principal the authenticator returns
     */
    public Access(Jdbi jdbi, Authenticator authenticator, Function<Object, UUID> accountIdOf) {
        this.roles = new RoleStore(jdbi);
        this.profiles = new ProfileStore(jdbi, Clock.systemUTC(), roles);
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
        String maturity = profiles.maturity(accountId)
                .orElseThrow(() -> InvalidTokenException.accessToken("the account no longer exists"));
        return new Viewer(accountId, roles.effectivePermissions(accountId), Viewer.maxAgeOf(maturity));
    }
}
