package dev.kino.common.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The contract on {@link InProcessSharedState}, time moved by hand, plus exact boundaries only a clock allows. */
class InProcessSharedStateTest extends SharedStateContractTest {
    private MutableClock clock;

    @Override
    protected SharedState open() {
        clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        return new InProcessSharedState(clock);
    }

    @Override
    protected Duration shortTtl() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected void awaitExpiry(Duration ttl, Callable<Boolean> condition) throws Exception {
        clock.advance(ttl);
        assertTrue(condition.call(), "condition after " + ttl);
    }

    @Test
    void valueExpiresExactlyAtItsTtl() {
        sync.put("k", "v", Duration.ofSeconds(10));
        clock.advance(Duration.ofMillis(9_999));
        assertEquals(Optional.of("v"), sync.get("k"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), sync.get("k"));
    }

    @Test
    void valueWithoutTtlNeverExpires() {
        sync.put("k", "v");
        clock.advance(Duration.ofDays(3650));
        assertEquals(Optional.of("v"), sync.get("k"));
    }

    @Test
    void leaseBoundariesAndRetryAfter() {
        sync.acquireLease("acct", "s1", 1, Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(20));
        LeaseResult refused = sync.acquireLease("acct", "s2", 1, Duration.ofSeconds(60));
        assertEquals(new LeaseResult(LeaseResult.Outcome.REFUSED, 1, 1, Duration.ofSeconds(40)), refused);
        // a renewal pushes the expiry to now + ttl
        assertTrue(sync.acquireLease("acct", "s1", 1, Duration.ofSeconds(60)).renewed());
        clock.advance(Duration.ofMillis(59_999));
        assertFalse(sync.acquireLease("acct", "s2", 1, Duration.ofSeconds(60)).granted());
        assertEquals(Set.of("s1"), sync.leaseHolders("acct"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(Set.of(), sync.leaseHolders("acct"));
        assertEquals(LeaseResult.Outcome.GRANTED, sync.acquireLease("acct", "s2", 1, Duration.ofSeconds(60)).outcome());
    }

    @Test
    void rateWindowBoundariesAndRetryAfter() {
        Duration window = Duration.ofMinutes(1);
        sync.hit("k", 1, window);
        clock.advance(Duration.ofMillis(58_500));
        RateLimitResult refused = sync.hit("k", 1, window);
        assertEquals(Duration.ofMillis(1_500), refused.retryAfter());
        assertEquals(2, refused.retryAfterSeconds());
        clock.advance(Duration.ofMillis(1_499));
        assertFalse(sync.hit("k", 1, window).allowed()); // refused hits do not extend the window
        clock.advance(Duration.ofMillis(1));
        RateLimitResult fresh = sync.hit("k", 1, window);
        assertTrue(fresh.allowed());
        assertEquals(1, fresh.count());
        assertEquals(window, fresh.resetAfter());
    }

    @Test
    void purgeDropsExpiredEntries() {
        InProcessSharedState s = (InProcessSharedState) state;
        sync.put("v", "1", Duration.ofSeconds(1));
        sync.acquireLease("g", "h", 1, Duration.ofSeconds(1));
        sync.hit("r", 1, Duration.ofSeconds(1));
        sync.put("kept", "1");
        clock.advance(Duration.ofSeconds(1));
        s.purgeExpired();
        assertEquals(Optional.of("1"), sync.get("kept"));
        assertFalse(sync.resetRateLimit("r"));
        assertFalse(sync.releaseLease("g", "h"));
    }

    @Test
    void closeStopsItsThreads() throws Exception {
        InProcessSharedState s = (InProcessSharedState) state;
        sync.subscribe("c", new Recorder());
        state.close();
        assertTrue(s.terminated());
    }
}
