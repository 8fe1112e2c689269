package dev.kino.media.http;

import dev.kino.http.HttpServerPipeline;
import dev.kino.media.file.Representation;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.Iterator;

/**
 * The media port's fast path for what most requests are: a plain HTTP/1.1 {@code GET} or {@code HEAD} of a file held
 * in memory (playlists, text tracks, initialization sections: {@code MediaFiles.hot}), answered right after the HTTP
 * decoder with fields prepared once per body and second ({@link PreparedHeads}), without the rest of the shared
 * pipeline (keep-alive, aggregator, response order, request guard) or the per-request field building. The playlist
 * profile was flat: each of those handlers, and the response order's extra promise listener and task, cost a few per
 * cent of ~20 µs per request.
 *
 * <p>Pipeline (plain TCP only; TLS and HTTP/2 keep the shared pipeline as it is):
 * <pre>
 * read timer → HttpServerCodec → read timer (head/body ends) → idle timer → <b>FastAnswers</b> → keep-alive → aggregator
 *            → ResponseOrder → RequestGuard → MediaHandler
 * </pre>
 * (the idle timer moves before this handler so that it sees the requests answered here, and their answers).
 *
 * <p>A request is answered here only when all of these hold, else it goes on up the pipeline untouched:
 * <ul>
 *   <li>no answer of the normal path is pending on this connection (every request handed on has had its last
 *       answer message written), so answers stay in request order (RFC 9112 §9.3.2) even when pipelined: messages
 *       written later go out later;</li>
 *   <li>the connection is writable (a client that pipelines without reading is held back by the normal path's
 *       one-answer-at-a-time order, not buffered here without limit), is not draining, and has not had a request
 *       that ends it ({@code Connection: close}) or expects {@code 100-continue};</li>
 *   <li>HTTP/1.1, decoded without error, {@code GET} or {@code HEAD}, URI within the limit, exactly one {@code Host},
 *       no body ({@code Content-Length} other than 0, {@code Transfer-Encoding}), no {@code Expect}, no {@code Upgrade},
 *       {@code Connection} absent or {@code keep-alive}, no {@code Range}/{@code If-Range} and no conditional field
 *       ({@code If-None-Match}, {@code If-Modified-Since}, {@code If-Match}, {@code If-Unmodified-Since}): these get
 *       206/304/412 from the normal path;</li>
 *   <li>{@link MediaHandler#plainInMemory} finds the answer a plain {@code 200} from memory: valid token (time, path,
 *       address, no rendition cap), title not taken down, no query, not an MPD, key or licence, and no stream lease
 *       or one this server renewed in the last second ({@code StreamLeases.renewedRecently}: a viewer's playlists
 *       then renew their lease at most once a second, through the normal path).</li>
 * </ul>
 * The answer is counted, CMCD-recorded and logged exactly as the normal path's ({@link Exchange#sendPrepared}).
 * One instance per connection, used on its event loop only.
 */
public final class FastAnswers extends ChannelDuplexHandler {
    private final ServerContext sc;
    private final MediaHandler media;
    private final PreparedHeads heads;
    /** Requests handed on whose last answer message has not been written yet. */
    private int normalPending;
    /** The next message is the empty last content of a request answered here. */
    private boolean swallowLast;
    /** Nothing more is answered here on this connection. */
    private boolean off;
    /** The write of the last answer made here. */
    private ChannelFuture lastWrite;

    FastAnswers(ServerContext sc, MediaHandler media, PreparedHeads heads) {
        this.sc = sc;
        this.media = media;
        this.heads = heads;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (swallowLast) {
            swallowLast = false;
            if (msg instanceof LastHttpContent last && !last.content().isReadable()) {
                last.release();
                return; // ours: the decoder's end of a request without a body
            }
        }
        if (msg instanceof HttpRequest req) {
            if (!(msg instanceof HttpContent) && !off && normalPending == 0 && plain(ctx, req) && answer(ctx, req)) {
                swallowLast = true;
                return;
            }
            normalPending++;
            HttpHeaders h = req.headers();
            if (!io.netty.handler.codec.http.HttpUtil.isKeepAlive(req) || h.contains(HttpHeaderNames.EXPECT)) {
                off = true; // the connection ends with that answer, or the aggregator may write a 100 first
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // The normal path's answers pass here on their way out; the last message of each ends one pending request.
        if (msg instanceof LastHttpContent && normalPending > 0
                && !(msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
            normalPending--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == HttpServerPipeline.DRAIN) {
            off = true;
            ChannelFuture w = lastWrite;
            if (w != null && !w.isDone() && normalPending == 0) {
                // ResponseOrder closes at once when it has nothing in flight: let it hear of the drain once the
                // answer written here is out, so that no answer is cut in half
                w.addListener(f -> ctx.fireUserEventTriggered(evt));
                return;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private boolean plain(ChannelHandlerContext ctx, HttpRequest req) {
        if (!req.decoderResult().isSuccess() || !HttpVersion.HTTP_1_1.equals(req.protocolVersion())
                || !(HttpMethod.GET.equals(req.method()) || HttpMethod.HEAD.equals(req.method()))
                || req.uri().length() > sc.limits().maxUriBytes() || !ctx.channel().isWritable()) {
            return false;
        }
        HttpHeaders h = req.headers();
        Iterator<String> host = h.valueStringIterator(HttpHeaderNames.HOST);
        if (!host.hasNext()) {
            return false;
        }
        host.next();
        if (host.hasNext()) {
            return false;
        }
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null && !HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection)) {
            return false;
        }
        return !h.contains(HttpHeaderNames.RANGE) && !h.contains(HttpHeaderNames.IF_NONE_MATCH)
                && !h.contains(HttpHeaderNames.IF_MODIFIED_SINCE) && !h.contains(HttpHeaderNames.IF_RANGE)
                && !h.contains(HttpHeaderNames.IF_MATCH) && !h.contains(HttpHeaderNames.IF_UNMODIFIED_SINCE)
                && noBody(h.get(HttpHeaderNames.CONTENT_LENGTH)) && !h.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && !h.contains(HttpHeaderNames.EXPECT) && !h.contains(HttpHeaderNames.UPGRADE);
    }

    /** Java's HttpClient, for one, sends {@code Content-Length: 0} with a GET. */
    private static boolean noBody(String contentLength) {
        return contentLength == null || contentLength.equals("0");
    }

    private boolean answer(ChannelHandlerContext ctx, HttpRequest req) {
        Exchange ex = new Exchange(ctx, sc, req);
        Representation rep = media.plainInMemory(ex);
        if (rep == null) {
            return false;
        }
        sc.metrics().fastAnswer();
        String origin = ex.header(HttpHeaderNames.ORIGIN);
        PreparedHeads.Prepared p = heads.prepared(rep, origin);
        lastWrite = ex.sendPrepared(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                ex.head() ? Unpooled.EMPTY_BUFFER : p.content(rep.body()), p.fields(origin),
                EmptyHttpHeaders.INSTANCE));
        return true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        off = true;
        ctx.fireChannelInactive();
    }

    /**
     * Puts the fast path into an HTTP/1.1 pipeline that {@code dev.kino.http.HttpServerPipeline} built for plain TCP
     * (after its read timers, before its keep-alive handler), moving the idle timer in front of it.
     *
     * @param p the connection's pipeline, with its {@code media} handler already added
     */
    public static void install(io.netty.channel.ChannelPipeline p, ServerContext sc, MediaHandler media, PreparedHeads heads) {
        // A removed IdleStateHandler cannot be added again (it stays destroyed): a new one with the same settings.
        p.remove("idle");
        p.addAfter("read-timer-requests", "idle", new io.netty.handler.timeout.IdleStateHandler(true, 0, 0,
                sc.limits().idleTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        p.addAfter("idle", "fast", new FastAnswers(sc, media, heads));
    }
}
