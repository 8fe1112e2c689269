package dev.kino.control.search;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.UnavailableException;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.SearchableTitle;
import dev.kino.control.comments.CommentStore;
import dev.kino.control.forum.ForumStore;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search and suggestion pools: a full search queue refuses at once (a rejection naming the queue; 503 at the API,
 * with {@code Retry-After}), and suggestions are answered while every search thread is busy and the search queue is
 * full. The pools are held busy by tasks waiting on a latch, never by timing.
 */
class SearchThreadPoolsTest {

    /** Occupies every search thread and queue place of {@code pools} (one of each) until {@code release}. */
    private static List<CompletableFuture<String>> fillSearches(SearchThreadPools pools, CountDownLatch running,
                                                                CountDownLatch release) {
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            running.countDown();
            await(release);
            return "first";
        }, pools.searches());
        await(running); // the first has its thread: the next one waits in the queue
        CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> "queued", pools.searches());
        return List.of(first, queued);
    }

    @Test
    void aFullSearchQueueRefusesAtOnceNamingTheQueueAndTheQueuedSearchesStillRun() throws Exception {
        try (SearchThreadPools pools = SearchThreadPools.start(new KinoConfig.SearchPools(1, 1, 1, 1))) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<String>> admitted = fillSearches(pools, running, release);
            assertEquals(1, pools.searchesWaiting());
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                    () -> pools.searches().execute(() -> { }));
            UnavailableException cause = assertInstanceOf(UnavailableException.class, e.getCause());
            assertEquals(1, cause.retryAfterSeconds());
            assertTrue(cause.getMessage().contains("control.search.queue"), cause.getMessage());
            release.countDown();
            assertEquals("first", admitted.get(0).get(10, TimeUnit.SECONDS));
            assertEquals("queued", admitted.get(1).get(10, TimeUnit.SECONDS));
            assertEquals("again", CompletableFuture.supplyAsync(() -> "again", pools.searches())
                    .get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void suggestionsRunWhileSearchesQueue() throws Exception {
        try (SearchThreadPools pools = SearchThreadPools.start(new KinoConfig.SearchPools(1, 1, 1, 1))) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<String>> admitted = fillSearches(pools, running, release);
            assertEquals("suggested", CompletableFuture.supplyAsync(() -> "suggested", pools.suggestions())
                    .get(10, TimeUnit.SECONDS));
            assertTrue(!admitted.get(0).isDone() && !admitted.get(1).isDone());
            release.countDown();
            admitted.get(1).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClosedPoolRefusesSayingTheNodeIsStopping() {
        SearchThreadPools pools = SearchThreadPools.start(new KinoConfig.SearchPools(1, 1, 1, 1));
        pools.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> pools.suggestions().execute(() -> { }));
        UnavailableException cause = assertInstanceOf(UnavailableException.class, e.getCause());
        assertTrue(cause.getMessage().contains("stopping"), cause.getMessage());
    }

    @Test
    void atTheApiAFullSearchQueueIs503WithRetryAfterAndSuggestionsStill200() throws Exception {
        KinoConfig config = SharedDatabase.config("control.search.threads=1", "control.search.queue=1",
                "control.search.suggestThreads=1", "control.search.suggestQueue=1");
        assertEquals(new KinoConfig.SearchPools(1, 1, 1, 1), config.control().search());
        try (TitleSearch search = new TitleSearch(null, Duration.ZERO, config.control().search())) {
            search.load(List.of(new SearchableTitle(UUID.randomUUID(), "movie", "Quillwright Harbour", "en", Map.of(),
                    Map.of("en", "A lighthouse keeper's year."), 2001, 0, List.of("drama"), List.of(), List.of(),
                    List.of(), 10, 0, 0, true, Set.of("en"), Set.of(), Set.of("en"), Set.of(), Instant.EPOCH)), 6.5);
            Catalog catalog = new Catalog(SharedDatabase.get().jdbi(), Clock.systemUTC());
            try (FeatureServer server = FeatureServer.start(config, r -> SearchRoutes.register(r, search,
                    new ForumSearch(new ForumStore(SharedDatabase.get().jdbi()),
                            new CommentStore(SharedDatabase.get().jdbi()), catalog),
                    FeatureServer.access(SharedDatabase.get().jdbi())))) {
                Http http = server.http();
                assertEquals(200, http.get("/api/v1/search?q=quillwright", null).status());
                CountDownLatch running = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                List<CompletableFuture<String>> admitted = fillSearches(search.pools(), running, release);
                try {
                    Http.Resp refused = http.get("/api/v1/search?q=quillwright", null);
                    assertEquals(503, refused.status(), refused.text());
                    assertEquals("1", refused.header("Retry-After"));
                    assertTrue(refused.header("Content-Type").startsWith("application/problem+json"));
                    assertTrue(refused.json().path("detail").asText().contains("control.search.queue"),
                            refused.text());
                    Http.Resp suggested = http.get("/api/v1/search/suggest?q=quillw", null);
                    assertEquals(200, suggested.status(), suggested.text());
                    assertEquals("Quillwright Harbour", suggested.json().path("suggestions").path(0).path("name").asText(),
                            suggested.text());
                } finally {
                    release.countDown();
                }
                admitted.get(1).get(10, TimeUnit.SECONDS);
                Http.Resp again = http.get("/api/v1/search?q=quillwright", null);
                assertEquals(200, again.status(), again.text());
                assertEquals("Quillwright Harbour", again.json().path("hits").path(0).path("name").asText());
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
