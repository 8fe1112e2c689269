package dev.kino.common.state;

/**
 * One listener subscribed to one channel, shared by both {@link SharedState} implementations: delivers messages
 * and (re)subscription notices while active; closing it (each implementation says what else that does) stops
 * delivery at once.
 */
abstract class ListenerRegistration implements Subscription {
    private final String channel;
    private final MessageListener listener;
    private volatile boolean active = true;

    ListenerRegistration(String channel, MessageListener listener) {
        this.channel = channel;
        this.listener = listener;
    }

    final void deliver(String message) {
        if (active) {
            listener.onMessage(channel, message);
        }
    }

    final void subscribed() {
        if (active) {
            listener.onSubscribed(channel);
        }
    }

    @Override
    public final String channel() {
        return channel;
    }

    /** Stops delivery. */
    final void deactivate() {
        active = false;
    }
}
