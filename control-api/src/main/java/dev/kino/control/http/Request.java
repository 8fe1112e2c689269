package dev.kino.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.BadRequestException;
import dev.kino.control.FieldError;
import dev.kino.control.InvalidInputException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One request as a handler sees it: copied out of Netty's buffers before leaving the event loop, so it
 * owns nothing that needs releasing.
 */
public final class Request {
    private final HttpMethod method;
    private final String path;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final InetSocketAddress remote;
    private final CursorKey cursorKey;
    private Map<String, String> pathParams = Map.of();
    private Object principal;

    /**
     * @param path the percent-decoded path
     * @param query the decoded query parameters
     * @param cursorKey seals and opens this server's {@link Page} cursors
     */
    public Request(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers, byte[] body,
                   InetSocketAddress remote, CursorKey cursorKey) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.remote = remote;
        this.cursorKey = cursorKey;
    }

    CursorKey cursorKey() {
        return cursorKey;
    }

    /**
     * Checks the path and every query parameter against {@link TextInput}; the runtime calls it before routing.
     *
     * @throws BadRequestException for a path with a character no resource has
     * @throws BadRequestException (400) naming the first query parameter that is not acceptable text
     */
    public void checkText() {
        String pathProblem = TextInput.problem(path, Integer.MAX_VALUE);
        if (pathProblem != null) {
            throw new BadRequestException("the request path " + pathProblem);
        }
        List<FieldError> errors = new ArrayList<>();
        query.forEach((name, values) -> {
            String nameProblem = TextInput.problem(name, TextInput.MAX_QUERY_VALUE);
            if (nameProblem != null) {
                errors.add(new FieldError("query parameter name", nameProblem));
                return;
            }
            for (String v : values) {
                String problem = TextInput.problem(v, TextInput.MAX_QUERY_VALUE);
                if (problem != null) {
                    errors.add(new FieldError(name, problem));
                    return;
                }
            }
        });
        if (!errors.isEmpty()) {
            FieldError e = errors.get(0);
            throw new BadRequestException(e.field().equals("query parameter name") ? "a query parameter name " + e.message()
                    : "query parameter '" + e.field() + "' " + e.message());
        }
    }

    public HttpMethod method() {
        return method;
    }

    /** @return the decoded path, without the query string */
    public String path() {
        return path;
    }

    /** @return a header value, or null */
    public String header(String name) {
        return headers.get(name);
    }

    /** @return the first value of a query parameter, or null */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** @return a path parameter of the matched template */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path parameter {" + name + "}");
        }
        return v;
    }

    /** @return a path parameter as a UUID; a malformed one is answered 404 (no such resource) */
    public UUID pathUuid(String name) {
        try {
            return UUID.fromString(pathParam(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.of(ProblemType.NOT_FOUND, "no resource " + path);
        }
    }

    /** @return the client's IP address (the TCP peer; no proxy headers are trusted) */
    public String remoteIp() {
        return remote == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    /**
     * @return the {@code User-Agent} header as storable text (at most 512 characters, control characters and anything
     *         {@link TextInput} refuses replaced by {@code U+FFFD}), or null; it is shown back in session lists, so it
     *         is cleaned rather than refused
     */
    public String userAgent() {
        String ua = headers.get("User-Agent");
        if (ua == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(ua.length(), 512));
        for (int i = 0; i < ua.length() && sb.length() < 512; i++) {
            char c = ua.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '\uFFFD' : c);
        }
        return sb.toString();
    }

    /** @return the bearer token of the Authorization header, or null */
    public String bearerToken() {
        String auth = headers.get("Authorization");
        if (auth == null || auth.length() < 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = auth.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /**
     * @return the authenticated principal of a route declared {@code authenticated()}
     * @throws ApiException 401 on a public route where nobody authenticated
     */
    public <T> T principal(Class<T> type) {
        if (principal == null) {
            throw ApiException.of(ProblemType.UNAUTHORIZED, "this request needs a bearer token")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"kino\"");
        }
        return type.cast(principal);
    }

    /**
     * Reads the JSON body as {@code type}.
     *
     * @throws ApiException 415 when the body is not JSON, 400 when it is missing, malformed or of the
     *                      wrong shape (the detail names the field and position)
     */
    public <T> T body(Class<T> type) {
        String json = jsonText();
        try {
            T value = Json.MAPPER.readValue(json, type);
            if (value == null) {
                throw ApiException.of(ProblemType.BAD_REQUEST, "the body must be a JSON object, not null");
            }
            return value;
        } catch (IOException e) {
            throw badJson(e);
        }
    }

    /**
     * The raw body, for routes that take bytes rather than JSON (upload chunks). Not copied: do not modify.
     *
     * @return the body bytes, empty when there is none
     */
    public byte[] bytes() {
        return body;
    }

    /** Reads the JSON body as a tree (PATCH, where absent and null differ). */
    public JsonNode bodyTree() {
        String json = jsonText();
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw ApiException.of(ProblemType.BAD_REQUEST, "the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw badJson(e);
        }
    }

    /**
     * The body as JSON text: declared JSON, UTF-8 (RFC 8259 §8.1; anything else is refused rather than guessed), and
     * every string and field name acceptable {@link TextInput}.
     */
    private String jsonText() {
        requireJson();
        String text = Json.utf8(body);
        Json.checkStrings(text);
        return text;
    }

    private void requireJson() {
        String contentType = headers.get("Content-Type");
        String mime = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!(mime.equals("application/json") || mime.endsWith("+json"))) {
            throw ApiException.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json, not "
                    + (contentType == null ? "absent" : "'" + contentType + "'"));
        }
        if (body.length == 0) {
            throw ApiException.of(ProblemType.MALFORMED_JSON, "the request has no body; a JSON object is expected");
        }
    }

    private static RuntimeException badJson(IOException e) {
        return Json.problemOf(e);
    }

    /** Called by the runtime once the route matched and the caller authenticated; not for handlers. */
    public void bind(Map<String, String> params, Object principal) {
        this.pathParams = Map.copyOf(params);
        this.principal = principal;
    }
}
