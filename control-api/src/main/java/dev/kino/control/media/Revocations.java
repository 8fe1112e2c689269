package dev.kino.control.media;

import dev.kino.common.state.BlockingSharedState;
import dev.kino.common.state.SharedState;

import java.time.Duration;

/**
 * Tells every media server that a packaged title was taken down (or restored), through shared state:
 * the durable set {@value #SET} of revoked title ids, read by a media server when it starts, and the
 * pub/sub channels {@value #CHANNEL} / {@value #RESTORED_CHANNEL} (message: the title id) for servers
 * already running, so a take-down applies within the time it takes a message to cross Redis.
 *
 * <p>NOTE: the media server's {@code TitleRevocations} does not subscribe to anything yet; these names
 * are the contract proposed to it.
 */
public final class Revocations {
    /** Channel carrying the id of each title taken down. */
    public static final String CHANNEL = "kino.titles.revoked";
    /** Channel carrying the id of each title published again after a take-down. */
    public static final String RESTORED_CHANNEL = "kino.titles.restored";
    /** Durable set of the revoked title ids. */
    public static final String SET = "kino:titles:revoked";

    private final BlockingSharedState state;

    /**
     * @param state shared state
     * @param timeout longest wait for the store per call
     */
    public Revocations(SharedState state, Duration timeout) {
        this.state = state.blocking(timeout);
    }

    /** Adds the title to the set, then announces it. Idempotent (re-announces). Blocks. */
    public void revoke(String titleId) {
        state.addToSet(SET, titleId);
        state.publish(CHANNEL, titleId);
    }

    /** Removes the title from the set and, when it was there, announces it. Blocks. */
    public void restore(String titleId) {
        if (state.removeFromSet(SET, titleId)) {
            state.publish(RESTORED_CHANNEL, titleId);
        }
    }
}
