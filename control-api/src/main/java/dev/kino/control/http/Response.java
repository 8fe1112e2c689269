package dev.kino.control.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, extra headers and a body serialised as JSON (or nothing).
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

    /** @return a copy with one more header */
    public Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, Map.copyOf(h), body);
    }
}
