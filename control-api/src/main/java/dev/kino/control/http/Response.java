package dev.kino.control.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, extra headers and a body serialised as JSON (or nothing), or raw bytes
 * ({@link Bytes}, for images) with their own content type.
 *
 * @param status HTTP status
 * @param headers extra headers
 * @param body object serialised with {@link Json#MAPPER}, or null for an empty body
 */
public record Response(int status, Map<String, String> headers, Object body) {

    public static Response ok(Object body) {
        return new Response(200, Map.of(), body);
    }

    public static Response created(Object body, String location) {
        return new Response(201, Map.of("Location", location), body);
    }

    public static Response accepted(Object body) {
        return new Response(202, Map.of(), body);
    }

    public static Response noContent() {
        return new Response(204, Map.of(), null);
    }

    /**
     * A body sent as it is, not as JSON.
     *
     * @param bytes the body
     * @param contentType its media type, e.g. {@code image/jpeg}
     */
    public record Bytes(byte[] bytes, String contentType) {
    }

    /**
     * @param bytes the body, sent as it is
     * @param contentType its media type
     * @return 200 with that body and {@code Content-Type}
     */
    public static Response bytes(byte[] bytes, String contentType) {
        return new Response(200, Map.of("Content-Type", contentType), new Bytes(bytes, contentType));
    }

    /** @return a copy with one more header */
    public Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, Map.copyOf(h), body);
    }
}
