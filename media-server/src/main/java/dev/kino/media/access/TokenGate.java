package dev.kino.media.access;

import dev.kino.media.metrics.MediaMetrics;
import dev.kino.protocol.token.PlaybackClaims;
import dev.kino.protocol.token.TokenVerifier;
import dev.kino.protocol.token.VerificationResult;

import java.net.InetAddress;
import java.time.Clock;

/**
 * Stateless access check of one request: the token (HMAC, no I/O, cheap enough for the event loop)
 * must grant the canonical path for the client address. Rejections are counted by reason.
 */
public final class TokenGate {
    private final TokenVerifier verifier;
    private final Clock clock;
    private final MediaMetrics metrics;

    /**
     * @param verifier verifies tokens against the key ring
     * @param clock time source
     * @param metrics where rejections are counted
     */
    public TokenGate(TokenVerifier verifier, Clock clock, MediaMetrics metrics) {
        this.verifier = verifier;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * @param token the token path segment as received
     * @param canonicalPath the path after the token as received (not decoded), e.g. {@code /title-1/master.m3u8}
     * @param client the client address (or null when unknown)
     * @return the verified claims
     * @throws AccessDeniedException when the token does not grant the request
     */
    public PlaybackClaims check(String token, String canonicalPath, InetAddress client) {
        VerificationResult r = verifier.verify(token, canonicalPath, client, clock.instant());
        if (r instanceof VerificationResult.Rejected rejected) {
            metrics.tokenFailure(rejected.reason());
            throw new AccessDeniedException(rejected.reason());
        }
        return ((VerificationResult.Valid) r).claims();
    }
}
