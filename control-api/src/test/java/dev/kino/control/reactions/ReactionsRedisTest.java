package dev.kino.control.reactions;

import dev.kino.control.support.TestApi;

/** The same, with the per-account limits counted in a real Redis. */
class ReactionsRedisTest extends ReactionsTest {
    @Override
    TestApi.Node node() {
        return TestApi.redis();
    }
}
