package dev.kino.media.http;

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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds each client connection's pipeline:
 *
 * <pre>
 * HTTP/1.1:  [ssl] → head timer → HttpServerCodec (line/head limits) → head timer stop → keep-alive
 *            → HttpObjectAggregator (body limit) → [ChunkedWriteHandler] → IdleStateHandler → MediaHandler
 * TLS + ALPN h2: ssl → Http2FrameCodec → IdleStateHandler → Http2MultiplexHandler, per stream:
 *            Http2StreamFrameToHttpObjectCodec → HttpObjectAggregator → ChunkedWriteHandler → MediaHandler
 * </pre>
 *
 * <p>Over the connection limit a connection gets a fixed {@code 503} and is closed before any decoding.
 */
public final class MediaChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final byte[] OVER_LIMIT = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
            + "Cache-Control: no-store\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 101\r\n\r\n"
            + "{\"type\":\"https://kino.dev/problems/too-many-connections\",\"title\":\"Too many connections\",\"status\":503}")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerContext sc;
    private final SslContext ssl;
    private final ChannelGroup channels;
    private final AtomicInteger open;

    /**
     * @param sc shared state
     * @param ssl TLS context, or null for plain HTTP
     * @param channels where open connections are tracked (graceful shutdown)
     * @param open the open connection counter shared by all listeners
     */
    public MediaChannelInitializer(ServerContext sc, SslContext ssl, ChannelGroup channels, AtomicInteger open) {
        this.sc = sc;
        this.ssl = ssl;
        this.channels = channels;
        this.open = open;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        int n = open.incrementAndGet();
        sc.metrics().connectionOpened();
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            sc.metrics().connectionClosed();
        });
        if (n > sc.limits().maxConnections() || sc.draining()) {
            sc.metrics().connectionRejected();
            p.addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(OVER_LIMIT)).addListener(ChannelFutureListener.CLOSE);
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    io.netty.util.ReferenceCountUtil.release(msg);
                }
            });
            return;
        }
        channels.add(ch);
        if (ssl == null) {
            http1(p);
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
                    http1(ctx.pipeline());
                }
            }
        });
    }

    private void http1(ChannelPipeline p) {
        ServerContext.Limits l = sc.limits();
        RequestHeadTimeout headTimeout = new RequestHeadTimeout(l.readTimeout());
        p.addLast("head-timer", headTimeout.bytes());
        // The request line holds the method, the URI and the version: allow the URI limit plus room for those.
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(l.maxUriBytes() + 32)
                .setMaxHeaderSize(l.maxHeaderBytes())
                .setMaxChunkSize(16 * 1024)));
        p.addLast("head-timer-stop", headTimeout.requests());
        p.addLast("keep-alive", new HttpServerKeepAliveHandler());
        p.addLast("aggregator", new HttpObjectAggregator(l.maxBodyBytes()));
        if (ssl != null) {
            p.addLast("chunked", new ChunkedWriteHandler());
        }
        p.addLast("idle", new IdleStateHandler(true, 0, 0, l.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("media", new MediaHandler(sc, ssl != null));
    }

    /**
     * HTTP/2 (RFC 9113): each stream is a child channel with the same handlers as an HTTP/1.1 connection,
     * behind a frame-to-HTTP-object codec; file bodies go as chunks (no zero-copy region through TLS and
     * framing). Header list size is bounded by the head limit.
     */
    private void http2(ChannelPipeline p) {
        ServerContext.Limits l = sc.limits();
        Http2FrameCodecBuilder codec = Http2FrameCodecBuilder.forServer();
        codec.initialSettings().maxHeaderListSize(l.maxHeaderBytes()).maxConcurrentStreams(100);
        p.addLast("h2", codec.build());
        p.addLast("idle", new IdleStateHandler(true, 0, 0, l.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("h2-idle-close", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                // Closing an HTTP/2 connection is graceful in Netty: GOAWAY, then wait for open streams.
                if (evt instanceof IdleStateEvent || evt == MediaHandler.DRAIN) {
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
                        new HttpObjectAggregator(l.maxBodyBytes()), new ChunkedWriteHandler(),
                        new MediaHandler(sc, true));
            }
        }));
    }
}
