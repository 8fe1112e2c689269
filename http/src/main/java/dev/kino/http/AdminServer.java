package dev.kino.http;

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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin port of a Kino server (the media server's {@code metrics.port}, the control API's
 * {@code control.adminPort}), separate from the public port so it is never exposed through a CDN or a public load
 * balancer:
 *
 * <pre>
 * GET /metrics   200 text/plain; version=0.0.4  the Prometheus exposition the server renders
 * GET /health    200 "ok" while the process runs
 * GET /ready     200 "ready" while accepting traffic, 503 "draining" once shutdown started
 * </pre>
 *
 * <p>A server whose exposition is cheap and in memory (the media server) renders it on the event loop; one whose
 * exposition reads the database (the control API's pool and job queue) passes an executor, and the scrape is rendered
 * there and written back on the event loop (503 when that executor refuses it).
 */
public final class AdminServer implements AutoCloseable {
    /** Connections the admin port accepts at once. */
    public static final int MAX_CONNECTIONS = 64;
    /** Largest request body the admin port reads, bytes. */
    public static final int MAX_BODY_BYTES = 4096;

    /** The {@code Content-Type} of {@code /metrics}: the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * @param group event loops to run on (shared with the public port; the work here is tiny)
     * @param channelType server channel class matching {@code group}
     * @param host bind address
     * @param port port, 0 for any free one
     * @param metrics renders the exposition text (Prometheus text format 0.0.4)
     * @param renderOn where {@code metrics} runs: null for the event loop (cheap, non-blocking renders only)
     * @param ready whether the server accepts traffic
     * @param limits connection limits and timeouts ({@link #limits(HttpLimits)} derives them from the public port's)
     * @return the bound server
     * @throws InterruptedException when interrupted while binding
     */
    public static AdminServer start(EventLoopGroup group, Class<? extends ServerChannel> channelType, String host,
                                    int port, Supplier<String> metrics, Executor renderOn, BooleanSupplier ready,
                                    HttpLimits limits) throws InterruptedException {
        Handler handler = new Handler(metrics, renderOn, ready);
        // The same pipeline as the public port: a scraper that drips its request is cut off like any client.
        Channel ch = new ServerBootstrap().group(group).channel(channelType)
                .childHandler(HttpServerPipeline.builder(limits)
                        .application((p, secure) -> p.addLast("admin", handler)).build())
                .bind(host, port).sync().channel();
        return new AdminServer(ch);
    }

    /**
     * @param publicPort the public port's limits
     * @return the admin port's: the same timeouts and head limits, at most {@value #MAX_CONNECTIONS} connections
     *     (scrapers and probes, not viewers) and bodies of at most {@value #MAX_BODY_BYTES} bytes (it takes none)
     */
    public static HttpLimits limits(HttpLimits publicPort) {
        return new HttpLimits(Math.min(MAX_CONNECTIONS, publicPort.maxConnections()), publicPort.maxHeaderBytes(),
                publicPort.maxUriBytes(), MAX_BODY_BYTES, publicPort.readTimeout(), publicPort.idleTimeout());
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
        private final Supplier<String> metrics;
        private final Executor renderOn;
        private final BooleanSupplier ready;

        Handler(Supplier<String> metrics, Executor renderOn, BooleanSupplier ready) {
            this.metrics = metrics;
            this.renderOn = renderOn;
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
                scrape(ctx);
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

        private void scrape(ChannelHandlerContext ctx) {
            if (renderOn == null) {
                answer(ctx, HttpResponseStatus.OK, CONTENT_TYPE, metrics.get(), false);
                return;
            }
            try {
                renderOn.execute(() -> {
                    String text;
                    try {
                        text = metrics.get();
                    } catch (RuntimeException e) {
                        // a scrape that fails is a failed scrape (Prometheus marks the target down), not a dead port
                        ctx.executor().execute(() -> answer(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                "text/plain", "metrics unavailable: " + e + "\n", false));
                        return;
                    }
                    ctx.executor().execute(() -> answer(ctx, HttpResponseStatus.OK, CONTENT_TYPE, text, false));
                });
            } catch (RejectedExecutionException e) {
                answer(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "busy\n", false);
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
