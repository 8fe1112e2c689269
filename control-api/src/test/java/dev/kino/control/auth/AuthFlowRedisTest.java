package dev.kino.control.auth;

import dev.kino.control.support.TestApi;

/** Every auth flow of {@link AuthFlowTest} (rate limits, lockouts, refresh reuse) on a node whose shared state is a real Redis. */
class AuthFlowRedisTest extends AuthFlowTest {
    @Override
    TestApi.Node node() {
        return TestApi.redis();
    }
}
