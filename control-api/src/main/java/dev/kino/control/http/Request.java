package dev.kino.control.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

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
    private Map<String, String> pathParams = Map.of();
    private Object principal;

    public Request(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers, byte[] body,
                   InetSocketAddress remote) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.remote = remote;
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

    public String userAgent() {
        return headers.get("User-Agent");
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
        requireJson();
        try {
            T value = Json.MAPPER.readValue(body, type);
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
        requireJson();
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.of(ProblemType.BAD_REQUEST, "the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw badJson(e);
        }
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

    private static ApiException badJson(IOException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return ApiException.of(ProblemType.BAD_REQUEST, "unknown field '" + pathOf(u) + "'");
        }
        if (e instanceof StreamReadException s && !(e instanceof JsonMappingException)) {
            return ApiException.of(ProblemType.MALFORMED_JSON, "malformed JSON"
                    + (s.getLocation() == null ? "" : " at line " + s.getLocation().getLineNr() + ", column "
                    + s.getLocation().getColumnNr()) + ": " + s.getOriginalMessage());
        }
        if (e instanceof JsonMappingException m) {
            String field = pathOf(m);
            return ApiException.of(ProblemType.BAD_REQUEST, (field.isEmpty() ? "the body" : "field '" + field + "'")
                    + " has the wrong type: " + m.getOriginalMessage().split("\n", 2)[0]);
        }
        String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return ApiException.of(ProblemType.MALFORMED_JSON, "malformed JSON: " + msg);
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Called by the runtime once the route matched and the caller authenticated; not for handlers. */
    public void bind(Map<String, String> params, Object principal) {
        this.pathParams = Map.copyOf(params);
        this.principal = principal;
    }
}
