package dev.kino.control.playback;

import dev.kino.control.support.SharedRedis;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link PlaybackRoutesTest} with the stream leases on a real Redis, as with several nodes: the concurrent-stream
 * limit of a plan is counted there.
 */
class PlaybackRoutesRedisTest extends PlaybackRoutesTest {
    @BeforeAll
    static void start() { // supersedes the in-process start of the superclass
        start(SharedRedis.newState());
    }
}
