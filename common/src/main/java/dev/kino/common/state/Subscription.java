package dev.kino.common.state;

/**
 * One listener's registration on one channel, from {@link SharedState#subscribe}. Thread-safe.
 */
public interface Subscription extends AutoCloseable {
    /** @return the channel as given to {@link SharedState#subscribe} */
    String channel();

    /**
     * Stops delivery to this listener; no {@link MessageListener#onMessage} call starts after this returns
     * (one already running on the event thread may still finish). When it was the node's last listener of the
     * channel, the node unsubscribes from Redis in the background. Non-blocking and idempotent.
     */
    @Override
    void close();
}
