package dev.kino.common.state;

/**
 * Receives the messages of one pub/sub channel ({@link SharedState#subscribe}).
 *
 * <p>Threading: both methods are called on the state's single event thread, one call at a time and in the order
 * the messages reached this node, never on the publisher's thread. They must return quickly (hand long work to
 * another executor): a slow listener delays every other listener of the same {@link SharedState}. An exception
 * thrown by a listener is logged and otherwise ignored.
 *
 * <p>Delivery is at most once: a message published while a node is disconnected from Redis is lost for that node.
 * Keep durable facts (e.g. the set of taken-down titles) in the store as well, and reconcile in
 * {@link #onSubscribed(String)}, which runs each time the subscription becomes active, including after a
 * reconnection.
 */
@FunctionalInterface
public interface MessageListener {
    /**
     * One message.
     *
     * @param channel the channel as given to {@link SharedState#subscribe} (no internal prefix)
     * @param message the message text as published
     */
    void onMessage(String channel, String message);

    /**
     * The subscription is active: messages published from now on reach this listener. Called at least once after
     * {@link SharedState#subscribe}, and again after every automatic resubscription following a lost connection;
     * it may occasionally be called more often than that, so make it idempotent. Does nothing by default.
     *
     * @param channel the channel as given to {@link SharedState#subscribe}
     */
    default void onSubscribed(String channel) {
    }
}
