package dev.kino.app.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * The running services of a long-lived command ({@code serve}, {@code media-server}, …): closed in
 * reverse start order on Ctrl-C (SIGINT/SIGTERM through a shutdown hook) or when a command stops.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final Deque<Named> services = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    private record Named(String name, AutoCloseable service) {
    }

    /**
     * Registers a started service to be closed at shutdown.
     *
     * @param name what to call it in the log
     * @param service the running service
     * @return the service, for chaining
     */
    public synchronized <T extends AutoCloseable> T add(String name, T service) {
        services.push(new Named(name, service));
        return service;
    }

    /** Blocks until Ctrl-C (or {@link #close()}), then returns after every service has closed. */
    public void awaitShutdown() throws InterruptedException {
        Thread hook = new Thread(this::close, "kino-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
    }

    /** Closes every service, newest first; a failure to close one is logged and the rest still close. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Named n;
            while ((n = poll()) != null) {
                try {
                    LOG.info("Stopping {}", n.name());
                    n.service().close();
                } catch (Exception e) {
                    LOG.warn("{} did not stop cleanly: {}", n.name(), e.toString(), e);
                }
            }
            LOG.info("Kino stopped");
        } finally {
            stopLogging();
            stopped.countDown();
        }
    }

    /** Flushes and stops logging (the asynchronous access log included): the last step of a shutdown. */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    private synchronized Named poll() {
        return services.poll();
    }
}
