package dev.kino.media.access;

import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.StreamLimits;
import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Take-downs through shared state (initial load + pub/sub) and concurrent-stream leases. */
class SharedStateTest {
    @TempDir
    Path root;

    /** Polls until the status is reached; the bound is generous, nothing is asserted about time. */
    private static void eventually(int expected, Callable<Integer> status) throws Exception {
        int last = -1;
        for (int i = 0; i < 500 && last != expected; i++) {
            last = status.call();
            if (last != expected) {
                Thread.sleep(20);
            }
        }
        assertEquals(expected, last);
    }

    @Test
    void takeDownsFollowSharedState() throws Exception {
        try (SharedState state = new InProcessSharedState()) {
            state.addToSet(SharedTakedowns.SET_KEY, "t2").toCompletableFuture().join();
            try (MediaFixture m = MediaFixture.start(root, s -> s.state = state)) {
                eventually(404, () -> m.get(m.path("t2", "master.m3u8")).statusCode()); // initial load
                assertEquals(200, m.get(m.path("t1", "master.m3u8")).statusCode());

                SharedTakedowns.takeDown(state, "t1").toCompletableFuture().join();
                eventually(404, () -> m.get(m.path("t1", "master.m3u8")).statusCode());
                assertEquals(404, m.get(m.path("t1", "video-720p/seg-00001.m4s")).statusCode());

                SharedTakedowns.restore(state, "t1").toCompletableFuture().join();
                eventually(200, () -> m.get(m.path("t1", "master.m3u8")).statusCode());
            }
        }
    }

    @Test
    void concurrentStreamLimit() throws Exception {
        try (SharedState state = new InProcessSharedState();
             MediaFixture m = MediaFixture.start(root, s -> {
                 s.state = state;
                 s.streamLimit = 1;
             })) {
            String first = m.signer.sign(MediaFixture.claims("t1").userId("u1").sessionId("s1").build());
            String second = m.signer.sign(MediaFixture.claims("t1").userId("u1").sessionId("s2").build());
            assertEquals(200, m.get("/v/" + first + "/t1/master.m3u8").statusCode());
            assertEquals(200, m.get("/v/" + first + "/t1/master.m3u8").statusCode(), "renewal");
            HttpResponse<byte[]> refused = m.get("/v/" + second + "/t1/master.m3u8");
            assertEquals(403, refused.statusCode());
            assertEquals("private, no-store", refused.headers().firstValue("cache-control").orElseThrow());
            assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("/problems/too-many-streams"));
            assertEquals(403, m.get("/v/" + second + "/t1/keys/" + MediaFixture.AES_KID_T1).statusCode());
            // Segments never consult shared state; tokens without session ids are not limited.
            assertEquals(200, m.get("/v/" + second + "/t1/video-720p/seg-00001.m4s").statusCode());
            assertEquals(200, m.get(m.path("t1", "master.m3u8")).statusCode());
            state.releaseLease(StreamLimits.group("u1"), "s1").toCompletableFuture().join();
            assertEquals(200, m.get("/v/" + second + "/t1/master.m3u8").statusCode());
        }
    }

    @Test
    void theLimitTheControlApiRecordedForAUserWinsOverTheDefault() throws Exception {
        try (SharedState state = new InProcessSharedState();
             MediaFixture m = MediaFixture.start(root, s -> {
                 s.state = state;
                 s.streamLimit = 1;
             })) {
            // The user's plan allows 2 streams: playback authorisation recorded it (StreamLimits contract).
            state.put(StreamLimits.limitKey("u2"), "2").toCompletableFuture().join();
            String a = m.signer.sign(MediaFixture.claims("t1").userId("u2").sessionId("a").build());
            String b = m.signer.sign(MediaFixture.claims("t1").userId("u2").sessionId("b").build());
            String c = m.signer.sign(MediaFixture.claims("t1").userId("u2").sessionId("c").build());
            assertEquals(200, m.get("/v/" + a + "/t1/master.m3u8").statusCode());
            assertEquals(200, m.get("/v/" + b + "/t1/master.m3u8").statusCode(), "second stream within the plan");
            assertEquals(403, m.get("/v/" + c + "/t1/master.m3u8").statusCode(), "third is beyond the plan");
            assertEquals(2, state.leaseHolders(StreamLimits.group("u2")).toCompletableFuture().join().size());
        }
    }
}
