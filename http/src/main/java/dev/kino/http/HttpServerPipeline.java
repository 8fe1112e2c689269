package dev.kino.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Builds each client connection's pipeline, the same for every Kino server:
 *
 * <pre>
 * HTTP/1.1:  [ssl] → read timer → HttpServerCodec (request line/head limits) → read timer (head/body ends)
 *            → keep-alive → aggregator (body limit, 413) → [ChunkedWriteHandler] → idle timer
 *            → {@link ResponseOrder} (answers in request order, drain) → {@link RequestGuard} (414/431/400, Host)
 *            → the application's handlers
 * TLS + ALPN h2: ssl → Http2FrameCodec → idle timer → Http2MultiplexHandler, per stream:
 *            Http2StreamFrameToHttpObjectCodec → aggregator → ChunkedWriteHandler → the application's handlers
 * </pre>
 *
 * <p>Over {@link HttpLimits#maxConnections()}, or once draining, a connection gets a fixed {@code 503} problem and is
 * closed before any decoding. Firing {@link #DRAIN} on a connection's pipeline closes it as soon as no answer is in
 * flight (HTTP/2: GOAWAY, then open streams finish).
 *
 * <pre>{@code
 * ChannelInitializer<SocketChannel> init = HttpServerPipeline.builder(limits)
 *         .application((pipeline, secure) -> pipeline.addLast("app", new MyHandler()))
 *         .build();
 * new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class).childHandler(init).bind(0);
 * }</pre>
 */
public final class HttpServerPipeline extends ChannelInitializer<SocketChannel> {
    /** User event: finish the answer in flight, then close (graceful shutdown). */
    public static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private static final byte[] OVER_LIMIT;

    static {
        byte[] body = Problem.of("too-many-connections", "Too many connections", 503, null).json();
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + Problem.MEDIA_TYPE + "\r\n"
                + "Cache-Control: no-store\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        OVER_LIMIT = new byte[h.length + body.length];
        System.arraycopy(h, 0, OVER_LIMIT, 0, h.length);
        System.arraycopy(body, 0, OVER_LIMIT, h.length, body.length);
    }

    /** Adds a connection's (or an HTTP/2 stream's) application handlers after the shared ones. */
    @FunctionalInterface
    public interface Application {
        /**
         * @param pipeline the pipeline to add to (with {@code addLast})
         * @param secure true when the connection is TLS
         */
        void addHandlers(ChannelPipeline pipeline, boolean secure);
    }

    /** Hears about connections, for metrics. Every method runs on an event loop: keep it cheap. */
    public interface ConnectionListener {
        /** A connection was accepted (before the limit check). */
        default void opened() {
        }

        /** A connection closed. */
        default void closed() {
        }

        /** A connection was refused with 503 (over the limit or draining). */
        default void rejected() {
        }
    }

    private final HttpLimits limits;
    private final SslContext ssl;
    private final ChannelGroup channels;
    private final AtomicInteger open;
    private final BooleanSupplier draining;
    private final ConnectionListener listener;
    private final Application application;
    private final IntFunction<HttpObjectAggregator> aggregator;

    private HttpServerPipeline(Builder b) {
        this.limits = b.limits;
        this.ssl = b.ssl;
        this.channels = b.channels;
        this.open = b.open;
        this.draining = b.draining;
        this.listener = b.listener;
        this.application = Objects.requireNonNull(b.application, "application");
        this.aggregator = b.aggregator;
    }

    /**
     * Graceful drain of a server's open connections (call after the listening channel is closed): each is told
     * {@link #DRAIN} (closed at once when idle, else right after the answer in flight), then this waits up to
     * {@code grace} for them to go, and closes whatever is left.
     *
     * @param channels the server's open connections
     * @param grace the longest wait for answers in flight
     */
    public static void drain(io.netty.channel.group.ChannelGroup channels, java.time.Duration grace) {
        channels.forEach(ch -> ch.pipeline().fireUserEventTriggered(DRAIN));
        long deadline = System.nanoTime() + grace.toNanos();
        while (!channels.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.close().awaitUninterruptibly();
    }

    /**
     * @param limits the limits every connection gets
     * @return a builder; only {@link Builder#application} is required
     */
    public static Builder builder(HttpLimits limits) {
        return new Builder(limits);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        int n = open.incrementAndGet();
        listener.opened();
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            listener.closed();
        });
        if (n > limits.maxConnections() || draining.getAsBoolean()) {
            listener.rejected();
            p.addLast("over-limit", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(OVER_LIMIT)).addListener(ChannelFutureListener.CLOSE);
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });
            return;
        }
        if (channels != null) {
            channels.add(ch);
        }
        if (ssl == null) {
            http1(p, false);
            return;
        }
        p.addLast("ssl", ssl.newHandler(ch.alloc()));
        // ALPN (RFC 7301): h2 when the client offers it, HTTP/1.1 otherwise.
        p.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    http2(ctx.pipeline());
                } else {
                    http1(ctx.pipeline(), true);
                }
            }
        });
    }

    private void http1(ChannelPipeline p, boolean secure) {
        RequestReadTimeout readTimeout = new RequestReadTimeout(limits.readTimeout(), limits.minBodyBytesPerSecond());
        p.addLast("read-timer", readTimeout.bytes());
        // The request line holds the method, the URI and the version: allow the URI limit plus room for those.
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxUriBytes() + 32)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(16 * 1024)));
        p.addLast("read-timer-requests", readTimeout.requests());
        p.addLast("keep-alive", new HttpServerKeepAliveHandler());
        p.addLast("aggregator", aggregator.apply(limits.maxBodyBytes()));
        if (secure) {
            // No zero-copy file regions through TLS: file bodies go as chunks.
            p.addLast("chunked", new ChunkedWriteHandler());
        }
        p.addLast("idle", new IdleStateHandler(true, 0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("order", new ResponseOrder());
        p.addLast("guard", new RequestGuard(limits));
        application.addHandlers(p, secure);
    }

    /**
     * HTTP/2 (RFC 9113): each stream is a child channel with the application's handlers behind a
     * frame-to-HTTP-object codec. Header list size is bounded by the head limit.
     */
    private void http2(ChannelPipeline p) {
        Http2FrameCodecBuilder codec = Http2FrameCodecBuilder.forServer();
        codec.initialSettings().maxHeaderListSize(limits.maxHeaderBytes()).maxConcurrentStreams(100);
        p.addLast("h2", codec.build());
        p.addLast("idle", new IdleStateHandler(true, 0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("h2-idle-close", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                // Closing an HTTP/2 connection is graceful in Netty: GOAWAY, then wait for open streams.
                if (evt instanceof IdleStateEvent || evt == DRAIN) {
                    ctx.close();
                } else {
                    super.userEventTriggered(ctx, evt);
                }
            }
        });
        p.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        aggregator.apply(limits.maxBodyBytes()), new ChunkedWriteHandler());
                application.addHandlers(stream.pipeline(), true);
            }
        }));
    }

    /** Options of a {@link HttpServerPipeline}. */
    public static final class Builder {
        private final HttpLimits limits;
        private SslContext ssl;
        private ChannelGroup channels;
        private AtomicInteger open = new AtomicInteger();
        private BooleanSupplier draining = () -> false;
        private ConnectionListener listener = new ConnectionListener() { };
        private Application application;
        private IntFunction<HttpObjectAggregator> aggregator = HttpObjectAggregator::new;

        private Builder(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
        }

        /**
         * @param ssl TLS context (with ALPN h2 and http/1.1 for HTTP/2), or null for plain HTTP
         * @return this
         */
        public Builder tls(SslContext ssl) {
            this.ssl = ssl;
            return this;
        }

        /**
         * @param channels where accepted connections are tracked (to drain them on shutdown)
         * @return this
         */
        public Builder channels(ChannelGroup channels) {
            this.channels = channels;
            return this;
        }

        /**
         * @param open the open-connection counter, shared when several listeners share one limit
         * @return this
         */
        public Builder openConnections(AtomicInteger open) {
            this.open = Objects.requireNonNull(open);
            return this;
        }

        /**
         * @param draining true once shutdown started: new connections get 503
         * @return this
         */
        public Builder draining(BooleanSupplier draining) {
            this.draining = Objects.requireNonNull(draining);
            return this;
        }

        /**
         * @param listener connection events, for metrics
         * @return this
         */
        public Builder listener(ConnectionListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * @param aggregator makes the body aggregator from {@link HttpLimits#maxBodyBytes()} (to answer 413 with
         *     a problem, say); Netty's {@link HttpObjectAggregator} by default
         * @return this
         */
        public Builder aggregator(IntFunction<HttpObjectAggregator> aggregator) {
            this.aggregator = Objects.requireNonNull(aggregator);
            return this;
        }

        /**
         * @param application adds the application's handlers; they receive {@code FullHttpRequest}s
         * @return this
         */
        public Builder application(Application application) {
            this.application = application;
            return this;
        }

        /** @return the channel initializer to pass to {@code ServerBootstrap.childHandler} */
        public HttpServerPipeline build() {
            return new HttpServerPipeline(this);
        }
    }
}
