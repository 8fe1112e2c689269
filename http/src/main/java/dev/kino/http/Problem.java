package dev.kino.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}), the one error shape of both servers:
 *
 * <pre>{@code
 * {"type":"https://kino.dev/problems/not-found","title":"Not found","status":404,
 *  "detail":"no such resource","instance":"/api/v1/titles/42","errors":[{"field":"name","message":"..."}]}
 * }</pre>
 *
 * Absent members ({@code null}) are left out. {@link #json()} is the one serialiser (Jackson).
 *
 * @param type stable URI of the kind of problem (RFC 9457 §3.1.1), under {@link #BASE_URI}
 * @param title summary of the kind of problem, the same for every occurrence (§3.1.3)
 * @param status HTTP status code (§3.1.2)
 * @param detail what went wrong this time, for people (§3.1.4), or null
 * @param instance the request path it happened on (§3.1.5), or null
 * @param errors invalid request fields (an extension member, each serialised as a JSON object), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<?> errors) {
    /** Base URI of Kino's problem types; a type slug is appended. */
    public static final String BASE_URI = "https://kino.dev/problems/";
    /** The media type of a problem body (RFC 9457 §3). */
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /**
     * @param slug type slug such as {@code not-found}, appended to {@link #BASE_URI}
     * @param title the kind's summary
     * @param status HTTP status
     * @param detail this occurrence, or null
     * @return a problem with no instance and no field errors
     */
    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(BASE_URI + slug, title, status, detail, null, null);
    }

    /** @return this problem as UTF-8 JSON */
    public byte[] json() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param withBody false for a HEAD request: the same headers, no body
     * @param cacheControl the {@code Cache-Control} value ({@code no-store} for errors, so no cache keeps one)
     * @return a complete HTTP/1.1 response with {@code Content-Type}, {@code Content-Length} and
     *     {@code Cache-Control}; the caller owns (writes or releases) it
     */
    public FullHttpResponse response(boolean withBody, String cacheControl) {
        byte[] json = json();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                withBody ? Unpooled.wrappedBuffer(json) : Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, MEDIA_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length)
                .set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        return r;
    }
}
