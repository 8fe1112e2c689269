package dev.kino.media.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import dev.kino.protocol.cmcd.Cmcd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One request being answered: what is kept of it once Netty's buffers are released, and the one way its answer
 * is written: every answer gets {@code Date} and the CORS headers, and when its last byte is written it is
 * counted ({@code MediaMetrics}) and logged ({@link AccessLog}). Used on the connection's event loop only.
 */
final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private static final byte[] NO_BODY = new byte[0];

    final ChannelHandlerContext ctx;
    final ServerContext sc;
    final HttpMethod method;
    final String uri;
    final String protocol;
    final HttpHeaders headers;
    final byte[] body;
    final long start = System.nanoTime();
    /** Metrics label: {@code playlist}, {@code segment}, {@code key}, {@code licence}, … */
    String kind = "other";
    /** When the response head was handed to the channel ({@link System#nanoTime}), 0 before. */
    private long headWritten;

    Exchange(ChannelHandlerContext ctx, ServerContext sc, FullHttpRequest r) {
        this.ctx = ctx;
        this.sc = sc;
        this.method = r.method();
        this.uri = r.uri();
        this.protocol = r.protocolVersion().text();
        this.headers = r.headers(); // plain objects: releasing the request frees its body only, so no copy is needed
        this.body = r.content().isReadable() ? ByteBufUtil.getBytes(r.content()) : NO_BODY;
    }

    /** A request without a body, as the fast path ({@link FastAnswers}) sees it before any aggregation. */
    Exchange(ChannelHandlerContext ctx, ServerContext sc, io.netty.handler.codec.http.HttpRequest r) {
        this.ctx = ctx;
        this.sc = sc;
        this.method = r.method();
        this.uri = r.uri();
        this.protocol = r.protocolVersion().text();
        this.headers = r.headers();
        this.body = NO_BODY;
    }

    String header(CharSequence name) {
        return headers.get(name);
    }

    boolean head() {
        return method.equals(HttpMethod.HEAD);
    }

    /** @return the client's address: the TCP peer, or what a trusted proxy says ({@link ClientAddress}) */
    InetAddress clientAddress() {
        if (clientResolved) {
            return client;
        }
        clientResolved = true;
        InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress i ? i.getAddress() : null;
        client = ClientAddress.resolve(peer, headers.get("Forwarded"), headers.get("X-Forwarded-For"), sc.trustedProxies());
        return client;
    }

    /** {@link #clientAddress()}, once resolved (the token gate and the access log both ask). */
    private InetAddress client;
    private boolean clientResolved;

    /**
     * Runs {@code then} on this channel's event loop once {@code f} completes; failures become problems.
     * If the channel has gone away meanwhile, {@code discard} cleans up the result (open files).
     */
    <T> void onLoop(CompletableFuture<T> f, Consumer<T> discard, Consumer<T> then) {
        if (f.isDone() && ctx.executor().inEventLoop()) {
            // already decided (an unleased token, a cached answer): no second trip through the task queue
            T v = null;
            Throwable e = null;
            try {
                v = f.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException x) {
                e = x.getCause() != null ? x.getCause() : x;
            }
            complete(v, e, discard, then);
            return;
        }
        f.whenComplete((v, e) -> {
            try {
                ctx.executor().execute(() -> complete(v, e, discard, then));
            } catch (RejectedExecutionException closing) {
                if (v != null) {
                    discard.accept(v);
                }
            }
        });
    }

    private <T> void complete(T v, Throwable e, Consumer<T> discard, Consumer<T> then) {
        if (!ctx.channel().isActive()) {
            if (v != null) {
                discard.accept(v);
            }
            return;
        }
        if (e != null) {
            sendError(e);
            return;
        }
        try {
            then.accept(v);
        } catch (RuntimeException ex) {
            sendError(ex);
        }
    }

    void sendError(Throwable t) {
        var e = Problems.toMediaException(t);
        if (e.status() >= 500 && e.status() != 502 && e.status() != 503) {
            LOG.warn("{} {} failed", method, AccessLog.redact(uri), t);
        }
        send(Problems.response(e, !head()));
    }

    /** Writes a complete answer. */
    ChannelFuture send(FullHttpResponse resp) {
        decorate(resp.headers());
        int status = resp.status().code();
        long bytes = resp.content().readableBytes();
        ChannelFuture f = ctx.writeAndFlush(resp);
        finish(status, bytes, f);
        return f;
    }

    /**
     * Writes a complete answer whose fields already hold {@code Date} and the CORS fields for this request (the
     * fast path's prepared heads, shared between requests, so they are not touched here).
     */
    ChannelFuture sendPrepared(FullHttpResponse resp) {
        headWritten = System.nanoTime();
        int status = resp.status().code();
        long bytes = resp.content().readableBytes();
        ChannelFuture f = ctx.writeAndFlush(resp);
        finish(status, bytes, f);
        return f;
    }

    /**
     * Writes an answer whose body follows as other messages.
     *
     * @param head the status and headers
     * @param body the body messages (a file region or chunked input), or null for none
     * @param bytes body length, for the log
     */
    void send(HttpResponse head, Object body, long bytes) {
        decorate(head.headers());
        // A file body goes out with sendfile, after the head went out with write: with TCP_NODELAY the head would be
        // a packet of its own, and the client would wake up once for it and once more for the body. Corked (nginx's
        // tcp_nopush), the kernel only sends full segments, the head in the first one with the body's first bytes;
        // uncorking after the last byte sends the rest at once.
        boolean cork = body instanceof FileRegion && ctx.channel() instanceof EpollSocketChannel;
        if (cork) {
            cork(true);
        }
        ctx.write(head);
        ChannelFuture last;
        if (body == null) {
            last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (body instanceof io.netty.handler.codec.http.HttpChunkedInput) {
            last = ctx.writeAndFlush(body); // ends with its own last content
        } else {
            ctx.write(body);
            last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (cork) {
            last.addListener(f -> cork(false));
        }
        finish(head.status().code(), body == null ? 0 : bytes, last);
    }

    private void cork(boolean on) {
        if (ctx.channel().isOpen()) {
            try {
                ctx.channel().config().setOption(EpollChannelOption.TCP_CORK, on);
            } catch (io.netty.channel.ChannelException closing) {
                // the connection went away meanwhile: nothing left to send
            }
        }
    }

    private void decorate(HttpHeaders h) {
        headWritten = System.nanoTime();
        h.set(HttpHeaderNames.DATE, HttpDate.now());
        sc.cors().apply(header(HttpHeaderNames.ORIGIN), h);
    }

    private static final AsciiString CMCD_OBJECT = AsciiString.cached("cmcd-object");
    private static final AsciiString CMCD_REQUEST = AsciiString.cached("cmcd-request");
    private static final AsciiString CMCD_SESSION = AsciiString.cached("cmcd-session");
    private static final AsciiString CMCD_STATUS = AsciiString.cached("cmcd-status");

    /**
     * Hands the request's CMCD, if it carried any, to the aggregator: the raw strings only (no parsing here, and
     * nothing allocated when there is none: a scan of the URI for the parameter and four header look-ups). Only
     * answered requests count (below 400): the token gate has let them through, so made-up requests cannot skew the
     * figures. CMCD never changes the answer itself.
     */
    private void offerCmcd() {
        String query = Cmcd.rawQueryValue(uri);
        String object = headers.get(CMCD_OBJECT);
        String request = headers.get(CMCD_REQUEST);
        String session = headers.get(CMCD_SESSION);
        String status = headers.get(CMCD_STATUS);
        if (query == null && object == null && request == null && session == null && status == null) {
            return;
        }
        sc.cmcd().offer(query, object, request, session, status, headers.get(HttpHeaderNames.USER_AGENT),
                (headWritten == 0 ? System.nanoTime() : headWritten) - start);
    }

    private void finish(int status, long bytes, ChannelFuture last) {
        last.addListener(f -> {
            long end = System.nanoTime();
            long nanos = end - start;
            sc.metrics().request(status, kind, f.isSuccess() ? bytes : 0, nanos);
            if (sc.cmcd() != null && status < 400) {
                offerCmcd();
            }
            AccessLog.log(clientAddress(), method.name(), uri, protocol, status, bytes,
                    header(HttpHeaderNames.REFERER), header(HttpHeaderNames.USER_AGENT), nanos, end);
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
    }
}
