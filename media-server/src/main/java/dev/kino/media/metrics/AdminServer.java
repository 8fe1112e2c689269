package dev.kino.media.metrics;

import dev.kino.http.HttpLimits;
import dev.kino.http.HttpServerPipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The admin port, separate from the media port so it is never exposed through the CDN:
 *
 * <pre>
 * GET /metrics   200 text/plain; version=0.0.4  Prometheus exposition of {@link MediaMetrics}
 * GET /health    200 "ok" while the process runs
 * GET /ready     200 "ready" while accepting traffic, 503 "draining" once shutdown started
 * </pre>
 */
public final class AdminServer implements AutoCloseable {
    /** Connections the admin port accepts at once. */
    public static final int MAX_CONNECTIONS = 64;
    /** Largest request body the admin port reads, bytes. */
    public static final int MAX_BODY_BYTES = 4096;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * @param group event loops to run on (shared with the media port; the work here is tiny)
     * @param channelType server channel class matching {@code group}
     * @param host bind address
     * @param port port, 0 for any free one
     * @param metrics what to expose
     * @param ready whether the server accepts traffic
     * @param limits connection limits and timeouts ({@link #limits(HttpLimits)} derives them from the media port's)
     * @return the bound server
     * @throws InterruptedException when interrupted while binding
     */
    public static AdminServer start(EventLoopGroup group, Class<? extends ServerChannel> channelType, String host,
                                    int port, MediaMetrics metrics, BooleanSupplier ready, HttpLimits limits)
            throws InterruptedException {
        Handler handler = new Handler(metrics, ready);
        // The same pipeline as the media port: a scraper that drips its request is cut off like any client.
        Channel ch = new ServerBootstrap().group(group).channel(channelType)
                .childHandler(HttpServerPipeline.builder(limits)
                        .application((p, secure) -> p.addLast("admin", handler)).build())
                .bind(host, port).sync().channel();
        return new AdminServer(ch);
    }

    /**
     * @param media the media port's limits
     * @return the admin port's: the same timeouts and head limits, at most {@value #MAX_CONNECTIONS} connections
     *     (scrapers and probes, not viewers) and bodies of at most {@value #MAX_BODY_BYTES} bytes (it takes none)
     */
    public static HttpLimits limits(HttpLimits media) {
        return new HttpLimits(Math.min(MAX_CONNECTIONS, media.maxConnections()), media.maxHeaderBytes(),
                media.maxUriBytes(), MAX_BODY_BYTES, media.readTimeout(), media.idleTimeout());
    }

    /** @return the bound port */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final MediaMetrics metrics;
        private final BooleanSupplier ready;

        Handler(MediaMetrics metrics, BooleanSupplier ready) {
            this.metrics = metrics;
            this.ready = ready;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                answer(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n", true);
                return;
            }
            String path = req.uri().split("\\?", 2)[0];
            boolean get = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
            if (!get) {
                answer(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "GET only\n", false);
            } else if (path.equals("/metrics")) {
                answer(ctx, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", metrics.render(), false);
            } else if (path.equals("/health")) {
                answer(ctx, HttpResponseStatus.OK, "text/plain", "ok\n", false);
            } else if (path.equals("/ready")) {
                boolean r = ready.getAsBoolean();
                answer(ctx, r ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain",
                        r ? "ready\n" : "draining\n", false);
            } else {
                answer(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n", false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A client that vanished mid-request (or was cut by the read timeout): nothing to answer.
            ctx.close();
        }

        private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body,
                                   boolean close) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).set(HttpHeaderNames.CONTENT_LENGTH, b.length)
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            var f = ctx.writeAndFlush(r);
            if (close) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
