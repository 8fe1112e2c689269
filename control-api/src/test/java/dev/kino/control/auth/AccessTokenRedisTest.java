package dev.kino.control.auth;

import dev.kino.control.support.TestApi;

/** The tampered, forged and stale access tokens of {@link AccessTokenTest} on a node whose shared state is a real Redis. */
class AccessTokenRedisTest extends AccessTokenTest {
    @Override
    TestApi.Node node() {
        return TestApi.redis();
    }
}
