package dev.kino.control.search;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.UnavailableException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pools title searches and suggestions run on ({@code control.search.*}), apart from the handlers'
 * blocking threads: each a fixed number of threads with a bounded first-come-first-served queue, as Elasticsearch's
 * {@code search} thread pool is. The search routes name them as their executors
 * ({@link dev.kino.control.http.Router.RouteBuilder#executor}): the connection's event loop hands a search or a
 * suggestion straight to its pool, where it is parsed, run and rendered.
 *
 * <p>Why: a search is CPU work (1–3 ms). On the handlers' pool ({@code control.blockingThreads}, 16 by default)
 * sixteen of them run at once on a node's few cores, the cores are shared among all of them, and each takes about
 * sixteen / cores times its own CPU time; the expensive ones (misspelt words, long exact names) are stretched the
 * most and make the tail. With a few threads per core (by default Elasticsearch's size for its {@code search} pool,
 * processors × 3 / 2 + 1: 4 on two cores) a search is shared with at most one or two others once its turn comes:
 * the mean wait is about the same (the cores do the same work), the spread much smaller. Exactly one thread per core
 * measured worse on a shared machine: other processes' threads then take a larger share of the cores.
 * Suggestions (as-you-type, a few hundred microseconds) have their own pool so that they never queue behind
 * searches; with both pools busy the kernel shares the cores between the two.
 *
 * <p>When a queue is full the pool refuses at once: {@code execute} throws a
 * {@link RejectedExecutionException} whose cause is an {@link UnavailableException} naming the queue's setting
 * (503 {@code unavailable}, {@code Retry-After: 1}, answered on the event loop), so a flood of searches cannot queue
 * without bound or hold handler threads. A viewer's optional bearer token is resolved on the pool's thread (a cached
 * session and one PostgreSQL query): blocking, but not on an event loop; it holds a search thread for that round trip.
 *
 * <pre>{@code
 * SearchThreadPools pools = SearchThreadPools.start(config.control().search());
 * router.route(HttpMethod.GET, "/api/v1/search").executor(pools.searches())...
 * }</pre>
 */
public final class SearchThreadPools implements AutoCloseable {
    private final ThreadPoolExecutor search;
    private final ThreadPoolExecutor suggest;
    private final Executor searches;
    private final Executor suggestions;

    private SearchThreadPools(ThreadPoolExecutor search, ThreadPoolExecutor suggest) {
        this.search = search;
        this.suggest = suggest;
        // the pools themselves stay private: whoever runs work on them cannot shut them down
        this.searches = search::execute;
        this.suggestions = suggest::execute;
    }

    /**
     * Creates the pools; their threads start with the first calls.
     *
     * @param config threads and queue lengths ({@code control.search.*})
     * @return the pools
     */
    public static SearchThreadPools start(KinoConfig.SearchPools config) {
        return new SearchThreadPools(
                pool("kino-search", config.threads(), config.queue(), "searches", "control.search.queue"),
                pool("kino-suggest", config.suggestThreads(), config.suggestQueue(), "suggestions",
                        "control.search.suggestQueue"));
    }

    /** @return the shipped defaults ({@code config/kino.yaml}): processors × 3 / 2 + 1 threads and 1000 waiting, each */
    static KinoConfig.SearchPools defaults() {
        int threads = KinoConfig.SearchPools.defaultThreads();
        return new KinoConfig.SearchPools(threads, 1000, threads, 1000);
    }

    /**
     * @param what what waits in the queue, for the refusal's message
     * @param key the queue's setting, for the refusal's message
     */
    private static ThreadPoolExecutor pool(String name, int threads, int queue, String what, String key) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (task, pool) -> {
                    String message = pool.isShutdown()
                            ? "the " + what + "' pool is stopping with the node; retry shortly"
                            : "too many " + what + " at once: " + pool.getQueue().size() + " waiting for "
                                    + pool.getMaximumPoolSize() + " threads (" + key + "); retry shortly";
                    throw new RejectedExecutionException(message, new UnavailableException(message, 1, null));
                });
        // idle threads go after a minute: a node nobody searches holds none
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /**
     * @return the search pool, as the search route's executor: {@code execute} never blocks, and throws
     *         {@link RejectedExecutionException} (cause: {@link UnavailableException}, 503) when
     *         {@code control.search.queue} searches are already waiting
     */
    public Executor searches() {
        return searches;
    }

    /**
     * @return the suggestion pool (never behind searches), as the suggestion route's executor: {@code execute} never
     *         blocks, and throws {@link RejectedExecutionException} (cause: {@link UnavailableException}, 503) when
     *         {@code control.search.suggestQueue} suggestions are already waiting
     */
    public Executor suggestions() {
        return suggestions;
    }

    /** @return searches waiting for a thread now */
    int searchesWaiting() {
        return search.getQueue().size();
    }

    /** Stops taking work; waits up to 5 s for what is running and queued, then interrupts it. */
    @Override
    public void close() {
        for (ThreadPoolExecutor p : new ThreadPoolExecutor[]{search, suggest}) {
            p.shutdown();
        }
        try {
            for (ThreadPoolExecutor p : new ThreadPoolExecutor[]{search, suggest}) {
                if (!p.awaitTermination(5, TimeUnit.SECONDS)) {
                    p.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            search.shutdownNow();
            suggest.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
