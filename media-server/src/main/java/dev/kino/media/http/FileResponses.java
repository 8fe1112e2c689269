package dev.kino.media.http;

import dev.kino.media.MediaException;
import dev.kino.media.file.RequestedRange;
import dev.kino.media.file.Representation;
import dev.kino.http.Conditional;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedNioFile;

import java.io.IOException;

/**
 * Writes the answer for a chosen {@link Representation}: conditional requests first (304, RFC 9110 §13.2.2),
 * then {@code Range} (206 or 416, §14; only GET, only identity-coded bodies, only when {@code If-Range}
 * matches), then the bytes: a zero-copy {@link DefaultFileRegion} over plain TCP, {@link HttpChunkedInput}
 * chunks under TLS or HTTP/2, or the in-memory body. HEAD gets the headers a GET would get.
 */
final class FileResponses {
    private static final int CHUNK = 16 * 1024;
    /**
     * Response fields made here hold only values this server wrote (validators, types, lengths, configured policy,
     * an {@code Origin} the request decoder already checked): Netty's per-field validation, and a second copy of
     * every field into the response, showed in the playlist profile, so the fields are built once, unvalidated.
     */
    private static final HttpHeadersFactory TRUSTED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private FileResponses() {
    }

    /**
     * The fields of a plain {@code 200} about an in-memory representation, exactly as {@link #respond} and
     * {@link Exchange}'s decoration set them, in the same order (so the bytes on the wire are the same): validators,
     * content fields, {@code Accept-Ranges} (identity only), {@code Content-Length}, {@code Date}, then CORS for
     * {@code origin}. Used by {@link PreparedHeads}, which shares the result between requests: never modify it.
     *
     * @param date the {@code Date} field's value (IMF-fixdate)
     * @param origin the request's {@code Origin}, or null
     */
    static HttpHeaders plainHeaders(ServerContext sc, Representation rep, String date, String origin) {
        HttpHeaders h = TRUSTED.newHeaders();
        rep.validators(sc.cache(), h);
        rep.content(h);
        if (dev.kino.http.ContentCoding.IDENTITY.equals(rep.coding())) {
            h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, rep.length());
        h.set(HttpHeaderNames.DATE, date);
        sc.cors().apply(origin, h);
        return h;
    }

    /**
     * @param ex the request
     * @param rep the representation; its open file is handed on or closed here
     * @param chunkedFiles true under TLS or HTTP/2: send files as chunks, not as a region
     */
    static void respond(Exchange ex, Representation rep, boolean chunkedFiles) {
        long fullLength = rep.length();
        HttpHeaders h = TRUSTED.newHeaders();
        rep.validators(ex.sc.cache(), h);
        if (Conditional.notModified(ex.header(HttpHeaderNames.IF_NONE_MATCH),
                ex.header(HttpHeaderNames.IF_MODIFIED_SINCE), rep.etag(), rep.file().lastModified())) {
            rep.close();
            // RFC 9110 §8.6: a 304 may carry the length the 200 would have had (it keeps the connection alive).
            h.set(HttpHeaderNames.CONTENT_LENGTH, fullLength);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER, h, EmptyHttpHeaders.INSTANCE);
            ex.send(resp);
            return;
        }
        rep.content(h);
        long offset = 0;
        long length = fullLength;
        HttpResponseStatus status = HttpResponseStatus.OK;
        if (dev.kino.http.ContentCoding.IDENTITY.equals(rep.coding())) {
            h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
            // RFC 9110 §14.2: Range is defined for GET only; HEAD answers as a plain GET would.
            RequestedRange range = ex.method.equals(HttpMethod.GET)
                    && Conditional.rangeAllowed(ex.header(HttpHeaderNames.IF_RANGE), rep.etag(), rep.file().lastModified())
                    ? RequestedRange.parse(ex.header(HttpHeaderNames.RANGE), fullLength) : RequestedRange.FULL;
            if (range instanceof RequestedRange.Unsatisfiable u) {
                rep.close();
                FullHttpResponse resp = Problems.response(new MediaException(416, "range-not-satisfiable",
                        "Range not satisfiable", "the file is " + fullLength + " bytes long"), !ex.head());
                resp.headers().set(HttpHeaderNames.CONTENT_RANGE, u.contentRange());
                resp.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
                ex.send(resp);
                return;
            } else if (range instanceof RequestedRange.Partial part) {
                status = HttpResponseStatus.PARTIAL_CONTENT;
                offset = part.first();
                length = part.length();
                h.set(HttpHeaderNames.CONTENT_RANGE, part.contentRange());
            }
        }
        if (rep.body() != null) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, length);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, ex.head()
                    ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(rep.body(), (int) offset, (int) length),
                    h, EmptyHttpHeaders.INSTANCE);
            ex.send(resp);
            return;
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, length);
        HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, h);
        if (ex.head() || length == 0) {
            rep.close();
            ex.send(resp, null, 0);
        } else if (rep.shared() != null && !chunkedFiles) {
            ex.send(resp, rep.shared().region(offset, length), length); // the region holds the reference
        } else if (chunkedFiles) {
            HttpChunkedInput chunks;
            try {
                chunks = new HttpChunkedInput(new ChunkedNioFile(rep.channel(), offset, length, CHUNK));
            } catch (IOException e) {
                rep.close();
                ex.ctx.close();
                return;
            }
            ex.send(resp, chunks, length);
        } else {
            ex.send(resp, new DefaultFileRegion(rep.channel(), offset, length), length);
        }
    }
}
