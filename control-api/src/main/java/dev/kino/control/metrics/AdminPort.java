package dev.kino.control.metrics;

import dev.kino.control.ControlApiException;
import dev.kino.http.AdminServer;
import dev.kino.http.HttpLimits;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The control API's admin port: the shared {@link AdminServer} ({@code /metrics}, {@code /health}, {@code /ready}) on
 * its own event loop, apart from the public port's, so neither a flood of API clients nor a slow scrape holds up the
 * other. A scrape reads the database ({@link ApiMetrics#render()}), so it is rendered on one thread of its own with a
 * short queue: scrapers are few, and a pile of them is refused (503) rather than queued behind a slow database.
 */
public final class AdminPort implements AutoCloseable {
    private final EventLoopGroup loop;
    private final ThreadPoolExecutor render;
    private final AdminServer server;

    private AdminPort(EventLoopGroup loop, ThreadPoolExecutor render, AdminServer server) {
        this.loop = loop;
        this.render = render;
        this.server = server;
    }

    /**
     * @param host bind address ({@code metrics.host}: loopback by default)
     * @param port the port, 0 for any free one
     * @param metrics what {@code /metrics} serves
     * @param ready whether the API accepts traffic ({@code /ready})
     * @param publicLimits the public port's limits (the admin port takes the same timeouts, fewer connections)
     * @return the bound port
     * @throws ControlApiException when the address cannot be bound (the message names {@code control.adminPort})
     */
    public static AdminPort start(String host, int port, ApiMetrics metrics, BooleanSupplier ready,
                                  HttpLimits publicLimits) {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, (ThreadFactory) r -> daemon(r, "kino-control-admin"),
                NioIoHandler.newFactory());
        ThreadPoolExecutor render = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8),
                r -> daemon(r, "kino-control-metrics"));
        try {
            AdminServer server = AdminServer.start(loop, NioServerSocketChannel.class, host, port, metrics::render,
                    render, ready, AdminServer.limits(publicLimits));
            return new AdminPort(loop, render, server);
        } catch (InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            render.shutdownNow();
            throw new ControlApiException("control.adminPort: cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** @return the bound port */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        render.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
