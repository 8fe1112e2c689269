package dev.kino.control.http;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.ControlApiException;
import dev.kino.control.http.internal.ProblemAggregator;
import dev.kino.control.http.internal.RequestHandler;
import dev.kino.control.web.WebApp;
import dev.kino.control.web.WebAppHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Netty HTTP/1.1 server of the control API. Request bodies are aggregated up to
 * {@code control.maxRequestBytes} (413 beyond); handlers run on a bounded pool of
 * {@code control.blockingThreads} threads (503 with {@code Retry-After} when its queue is full) and
 * answers are written back on the connection's event loop.
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

    private ControlApiServer(EventLoopGroup boss, EventLoopGroup workers, ThreadPoolExecutor blocking, Channel channel) {
        this.boss = boss;
        this.workers = workers;
        this.blocking = blocking;
        this.channel = channel;
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
        int threads = config.blockingThreads();
        ThreadPoolExecutor blocking = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD), named("kino-control-blocking"));
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, named("kino-control-accept"), NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, named("kino-control-io"), NioIoHandler.newFactory());
        int maxBody = (int) Math.min(Integer.MAX_VALUE, config.maxRequestBytes());
        // The web app is answered from memory on the event loop; /api/... passes through to the router.
        WebAppHandler web = new WebAppHandler(WebApp.fromClasspath());
        try {
            Channel ch = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline()
                                    .addLast("codec", new HttpServerCodec())
                                    .addLast("keepAlive", new HttpServerKeepAliveHandler())
                                    .addLast("aggregator", new ProblemAggregator(maxBody))
                                    .addLast("web", web)
                                    .addLast("handler", new RequestHandler(router, authenticator, blocking));
                        }
                    })
                    .bind(config.host(), config.port()).syncUninterruptibly().channel();
            ControlApiServer server = new ControlApiServer(boss, workers, blocking, ch);
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

    /** Stops accepting, lets in-flight handlers finish (up to 5 s) and closes every connection. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
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
