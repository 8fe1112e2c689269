package dev.kino.common.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SharedState} must do. Subclasses provide the implementation and the way time passes: a
 * moved clock in process, real (short) time with Redis, where the condition is polled with a generous bound.
 */
abstract class SharedStateContractTest {
    static final Duration LONG = Duration.ofMinutes(10);
    static final Duration WAIT = Duration.ofSeconds(15);

    protected SharedState state;
    protected BlockingSharedState sync;

    /** @return a new open state on a clean store */
    protected abstract SharedState open() throws Exception;

    /** @return a TTL short enough to wait out in a test, long enough never to pass by accident between two calls */
    protected abstract Duration shortTtl();

    /**
     * Lets {@code ttl} pass (after which what was written with it has expired), then asserts {@code condition}:
     * in process by moving the clock, with Redis by polling the condition for up to {@code ttl} + 15 s.
     */
    protected abstract void awaitExpiry(Duration ttl, Callable<Boolean> condition) throws Exception;

    @BeforeEach
    void openState() throws Exception {
        state = open();
        sync = state.blocking(WAIT);
    }

    @AfterEach
    void closeState() {
        state.close();
    }

    // ---- values ---------------------------------------------------------------------------------------------

    @Test
    void putGetDelete() {
        assertEquals(Optional.empty(), sync.get("a"));
        sync.put("a", "1");
        assertEquals(Optional.of("1"), sync.get("a"));
        sync.put("a", "");
        assertEquals(Optional.of(""), sync.get("a"));
        assertTrue(sync.delete("a"));
        assertEquals(Optional.empty(), sync.get("a"));
        assertFalse(sync.delete("a"));
    }

    @Test
    void valueWithTtlExpires() throws Exception {
        Duration ttl = shortTtl();
        sync.put("flag", "on", ttl);
        sync.put("kept", "yes", LONG);
        assertEquals(Optional.of("on"), sync.get("flag"));
        awaitExpiry(ttl, () -> sync.get("flag").isEmpty());
        assertFalse(sync.delete("flag"));
        assertEquals(Optional.of("yes"), sync.get("kept"));
    }

    @Test
    void putWithoutTtlClearsAnEarlierTtl() throws Exception {
        Duration ttl = shortTtl();
        sync.put("k", "old", ttl);
        sync.put("k", "new");
        sync.put("probe", "x", ttl); // written after k's old TTL started: once it is gone, that TTL has passed too
        awaitExpiry(ttl, () -> sync.get("probe").isEmpty());
        assertEquals(Optional.of("new"), sync.get("k"));
    }

    @Test
    void putIfAbsentStoresOnlyOnceUntilExpiry() throws Exception {
        Duration ttl = shortTtl();
        assertTrue(sync.putIfAbsent("lock", "first", ttl));
        assertFalse(sync.putIfAbsent("lock", "second", ttl));
        assertEquals(Optional.of("first"), sync.get("lock"));
        awaitExpiry(ttl, () -> sync.get("lock").isEmpty());
        assertTrue(sync.putIfAbsent("lock", "third", LONG));
        assertEquals(Optional.of("third"), sync.get("lock"));
    }

    @Test
    void kindsOfKeysAreSeparateNamespaces() {
        sync.put("x", "value");
        assertTrue(sync.addToSet("x", "member"));
        assertTrue(sync.acquireLease("x", "h", 1, LONG).granted());
        assertTrue(sync.hit("x", 1, LONG).allowed());
        assertEquals(Optional.of("value"), sync.get("x"));
        assertEquals(Set.of("member"), sync.members("x"));
        assertEquals(Set.of("h"), sync.leaseHolders("x"));
    }

    @Test
    void argumentsAreCheckedAtOnce() {
        assertThrows(NullPointerException.class, () -> state.get(null));
        assertThrows(IllegalArgumentException.class, () -> state.get(""));
        assertThrows(NullPointerException.class, () -> state.put("k", null));
        assertThrows(IllegalArgumentException.class, () -> state.put("k", "v", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> state.put("k", "v", Duration.ofNanos(999_999)));
        assertThrows(IllegalArgumentException.class, () -> state.put("k", "v", Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> state.put("k", "v", Duration.ofDays(40_000)));
        assertThrows(IllegalArgumentException.class, () -> state.acquireLease("g", "h", 0, LONG));
        assertThrows(IllegalArgumentException.class, () -> state.acquireLease("g", "", 1, LONG));
        assertThrows(IllegalArgumentException.class, () -> state.hit("k", 0, LONG));
        assertThrows(IllegalArgumentException.class, () -> state.hit("k", 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> state.publish("", "m"));
        assertThrows(NullPointerException.class, () -> state.subscribe("c", null));
    }

    // ---- sets -----------------------------------------------------------------------------------------------

    @Test
    void setMembership() {
        assertEquals(Set.of(), sync.members("taken-down"));
        assertFalse(sync.isMember("taken-down", "t1"));
        assertTrue(sync.addToSet("taken-down", "t1"));
        assertFalse(sync.addToSet("taken-down", "t1"));
        assertTrue(sync.addToSet("taken-down", "t2"));
        assertTrue(sync.isMember("taken-down", "t1"));
        Set<String> members = sync.members("taken-down");
        assertEquals(Set.of("t1", "t2"), members);
        assertThrows(UnsupportedOperationException.class, () -> members.add("t3"));
        assertTrue(sync.removeFromSet("taken-down", "t1"));
        assertFalse(sync.removeFromSet("taken-down", "t1"));
        assertTrue(sync.removeFromSet("taken-down", "t2"));
        assertEquals(Set.of(), sync.members("taken-down"));
        assertFalse(sync.removeFromSet("never", "x"));
    }

    // ---- pub/sub --------------------------------------------------------------------------------------------

    @Test
    void publishReachesEveryListenerInOrderOffTheCallerThread() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        sync.subscribe("takedown", a);
        sync.subscribe("takedown", b);
        for (int i = 0; i < 50; i++) {
            sync.publish("takedown", "title-" + i);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("takedown:title-" + i, a.next());
            assertEquals("takedown:title-" + i, b.next());
        }
        assertNotEquals(Thread.currentThread(), a.threads.take());
    }

    @Test
    void onSubscribedRunsOnceAfterSubscribe() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        sync.subscribe("c", a);
        sync.subscribe("c", b);
        sync.publish("c", "m"); // once delivered, the earlier onSubscribed calls have run (same thread, in order)
        a.next();
        b.next();
        assertEquals(1, a.subscribed.get());
        assertEquals(1, b.subscribed.get());
    }

    @Test
    void closedSubscriptionGetsNothingMore() throws Exception {
        Recorder gone = new Recorder();
        Recorder stays = new Recorder();
        Recorder onlyOne = new Recorder();
        Subscription s = sync.subscribe("shared", gone);
        sync.subscribe("shared", stays);
        Subscription last = sync.subscribe("alone", onlyOne);
        assertEquals("shared", s.channel());

        s.close();
        s.close(); // idempotent
        last.close(); // the channel's last listener: the node unsubscribes
        sync.publish("shared", "m1");
        sync.publish("alone", "m2");
        sync.publish("shared", "m3");
        assertEquals("shared:m1", stays.next());
        assertEquals("shared:m3", stays.next()); // everything published before m3 has been handed out by now
        assertEquals(List.of(), gone.drained());
        assertEquals(List.of(), onlyOne.drained());

        Recorder again = new Recorder();
        sync.subscribe("alone", again); // resubscribing after the unsubscribe works
        sync.publish("alone", "m4");
        assertEquals("alone:m4", again.next());
    }

    @Test
    void channelsAreSeparateAndAFailingListenerHarmsNoOther() throws Exception {
        Recorder other = new Recorder();
        Recorder good = new Recorder();
        sync.subscribe("other", other);
        sync.subscribe("c", (channel, message) -> {
            throw new IllegalStateException("listener bug (expected in this test)");
        });
        sync.subscribe("c", good);
        sync.publish("c", "1");
        sync.publish("c", "2");
        sync.publish("other", "3");
        assertEquals("c:1", good.next());
        assertEquals("c:2", good.next());
        assertEquals("other:3", other.next());
        assertEquals(List.of(), other.drained());
    }

    @Test
    void publishWithoutListenersSucceeds() {
        sync.publish("nobody-listens", "hello");
    }

    // ---- leases ---------------------------------------------------------------------------------------------

    @Test
    void leasesUpToTheLimitThenRefusal() {
        LeaseResult first = sync.acquireLease("acct", "s1", 3, LONG);
        assertEquals(new LeaseResult(LeaseResult.Outcome.GRANTED, 1, 3, Duration.ZERO), first);
        assertEquals(2, sync.acquireLease("acct", "s2", 3, LONG).holders());
        assertEquals(3, sync.acquireLease("acct", "s3", 3, LONG).holders());
        LeaseResult refused = sync.acquireLease("acct", "s4", 3, LONG);
        assertFalse(refused.granted());
        assertEquals(LeaseResult.Outcome.REFUSED, refused.outcome());
        assertEquals(3, refused.holders());
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0 && refused.retryAfter().compareTo(LONG) <= 0,
                refused.toString());
        assertEquals(Set.of("s1", "s2", "s3"), sync.leaseHolders("acct"));
        assertTrue(sync.acquireLease("other-acct", "s4", 3, LONG).granted()); // groups are independent
    }

    @Test
    void sameHolderRenewsEvenOverALoweredLimit() {
        sync.acquireLease("acct", "s1", 2, LONG);
        sync.acquireLease("acct", "s2", 2, LONG);
        LeaseResult renewed = sync.acquireLease("acct", "s1", 2, LONG);
        assertTrue(renewed.granted());
        assertTrue(renewed.renewed());
        assertEquals(2, renewed.holders());
        LeaseResult downgraded = sync.acquireLease("acct", "s2", 1, LONG);
        assertEquals(LeaseResult.Outcome.RENEWED, downgraded.outcome());
        assertEquals(2, downgraded.holders());
        assertFalse(sync.acquireLease("acct", "s3", 2, LONG).granted());
    }

    @Test
    void releaseFreesASlot() {
        sync.acquireLease("acct", "s1", 1, LONG);
        assertFalse(sync.acquireLease("acct", "s2", 1, LONG).granted());
        assertTrue(sync.releaseLease("acct", "s1"));
        assertFalse(sync.releaseLease("acct", "s1"));
        assertFalse(sync.releaseLease("nobody", "s1"));
        assertEquals(Set.of(), sync.leaseHolders("acct"));
        assertEquals(LeaseResult.Outcome.GRANTED, sync.acquireLease("acct", "s2", 1, LONG).outcome());
    }

    @Test
    void expiredLeasesDropOut() throws Exception {
        Duration ttl = shortTtl();
        for (String s : List.of("s1", "s2", "s3")) {
            assertTrue(sync.acquireLease("acct", s, 3, ttl).granted());
        }
        LeaseResult refused = sync.acquireLease("acct", "s4", 3, LONG);
        assertFalse(refused.granted());
        assertTrue(refused.retryAfter().compareTo(ttl) <= 0, refused.toString());
        awaitExpiry(ttl, () -> sync.leaseHolders("acct").isEmpty());
        assertEquals(LeaseResult.Outcome.GRANTED, sync.acquireLease("acct", "s4", 3, LONG).outcome());
        assertEquals(Set.of("s4"), sync.leaseHolders("acct"));
        // s1's lease expired: taking it again is a new grant, not a renewal
        assertEquals(LeaseResult.Outcome.GRANTED, sync.acquireLease("acct", "s1", 3, LONG).outcome());
    }

    @Test
    void twentyThreadsRaceForThreeSlots() throws Exception {
        int threads = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<LeaseResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String holder = "session-" + i;
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return sync.acquireLease("family", holder, 3, LONG);
                }));
            }
            assertTrue(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            go.countDown();
            int granted = 0;
            for (Future<LeaseResult> f : results) {
                LeaseResult r = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (r.granted()) {
                    granted++;
                    assertFalse(r.renewed());
                } else {
                    assertEquals(3, r.holders());
                }
            }
            assertEquals(3, granted);
            assertEquals(3, sync.leaseHolders("family").size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyAsyncAcquiresAtOnceGrantExactlyTheLimit() throws Exception {
        List<CompletableFuture<LeaseResult>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(state.acquireLease("family", "session-" + i, 5, LONG).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(5, all.stream().filter(f -> f.join().granted()).count());
    }

    // ---- rate limits ----------------------------------------------------------------------------------------

    @Test
    void rateLimitAllowsTheLimitThenRefusesWithRetryAfter() {
        Duration window = Duration.ofMinutes(15);
        for (int i = 1; i <= 3; i++) {
            RateLimitResult r = sync.hit("login:acct:42", 3, window);
            assertTrue(r.allowed(), r.toString());
            assertEquals(i, r.count());
            assertEquals(3 - i, r.remaining());
            assertEquals(Duration.ZERO, r.retryAfter());
            assertEquals(0, r.retryAfterSeconds());
            assertTrue(r.resetAfter().compareTo(window) <= 0);
        }
        RateLimitResult refused = sync.hit("login:acct:42", 3, window);
        assertFalse(refused.allowed());
        assertEquals(4, refused.count());
        assertEquals(0, refused.remaining());
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0
                && refused.retryAfter().compareTo(window) <= 0, refused.toString());
        assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= window.toSeconds());
        assertTrue(sync.hit("login:ip:203.0.113.7", 3, window).allowed()); // keys are independent
    }

    @Test
    void rateLimitWindowEnds() throws Exception {
        Duration window = shortTtl();
        sync.hit("k", 1, window);
        assertFalse(sync.hit("k", 1, window).allowed());
        awaitExpiry(window, () -> sync.hit("k", 1, window).allowed());
    }

    @Test
    void resetRateLimitStartsOver() {
        sync.hit("k", 2, LONG);
        sync.hit("k", 2, LONG);
        assertFalse(sync.hit("k", 2, LONG).allowed());
        assertTrue(sync.resetRateLimit("k"));
        assertFalse(sync.resetRateLimit("k"));
        RateLimitResult r = sync.hit("k", 2, LONG);
        assertTrue(r.allowed());
        assertEquals(1, r.count());
    }

    @Test
    void concurrentHitsAllowExactlyTheLimit() throws Exception {
        List<CompletableFuture<RateLimitResult>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(state.hit("burst", 5, LONG).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(5, all.stream().filter(f -> f.join().allowed()).count());
        assertEquals(41, sync.hit("burst", 5, LONG).count());
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    @Test
    void pingAndDescription() {
        sync.ping();
        assertFalse(state.description().isEmpty());
    }

    @Test
    void afterCloseEverythingFailsWithIllegalState() throws Exception {
        Recorder r = new Recorder();
        sync.subscribe("c", r);
        state.close();
        state.close(); // idempotent
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> state.get("k").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertThrows(IllegalStateException.class, () -> sync.put("k", "v"));
        assertThrows(IllegalStateException.class, () -> sync.publish("c", "m"));
        assertThrows(IllegalStateException.class, () -> sync.subscribe("c", new Recorder()));
        assertThrows(IllegalStateException.class, () -> sync.acquireLease("g", "h", 1, LONG));
        assertThrows(IllegalStateException.class, () -> sync.hit("k", 1, LONG));
        assertThrows(IllegalStateException.class, sync::ping);
    }
}
