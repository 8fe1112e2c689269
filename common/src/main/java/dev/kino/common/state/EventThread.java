package dev.kino.common.state;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single daemon thread on which one state calls its {@link MessageListener}s, in order; a listener's
 * exception is logged and does not stop the others.
 */
final class EventThread {
    private static final Logger LOG = LoggerFactory.getLogger(EventThread.class);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ExecutorService executor;

    EventThread(String name) {
        String threadName = name + "-" + COUNT.incrementAndGet();
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on the event thread later; dropped silently once shut down. */
    void run(String what, Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    LOG.warn("Shared-state listener failed on {}", what, t);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Shared-state event dropped after close: {}", what);
        }
    }

    /** Lets queued events run for up to {@code millis}, then stops the thread. */
    void shutdown(long millis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                LOG.warn("Shared-state listeners still busy after {} ms at close; interrupting", millis);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    boolean terminated() {
        return executor.isTerminated();
    }
}
