package dev.kino.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** One problem shape, serialised one way (RFC 9457). */
class ProblemTest {
    record FieldError(String field, String message) {
    }

    @Test
    void membersAbsentWhenNullAndEscapedWhenNot() throws Exception {
        Problem p = new Problem(Problem.BASE_URI + "validation", "Invalid input", 422, "quote \" and \u0001",
                "/api/v1/x", List.of(new FieldError("name", "required")));
        JsonNode j = new ObjectMapper().readTree(p.json());
        assertEquals(Problem.BASE_URI + "validation", j.get("type").asText());
        assertEquals(422, j.get("status").asInt());
        assertEquals("quote \" and \u0001", j.get("detail").asText());
        assertEquals("name", j.get("errors").get(0).get("field").asText());

        JsonNode bare = new ObjectMapper().readTree(Problem.of("not-found", "Not found", 404, null).json());
        assertFalse(bare.has("detail") || bare.has("instance") || bare.has("errors"), bare.toString());
    }

    @Test
    void responseCarriesTypeLengthAndCachePolicy() {
        FullHttpResponse head = Problem.of("gone", "Gone", 410, "taken down").response(false, "private, no-store");
        try {
            assertEquals(410, head.status().code());
            assertEquals(Problem.MEDIA_TYPE, head.headers().get(HttpHeaderNames.CONTENT_TYPE));
            assertEquals("private, no-store", head.headers().get(HttpHeaderNames.CACHE_CONTROL));
            assertEquals(0, head.content().readableBytes(), "HEAD: no body");
            assertEquals(Problem.of("gone", "Gone", 410, "taken down").json().length,
                    head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH));
        } finally {
            head.release();
        }
        FullHttpResponse get = Problem.of("gone", "Gone", 410, "taken down").response(true, "no-store");
        try {
            assertEquals(new String(Problem.of("gone", "Gone", 410, "taken down").json(), StandardCharsets.UTF_8),
                    get.content().toString(StandardCharsets.UTF_8));
        } finally {
            get.release();
        }
    }
}
