package dev.kino.common.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.kino.common.config.KinoConfig;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The contract on {@link RedisSharedState} against a real redis-server (embedded-redis's binary), plus what only
 * Redis has: several nodes, lost connections, a restarted server, the data layout, credentials.
 */
class RedisSharedStateTest extends SharedStateContractTest {
    private static final String SECRET = "hunter2-s3cret";

    private static EmbeddedRedis redis;
    private static ClientResources resources;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> adminConnection;
    private static RedisCommands<String, String> admin;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = EmbeddedRedis.start(null);
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        adminClient = RedisClient.create(resources, redis.url());
        adminConnection = adminClient.connect();
        admin = adminConnection.sync();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (adminConnection != null) {
            adminConnection.close();
            adminClient.shutdown();
        }
        if (resources != null) {
            resources.shutdown().get(10, TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected SharedState open() {
        admin.flushall();
        return node();
    }

    /** @return another node on the same Redis */
    private static RedisSharedState node() {
        return RedisSharedState.connect(redis.url(), resources, RedisSharedState.DEFAULT_PREFIX);
    }

    @Override
    protected Duration shortTtl() {
        return Duration.ofMillis(1500);
    }

    @Override
    protected void awaitExpiry(Duration ttl, Callable<Boolean> condition) throws Exception {
        poll(ttl.plus(WAIT), condition, "condition after " + ttl);
    }

    private static void poll(Duration bound, Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                fail(what + " not met within " + bound);
            }
            Thread.sleep(25);
        }
    }

    // ---- several nodes --------------------------------------------------------------------------------------

    @Test
    void nodesShareMessagesAndDurableState() throws Exception {
        try (RedisSharedState mediaNode = node()) {
            Recorder takedowns = new Recorder();
            mediaNode.blocking(WAIT).subscribe("takedowns", takedowns);
            sync.addToSet("taken-down", "title-7");
            sync.publish("takedowns", "title-7");
            assertEquals("takedowns:title-7", takedowns.next());
        }
        try (BlockingSharedState restarted = node().blocking(WAIT)) { // a node started later still knows
            assertTrue(restarted.isMember("taken-down", "title-7"));
            assertEquals(Set.of("title-7"), restarted.members("taken-down"));
        }
    }

    @Test
    void leaseRaceAcrossTwoNodes() throws Exception {
        int threads = 20;
        try (RedisSharedState other = node()) {
            List<BlockingSharedState> nodes = List.of(sync, other.blocking(WAIT));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<LeaseResult>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    BlockingSharedState node = nodes.get(i % 2);
                    String holder = "session-" + i;
                    results.add(pool.submit(() -> {
                        go.await();
                        return node.acquireLease("family", holder, 3, LONG);
                    }));
                }
                go.countDown();
                int granted = 0;
                for (Future<LeaseResult> f : results) {
                    granted += f.get(WAIT.toSeconds(), TimeUnit.SECONDS).granted() ? 1 : 0;
                }
                assertEquals(3, granted);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ---- connection loss ------------------------------------------------------------------------------------

    @Test
    void resubscribesAfterTheConnectionIsKilled() throws Exception {
        Recorder r = new Recorder();
        sync.subscribe("takedowns", r);
        poll(WAIT, () -> r.subscribed.get() == 1, "first onSubscribed");
        admin.clientKill(KillArgs.Builder.typePubsub());
        poll(Duration.ofSeconds(40), () -> r.subscribed.get() >= 2, "onSubscribed after reconnection");
        sync.publish("takedowns", "title-9");
        assertEquals("takedowns:title-9", r.next());
    }

    @Test
    void survivesARedisRestartWithAPassword() throws Exception {
        try (EmbeddedRedis own = EmbeddedRedis.start(SECRET)) {
            String url = "redis://:" + SECRET + "@127.0.0.1:" + own.port + "?timeout=1s";
            try (RedisSharedState node = RedisSharedState.connect(url, resources, "kino:")) {
                assertFalse(node.description().contains(SECRET), node.description());
                assertEquals("redis redis://***@127.0.0.1:" + own.port + "?timeout=1s", node.description());
                BlockingSharedState s = node.blocking(WAIT);
                Recorder r = new Recorder();
                s.subscribe("takedowns", r);
                assertTrue(s.acquireLease("acct", "s1", 1, LONG).granted()); // script now cached by the server

                own.stop();
                ExecutionException down = assertThrows(ExecutionException.class,
                        () -> node.get("k").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(SharedStateException.class, down.getCause());
                assertNoSecret(down.getCause());

                own.start(); // empty: no data, no scripts
                poll(Duration.ofSeconds(60), () -> r.subscribed.get() >= 2, "resubscription after restart");
                poll(WAIT, () -> pings(node), "commands after restart");
                assertTrue(s.acquireLease("acct", "s2", 1, LONG).granted()); // NOSCRIPT → EVAL
                s.publish("takedowns", "title-3");
                assertEquals("takedowns:title-3", r.next());
            }
        }
    }

    @Test
    void flushedScriptCacheIsReloaded() {
        assertTrue(sync.hit("k", 5, LONG).allowed());
        sync.acquireLease("g", "h1", 5, LONG);
        admin.scriptFlush();
        assertEquals(2, sync.hit("k", 5, LONG).count());
        assertEquals(2, sync.acquireLease("g", "h2", 5, LONG).holders());
        assertEquals(Set.of("h1", "h2"), sync.leaseHolders("g"));
    }

    // ---- resources ------------------------------------------------------------------------------------------

    @Test
    void closeReleasesConnections() throws Exception {
        // the state of this test: commands + pub/sub (polled: the server may still list a previous test's)
        poll(WAIT, () -> kinoClients() == 2, "this test's connections only");
        RedisSharedState other = node();
        other.blocking(WAIT).subscribe("c", new Recorder());
        poll(WAIT, () -> kinoClients() == 4, "two more connections");
        other.close();
        poll(WAIT, () -> kinoClients() == 2, "connections closed");
        state.close();
        poll(WAIT, () -> kinoClients() == 0, "connections closed");
    }

    @Test
    void closeWithOwnResourcesStopsEverything() throws Exception {
        poll(WAIT, () -> kinoClients() == 2, "this test's connections only");
        RedisSharedState own = RedisSharedState.connect(redis.url());
        own.blocking(WAIT).subscribe("c", new Recorder());
        poll(WAIT, () -> kinoClients() == 4, "two more connections");
        own.close();
        poll(WAIT, () -> kinoClients() == 2, "connections closed");
    }

    private static long kinoClients() {
        return admin.clientList().lines()
                .filter(l -> l.contains(" name=" + RedisSharedState.DEFAULT_CLIENT_NAME + " ")).count();
    }

    private static boolean pings(SharedState s) {
        try {
            s.ping().toCompletableFuture().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- layout ---------------------------------------------------------------------------------------------

    @Test
    void keysFollowTheDocumentedLayout() {
        sync.put("plain", "1");
        sync.put("ttl", "1", LONG);
        sync.addToSet("taken-down", "t");
        sync.acquireLease("acct", "s", 2, Duration.ofMinutes(1));
        sync.hit("login:ip:1", 5, Duration.ofMinutes(1));
        assertEquals(Set.of("kino:v:plain", "kino:v:ttl", "kino:s:taken-down", "kino:l:acct", "kino:r:login:ip:1"),
                Set.copyOf(admin.keys("*")));
        assertEquals(-1, admin.pttl("kino:v:plain"));
        assertEquals(-1, admin.pttl("kino:s:taken-down"));
        long leaseTtl = admin.pttl("kino:l:acct");
        assertTrue(leaseTtl > 0 && leaseTtl <= 60_000, "lease key expires with its last lease: " + leaseTtl);
        long rateTtl = admin.pttl("kino:r:login:ip:1");
        assertTrue(rateTtl > 0 && rateTtl <= 60_000, "counter expires with its window: " + rateTtl);
    }

    @Test
    void prefixesIsolateDeployments() {
        sync.put("k", "kino");
        try (RedisSharedState other = RedisSharedState.connect(redis.url(), resources, "staging:")) {
            BlockingSharedState s = other.blocking(WAIT);
            assertEquals(Optional.empty(), s.get("k"));
            s.put("k", "staging");
        }
        assertEquals(Optional.of("kino"), sync.get("k"));
    }

    @Test
    void factoryConnectsWhenAUrlIsConfigured() {
        try (SharedState s = SharedStates.create(new KinoConfig.Redis(redis.url()))) {
            assertInstanceOf(RedisSharedState.class, s);
            assertEquals("redis " + redis.url(), s.description());
            s.blocking(WAIT).put("k", "v");
            assertEquals(Optional.of("v"), sync.get("k"));
        }
    }

    // ---- credentials ----------------------------------------------------------------------------------------

    @Test
    void credentialsAppearInNoMessageAndNoLog() throws Exception {
        withCapturedLogs(events -> {
            SharedStateException wrongPassword = assertThrows(SharedStateException.class, () ->
                    RedisSharedState.connect("redis://kino:" + SECRET + "@127.0.0.1:" + redis.port, resources, "k:"));
            assertNoSecret(wrongPassword);
            assertTrue(wrongPassword.getMessage().contains("redis://***@127.0.0.1:" + redis.port),
                    wrongPassword.getMessage());

            int closedPort;
            try {
                closedPort = EmbeddedRedis.freePort();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            SharedStateException unreachable = assertThrows(SharedStateException.class, () ->
                    RedisSharedState.connect("redis://:" + SECRET + "@127.0.0.1:" + closedPort, resources, "k:"));
            assertNoSecret(unreachable);

            IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () ->
                    RedisSharedState.connect("http://:" + SECRET + "@127.0.0.1:6379", resources, "k:"));
            assertNoSecret(invalid);

            for (ILoggingEvent e : events) {
                assertFalse(e.getFormattedMessage().contains(SECRET), e.getFormattedMessage());
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    assertFalse(String.valueOf(t.getMessage()).contains(SECRET), t.getMessage());
                }
            }
        });
    }

    private static void assertNoSecret(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertFalse(String.valueOf(c.getMessage()).contains(SECRET), c.toString());
            assertFalse(c.toString().contains(SECRET), c.toString());
        }
    }

    private static void withCapturedLogs(Consumer<List<ILoggingEvent>> body) {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.kino");
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try {
            body.accept(appender.list);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
    }
}
