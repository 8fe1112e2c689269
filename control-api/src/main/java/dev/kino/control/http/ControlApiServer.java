package dev.kino.control.http;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.ControlApiException;
import dev.kino.control.http.internal.ProblemAggregator;
import dev.kino.control.http.internal.RequestHandler;
import dev.kino.control.metrics.ApiMetrics;
import dev.kino.control.web.WebApp;
import dev.kino.control.web.WebAppHandler;
import dev.kino.http.HttpLimits;
import dev.kino.http.HttpServerPipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Netty HTTP/1.1 server of the control API, on the shared pipeline ({@link HttpServerPipeline}: read and
 * idle timeouts, connection, head and URI limits, answers in request order). Request bodies are aggregated up to
 * {@code control.maxRequestBytes} (413 beyond); handlers run on a bounded pool of
 * {@code control.blockingThreads} threads, or on their route's own executor ({@link Router.RouteBuilder#executor})
 * (503 with {@code Retry-After} when the queue is full) and answers are written back on the connection's event loop.
 *
 * <pre>{@code
 * Router router = new Router();
 * ... register routes ...
 * try (ControlApiServer server = ControlApiServer.start(config.control(), router, authenticator)) {
 *     int port = server.port();
 * }
 * }</pre>
 */
public final class ControlApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApiServer.class);
    /** Requests waiting for a blocking thread, per thread, before 503. */
    private static final int QUEUE_PER_THREAD = 64;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ThreadPoolExecutor blocking;
    private final Channel channel;

    private final ChannelGroup channels;
    private final AtomicBoolean draining;

    private ControlApiServer(EventLoopGroup boss, EventLoopGroup workers, ThreadPoolExecutor blocking, Channel channel,
                             ChannelGroup channels, AtomicBoolean draining) {
        this.boss = boss;
        this.workers = workers;
        this.blocking = blocking;
        this.channel = channel;
        this.channels = channels;
        this.draining = draining;
    }

    /**
     * @param config the {@code control} section
     * @return its connection limits: {@code control.maxConnections}, {@code control.maxHeaderBytes},
     *     {@code control.maxUriBytes}, {@code control.maxRequestBytes} (bodies), {@code control.readTimeout},
     *     {@code control.idleTimeout}
     */
    public static HttpLimits limits(KinoConfig.ControlApi config) {
        return new HttpLimits(config.maxConnections(), config.maxHeaderBytes(), config.maxUriBytes(),
                (int) Math.min(Integer.MAX_VALUE, config.maxRequestBytes()), config.readTimeout(), config.idleTimeout());
    }

    /**
     * Binds {@code control.host:control.port} and serves the router.
     *
     * @param config the {@code control} section
     * @param router the routes (not changed after this call)
     * @param authenticator resolves bearer tokens for authenticated routes
     * @return the running server
     * @throws ControlApiException when the address cannot be bound
     */
    public static ControlApiServer start(KinoConfig.ControlApi config, Router router, Authenticator authenticator) {
        return start(config, router, authenticator, CursorKey.random());
    }

    /**
     * Binds {@code control.host:control.port} and serves the router, sealing list cursors with {@code cursorKey}
     * (the same on every node, so a cursor from one node pages on another).
     *
     * @param config the {@code control} section
     * @param router the routes (not changed after this call)
     * @param authenticator resolves bearer tokens for authenticated routes
     * @param cursorKey seals {@link Page} cursors
     * @return the running server
     * @throws ControlApiException when the address cannot be bound
     */
    public static ControlApiServer start(KinoConfig.ControlApi config, Router router, Authenticator authenticator,
                                         CursorKey cursorKey) {
        return start(config, router, authenticator, cursorKey, new ApiMetrics());
    }

    /**
     * Binds {@code control.host:control.port} and serves the router, counting every answer in {@code metrics}.
     *
     * @param config the {@code control} section
     * @param router the routes (not changed after this call)
     * @param authenticator resolves bearer tokens for authenticated routes
     * @param cursorKey seals {@link Page} cursors
     * @param metrics where requests are counted by route template and status
     * @return the running server
     * @throws ControlApiException when the address cannot be bound
     */
    public static ControlApiServer start(KinoConfig.ControlApi config, Router router, Authenticator authenticator,
                                         CursorKey cursorKey, ApiMetrics metrics) {
        int threads = config.blockingThreads();
        ThreadPoolExecutor blocking = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD), named("kino-control-blocking"));
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, named("kino-control-accept"), NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, named("kino-control-io"), NioIoHandler.newFactory());
        ChannelGroup channels = new DefaultChannelGroup("kino-control", GlobalEventExecutor.INSTANCE);
        AtomicBoolean draining = new AtomicBoolean();
        // The web app is answered from memory on the event loop; /api/... passes through to the router.
        WebAppHandler web = new WebAppHandler(WebApp.fromClasspath());
        try {
            Channel ch = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(HttpServerPipeline.builder(limits(config)).channels(channels)
                            .draining(() -> draining.get())
                            .aggregator(ProblemAggregator::new)
                            .application((p, secure) -> p.addLast("web", web)
                                    .addLast("handler", new RequestHandler(router, authenticator, blocking, cursorKey,
                                            metrics)))
                            .build())
                    .bind(config.host(), config.port()).syncUninterruptibly().channel();
            ControlApiServer server = new ControlApiServer(boss, workers, blocking, ch, channels, draining);
            LOG.info("control API listening on {}:{} ({} blocking threads)", config.host(), server.port(), threads);
            return server;
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            blocking.shutdownNow();
            throw new ControlApiException("cannot listen on " + config.host() + ":" + config.port()
                    + " (control.host, control.port): " + e.getMessage(), e);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** @return the bound port (the real one when configured as 0) */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting, lets each connection finish the answer in flight and close (up to 5 s; idle ones close at
     * once), then closes what remains and stops the threads.
     */
    @Override
    public void close() {
        draining.set(true);
        channel.close().syncUninterruptibly();
        HttpServerPipeline.drain(channels, java.time.Duration.ofSeconds(5));
        blocking.shutdown();
        try {
            if (!blocking.awaitTermination(5, TimeUnit.SECONDS)) {
                blocking.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
