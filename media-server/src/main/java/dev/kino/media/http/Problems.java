package dev.kino.media.http;

import dev.kino.http.Problem;
import dev.kino.media.MediaException;
import dev.kino.media.file.CachePolicy;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one place where media failures become HTTP answers: an RFC 9457 {@code application/problem+json} body
 * ({@link Problem}: {@code type}, {@code title}, {@code status}, {@code detail}) with {@code Cache-Control: no-store}
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
        FullHttpResponse r = new Problem(e.type(), e.title(), e.status(), e.detail() == null ? "" : e.detail(), null, null)
                .response(withBody, e.status() == 401 || e.status() == 403 || e.status() == 410
                        ? CachePolicy.PRIVATE_NO_STORE : CachePolicy.NO_STORE);
        if (e instanceof MethodNotAllowedException m) {
            r.headers().set(HttpHeaderNames.ALLOW, m.allow());
        }
        return r;
    }
}
