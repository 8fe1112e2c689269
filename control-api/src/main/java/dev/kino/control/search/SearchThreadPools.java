package dev.kino.control.search;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.UnavailableException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The thread pools title searches and suggestions run on ({@code control.search.*}), apart from the handlers'
 * blocking threads: each a fixed number of threads with a bounded first-come-first-served queue, as Elasticsearch's
 * {@code search} thread pool is.
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
 * <p>When a queue is full the call fails at once with {@link UnavailableException} (503 {@code unavailable},
 * {@code Retry-After: 1}), so a flood of searches cannot queue without bound or hold handler threads. The handler
 * thread never waits: it hands the work over and returns {@link dev.kino.control.http.Response#later}, and the
 * answer is serialised on the pool's thread when the work completes.
 *
 * <pre>{@code
 * SearchThreadPools pools = SearchThreadPools.start(config.control().search());
 * CompletableFuture<SearchResults> r = pools.search(() -> titles.search(request, viewer, cursor));
 * }</pre>
 */
public final class SearchThreadPools implements AutoCloseable {
    private final ThreadPoolExecutor search;
    private final ThreadPoolExecutor suggest;

    private SearchThreadPools(ThreadPoolExecutor search, ThreadPoolExecutor suggest) {
        this.search = search;
        this.suggest = suggest;
    }

    /**
     * Creates the pools; their threads start with the first calls.
     *
     * @param config threads and queue lengths ({@code control.search.*})
     * @return the pools
     */
    public static SearchThreadPools start(KinoConfig.SearchPools config) {
        return new SearchThreadPools(pool("kino-search", config.threads(), config.queue()),
                pool("kino-suggest", config.suggestThreads(), config.suggestQueue()));
    }

    /** @return the shipped defaults ({@code config/kino.yaml}): processors × 3 / 2 + 1 threads and 1000 waiting, each */
    static KinoConfig.SearchPools defaults() {
        int threads = KinoConfig.SearchPools.defaultThreads();
        return new KinoConfig.SearchPools(threads, 1000, threads, 1000);
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        // idle threads go after a minute: a node nobody searches holds none
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /**
     * Runs a search on the search pool.
     *
     * @param work the search (and anything else CPU-bound that belongs to it, such as rendering)
     * @return completes with its result, or exceptionally with what it threw
     * @throws UnavailableException when {@code control.search.queue} searches are already waiting (503)
     */
    public <T> CompletableFuture<T> search(Supplier<T> work) {
        return submit(search, "searches", "control.search.queue", work);
    }

    /**
     * Runs a suggestion on the suggestion pool (never behind searches).
     *
     * @param work the suggestion
     * @return completes with its result, or exceptionally with what it threw
     * @throws UnavailableException when {@code control.search.suggestQueue} suggestions are already waiting (503)
     */
    public <T> CompletableFuture<T> suggest(Supplier<T> work) {
        return submit(suggest, "suggestions", "control.search.suggestQueue", work);
    }

    private static <T> CompletableFuture<T> submit(ThreadPoolExecutor pool, String what, String key, Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            throw new UnavailableException("too many " + what + " at once: " + pool.getQueue().size()
                    + " waiting for " + pool.getMaximumPoolSize() + " threads (" + key + "); retry shortly", 1, e);
        }
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
