package dev.kino.common.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kino.common.config.KinoConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedStatesTest {
    @Test
    void emptyUrlMeansInProcess() {
        try (SharedState s = SharedStates.create(new KinoConfig.Redis(""))) {
            assertInstanceOf(InProcessSharedState.class, s);
            assertEquals("in-process", s.description());
        }
    }

    @Test
    void masksUserInfo() {
        assertEquals("redis://***@cache:6379/0", SharedStates.maskUrl("redis://:s3cret@cache:6379/0"));
        assertEquals("rediss://***@cache:6380", SharedStates.maskUrl("rediss://kino:p@ss/w@rd@cache:6380"));
        assertEquals("redis://cache:6379", SharedStates.maskUrl("redis://cache:6379"));
        assertNull(SharedStates.maskUrl(null));
    }

    @Test
    void resultRecordsCheckTheirFields() {
        assertThrows(IllegalArgumentException.class,
                () -> new LeaseResult(LeaseResult.Outcome.GRANTED, 1, 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitResult(true, 0, 1, Duration.ofSeconds(1)));
        assertEquals(1, new RateLimitResult(false, 2, 1, Duration.ofMillis(1)).retryAfterSeconds());
        assertEquals(3, new RateLimitResult(false, 2, 1, Duration.ofMillis(2_001)).retryAfterSeconds());
    }

    @Test
    void blockingViewRejectsABadTimeout() {
        try (SharedState s = new InProcessSharedState()) {
            assertThrows(IllegalArgumentException.class, () -> s.blocking(Duration.ZERO));
        }
    }
}
