package dev.kino.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Set;

/**
 * CORS (WHATWG Fetch §3.2) for browser players on other origins: configured origins (or {@code *}) get
 * {@code Access-Control-Allow-Origin} on every answer, errors included, so a player can read why it
 * failed; {@code Access-Control-Expose-Headers} lets it read ranges and validators; preflights
 * ({@code OPTIONS} with {@code Access-Control-Request-Method}) are answered 204 without a token.
 */
public final class Cors {
    /** Response headers a cross-origin player may read. */
    public static final String EXPOSE = "Content-Length, Content-Range, Accept-Ranges, Content-Encoding, ETag, Last-Modified, Date";
    /** Methods a preflight allows (and the {@code Allow} of an OPTIONS answer). */
    public static final String ALLOW_METHODS = "GET, HEAD, POST, OPTIONS";
    /** Request headers a preflight allows (with the four CMCD headers, for players sending CMCD as headers: CTA-5004). */
    public static final String ALLOW_HEADERS = "Range, If-Range, If-None-Match, If-Modified-Since, Content-Type, "
            + "CMCD-Object, CMCD-Request, CMCD-Session, CMCD-Status";
    /** How long a browser may cache a preflight answer, seconds. */
    public static final String MAX_AGE = "86400";

    private final boolean any;
    private final Set<String> origins;

    /** @param origins allowed origins such as {@code https://player.example}, or {@code *} */
    public Cors(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    /**
     * @param origin the request's Origin header, or null
     * @return true when that origin may read answers
     */
    public boolean allows(String origin) {
        return origin != null && (any || origins.contains(origin));
    }

    /**
     * Adds the CORS headers of an actual (non-preflight) answer.
     *
     * @param origin the request's Origin, or null
     * @param out the response headers
     */
    public void apply(String origin, HttpHeaders out) {
        if (!any) {
            String vary = out.get(HttpHeaderNames.VARY);
            out.set(HttpHeaderNames.VARY, vary == null ? "Origin" : vary + ", Origin");
        }
        if (!allows(origin)) {
            return;
        }
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, any ? "*" : origin);
        out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE);
    }

    /**
     * Adds the headers of a preflight answer.
     *
     * @param origin the request's Origin, or null
     * @param out the response headers
     */
    public void preflight(String origin, HttpHeaders out) {
        apply(origin, out);
        if (allows(origin)) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
            out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
        }
    }
}
