package dev.kino.common.state;

/**
 * The concurrent-stream contract between the control API and the media servers, over {@link SharedState}.
 * Playback authorisation takes a lease in {@link #group(String)} for the new playback session, with the
 * account's plan limit, and records that limit under {@link #limitKey(String)}; every media server renews
 * (or takes again) the same lease on playlist, key and licence requests of a token that carries the user and
 * session ids, with the recorded limit — so an account beyond its plan is refused at key or licence time
 * on any node.
 */
public final class StreamLimits {
    private StreamLimits() {
    }

    /** @return the lease group of a user's playback sessions */
    public static String group(String userId) {
        return "streams:" + userId;
    }

    /** @return the key holding the user's current concurrent-stream limit (decimal text) */
    public static String limitKey(String userId) {
        return "streams-limit:" + userId;
    }
}
