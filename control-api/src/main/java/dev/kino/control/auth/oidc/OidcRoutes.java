package dev.kino.control.auth.oidc;

import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * {@code /api/v1/auth/oidc/*} (sign-in with an identity provider; public) and {@code /api/v1/me/identities*} (the
 * caller's own linked identities: every route acts on the authenticated account only, so no account can see or
 * unlink another's).
 *
 * <p>Linking from the account's settings is {@code POST /api/v1/me/identities/{provider}/link}, which answers the
 * authorization URL (a {@code GET .../start?link=1} could not carry the bearer token: it is a browser navigation).
 * Both ways set the browser-binding cookie {@value #COOKIE} ({@code HttpOnly}, {@code SameSite=Lax} so that it comes
 * back on the provider's top-level redirect, {@code Secure} when the public URL is https), which the callback
 * checks and clears. {@code POST /api/v1/me/identities/{provider}/reauth} begins a re-authentication the same way
 * (an account without a password proving it is its owner; see {@link OidcSignIn#startReauth}).
 */
public final class OidcRoutes {
    /** The cookie binding an authorisation request to the browser that began it. */
    public static final String COOKIE = "kino_oidc";
    private static final String COOKIE_PATH = "/api/v1/auth/oidc/";

    private OidcRoutes() {
    }

    /** @param publicUrl the control API's public URL (an https one makes the cookie {@code Secure}) */
    public static void register(Router router, OidcSignIn oidc, String publicUrl) {
        boolean secure = publicUrl.startsWith("https:");
        router.route(GET, "/api/v1/auth/oidc/providers")
                .summary("The identity providers accounts may sign in with (for the sign-in page's buttons)").tag("auth")
                .response(200, OidcSignIn.ProviderList.class)
                .handler(req -> Response.ok(oidc.providers()));
        router.route(GET, "/api/v1/auth/oidc/{provider}/start")
                .summary("Begin signing in with an identity provider: 302 to its authorization endpoint (a browser"
                        + " navigation; sets the browser-binding cookie)").tag("auth")
                .response(302, null).errors(404, 429, 503)
                .handler(req -> redirectTo(oidc.start(req.pathParam("provider"), null, req.remoteIp()), secure));
        router.route(GET, "/api/v1/auth/oidc/{provider}/callback")
                .summary("The provider's redirect back: validates it, then 302 to the web app (/login#oidc=<code> to"
                        + " exchange, /account/security?linked=<provider> after a link, or"
                        + " /account/security#reauth=<code> after a re-authentication)").tag("auth")
                .query("state", "string", "the state sent with the authorisation request")
                .query("code", "string", "the authorisation code")
                .query("error", "string", "the provider's error code, instead of a code")
                .query("iss", "string", "the issuer of the response (RFC 9207), checked when present")
                .response(302, null).errors(400, 401, 403, 404, 409, 429, 503)
                .handler(req -> {
                    String location = oidc.callback(req.pathParam("provider"), queryOf(req), cookie(req), req.remoteIp());
                    return new Response(302, Map.of("Location", location, "Cache-Control", "no-store",
                            "Referrer-Policy", "no-referrer",
                            "Set-Cookie", COOKIE + "=; Path=" + COOKIE_PATH + "; Max-Age=0; HttpOnly; SameSite=Lax"
                                    + (secure ? "; Secure" : "")), null);
                });
        router.route(POST, "/api/v1/auth/oidc/exchange")
                .summary("Exchange the callback's single-use code for tokens, a second-factor challenge, a link to"
                        + " confirm, or (after a re-authentication) a reauthProof").tag("auth")
                .request(OidcSignIn.ExchangeRequest.class).response(200, OidcSignIn.SignInResult.class)
                .errors(401, 403, 422, 429)
                .handler(req -> Response.ok(oidc.exchange(req.body(OidcSignIn.ExchangeRequest.class), req.remoteIp(),
                        req.userAgent())));
        router.route(POST, "/api/v1/auth/oidc/link/confirm")
                .summary("Link the provider to the account that has its e-mail address, proven with the account's"
                        + " password or a second-factor code; then sign in").tag("auth")
                .request(OidcSignIn.LinkConfirmation.class).response(200, OidcSignIn.SignInResult.class)
                .errors(401, 403, 409, 422, 429)
                .handler(req -> Response.ok(oidc.confirmLink(req.body(OidcSignIn.LinkConfirmation.class),
                        req.remoteIp(), req.userAgent())));
        router.route(GET, "/api/v1/me/identities").summary("Your linked identity providers").tag("me")
                .authenticated().response(200, OidcSignIn.IdentityList.class)
                .handler(req -> Response.ok(oidc.identities(req.principal(AuthenticatedUser.class).accountId())));
        router.route(POST, "/api/v1/me/identities/{provider}/link")
                .summary("Begin linking an identity provider to your account: its authorization URL to send the"
                        + " browser to (sets the browser-binding cookie)").tag("me")
                .authenticated().response(200, OidcSignIn.AuthorizationUrl.class).errors(404, 409, 429, 503)
                .handler(req -> {
                    OidcSignIn.Started s = oidc.startLink(req.principal(AuthenticatedUser.class),
                            req.pathParam("provider"), req.remoteIp());
                    return Response.ok(new OidcSignIn.AuthorizationUrl(s.authorizationUri().toString()))
                            .withHeader("Set-Cookie", bindingCookie(s, secure)).withHeader("Cache-Control", "no-store");
                });
        router.route(POST, "/api/v1/me/identities/{provider}/reauth")
                .summary("Begin confirming it is you by signing in again at a linked identity provider (prompt=login,"
                        + " max_age): its authorization URL (sets the browser-binding cookie); the callback sends the"
                        + " browser to /account/security#reauth=<code>, which POST /api/v1/auth/oidc/exchange turns"
                        + " into a single-use reauthProof").tag("me")
                .authenticated().response(200, OidcSignIn.AuthorizationUrl.class).errors(404, 429, 503)
                .handler(req -> {
                    OidcSignIn.Started s = oidc.startReauth(req.principal(AuthenticatedUser.class),
                            req.pathParam("provider"), req.remoteIp());
                    return Response.ok(new OidcSignIn.AuthorizationUrl(s.authorizationUri().toString()))
                            .withHeader("Set-Cookie", bindingCookie(s, secure)).withHeader("Cache-Control", "no-store");
                });
        router.route(DELETE, "/api/v1/me/identities/{provider}")
                .summary("Unlink an identity provider (refused for the last way to sign in)").tag("me")
                .authenticated().response(204, null).errors(404, 409)
                .handler(req -> {
                    oidc.unlink(req.principal(AuthenticatedUser.class), req.pathParam("provider"));
                    return Response.noContent();
                });
    }

    private static Response redirectTo(OidcSignIn.Started s, boolean secure) {
        return new Response(302, Map.of("Location", s.authorizationUri().toString(), "Cache-Control", "no-store",
                "Set-Cookie", bindingCookie(s, secure)), null);
    }

    private static String bindingCookie(OidcSignIn.Started s, boolean secure) {
        return COOKIE + "=" + s.browserBinding() + "; Path=" + COOKIE_PATH + "; Max-Age="
                + OidcSignIn.REQUEST_TTL.toSeconds() + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    private static Map<String, String> queryOf(Request req) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : new String[]{"state", "code", "error", "iss"}) {
            String v = req.query(name);
            if (v != null) {
                out.put(name, v);
            }
        }
        return out;
    }

    /** @return the browser-binding cookie's value (RFC 6265 §5.4 {@code Cookie} header), or null */
    static String cookie(Request req) {
        String header = req.header("Cookie");
        if (header == null) {
            return null;
        }
        for (String pair : header.split(";")) {
            String p = pair.strip();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }
}
