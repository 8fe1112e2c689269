package dev.kino.control.auth;

import dev.kino.common.state.SharedState;
import dev.kino.control.RateLimitedException;
import dev.kino.control.support.SharedRedis;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every auth flow of {@link AuthFlowTest} (rate limits, lockouts, refresh reuse) on a node whose shared state is a real Redis. */
class AuthFlowRedisTest extends AuthFlowTest {
    @Override
    TestApi.Node node() {
        return TestApi.redis();
    }

    @Test
    void aLockoutIsSeenByEveryNode() {
        TestApi.Node api = node();
        TestApi.User u = api.newUser();
        for (int i = 0; i < LoginThrottle.FAILURE_LIMIT; i++) {
            api.login(u.username(), "wrong password " + i);
        }
        try (SharedState otherNode = SharedRedis.newState()) {
            LoginThrottle other = new LoginThrottle(otherNode.blocking(Duration.ofSeconds(5)), TestApi.CLOCK);
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> other.checkAllowed(u.id(), "127.0.0.1", true));
            assertTrue(e.retryAfterSeconds() > 0, "locked for a while: " + e.getMessage());
        }
    }
}
