package dev.kino.media.http;

import dev.kino.media.MediaException;
import dev.kino.media.file.CachePolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one place where failures become HTTP answers: an RFC 9457 {@code application/problem+json} body
 * ({@code type}, {@code title}, {@code status}, {@code detail}) with {@code Cache-Control: no-store}
 * ({@code private, no-store} for 401/403/410), so an error is never cached by a CDN or browser.
 * Anything that is not a {@link MediaException} is a 500 whose detail reveals nothing.
 */
public final class Problems {
    private Problems() {
    }

    /**
     * @param t a failure (unwrapped from {@link CompletionException} here)
     * @return the matching media exception
     */
    public static MediaException toMediaException(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof MediaException m) {
            return m;
        }
        if (c instanceof RejectedExecutionException) {
            return new MediaException(503, "overloaded", "Server overloaded", "too many file operations in flight; retry");
        }
        return new MediaException(500, "internal", "Internal server error", "the request could not be served");
    }

    /**
     * @param e the failure
     * @param withBody false for HEAD: same headers, no body
     * @return a complete response; the caller owns (writes or releases) it
     */
    public static FullHttpResponse response(MediaException e, boolean withBody) {
        byte[] json = ("{\"type\":\"" + escape(e.type()) + "\",\"title\":\"" + escape(e.title()) + "\",\"status\":"
                + e.status() + ",\"detail\":\"" + escape(e.detail() == null ? "" : e.detail()) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuf body = withBody ? Unpooled.wrappedBuffer(json) : Unpooled.EMPTY_BUFFER;
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(e.status()), body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .set(HttpHeaderNames.CONTENT_LENGTH, json.length)
                .set(HttpHeaderNames.CACHE_CONTROL, e.status() == 401 || e.status() == 403 || e.status() == 410
                        ? CachePolicy.PRIVATE_NO_STORE : CachePolicy.NO_STORE);
        if (e instanceof MethodNotAllowedException m) {
            r.headers().set(HttpHeaderNames.ALLOW, m.allow());
        }
        return r;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
