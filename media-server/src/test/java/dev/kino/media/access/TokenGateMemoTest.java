package dev.kino.media.access;

import dev.kino.media.MediaFixture;
import dev.kino.media.metrics.MediaMetrics;
import dev.kino.protocol.token.FailureReason;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TokenSigner;
import dev.kino.protocol.token.TokenVerifier;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A connection's memo of its last token ({@link TokenGate.ConnectionMemo}) skips only what depends on the token alone:
 * on the same memo, the path, the time window and another (forged) token are still refused.
 */
class TokenGateMemoTest {
    private final TokenSigner signer = new TokenSigner(SigningKeys.single("k1", MediaFixture.TOKEN_KEY));
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final MediaMetrics metrics = new MediaMetrics();
    private final TokenGate gate = new TokenGate(
            new TokenVerifier(SigningKeys.single("k1", MediaFixture.TOKEN_KEY), Duration.ZERO), clock, metrics);

    @Test
    void memoKeepsEveryPerRequestCheck() {
        InetAddress client = InetAddress.getLoopbackAddress();
        TokenGate.ConnectionMemo memo = new TokenGate.ConnectionMemo();
        String t1 = signer.sign(MediaFixture.claims("t1").build());
        assertEquals("/t1/", gate.check(t1, "/t1/master.m3u8", client, memo).pathPrefix());
        // same token, same connection: another title's path is still refused
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> gate.check(t1, "/t2/master.m3u8", client, memo));
        assertEquals(FailureReason.PATH_NOT_ALLOWED, e.reason());
        // a forged token on the connection is verified, not taken from the memo
        String forged = t1.substring(0, t1.length() - 1) + (t1.endsWith("A") ? "B" : "A");
        e = assertThrows(AccessDeniedException.class, () -> gate.check(forged, "/t1/master.m3u8", client, memo));
        assertEquals(FailureReason.BAD_SIGNATURE, e.reason());
        assertEquals("/t1/", gate.check(t1, "/t1/x.m4s", client, memo).pathPrefix());
        // once the token's window is over, the memo does not keep it alive
        now.set(Instant.now().plus(Duration.ofMinutes(6)));
        e = assertThrows(AccessDeniedException.class, () -> gate.check(t1, "/t1/x.m4s", client, memo));
        assertEquals(FailureReason.EXPIRED, e.reason());
    }
}
