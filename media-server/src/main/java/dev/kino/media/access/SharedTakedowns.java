package dev.kino.media.access;

import dev.kino.common.state.MessageListener;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.Subscription;
import dev.kino.common.state.TitleTakedowns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionStage;

/**
 * Keeps a node's {@link TakenDownTitles} in step with the cluster through {@link SharedState}, following the
 * {@link TitleTakedowns} contract. On every (re)subscription the whole set is reloaded, so a node that missed
 * messages while disconnected catches up; a message applies at once, so a take-down reaches every node within
 * the pub/sub latency (well under a second).
 *
 * <p>The control plane takes a title down with {@link TitleTakedowns#takeDown(SharedState, String)}.
 */
public final class SharedTakedowns implements AutoCloseable {
    /** Durable set of taken-down title ids. */
    public static final String SET_KEY = TitleTakedowns.SET_KEY;
    /** Pub/sub channel of take-down changes. */
    public static final String CHANNEL = TitleTakedowns.CHANNEL;

    private static final Logger LOG = LoggerFactory.getLogger(SharedTakedowns.class);
    private final Subscription subscription;

    private SharedTakedowns(Subscription subscription) {
        this.subscription = subscription;
    }

    /**
     * Subscribes and loads the current set; returns once subscribed (the first load may still be in flight).
     *
     * @param state the shared state
     * @param into the node's take-down set
     * @return the running feed; close it on shutdown
     */
    public static CompletionStage<SharedTakedowns> follow(SharedState state, TakenDownTitles into) {
        MessageListener listener = new MessageListener() {
            @Override
            public void onMessage(String channel, String message) {
                TitleTakedowns.Change.parse(message).ifPresentOrElse(c -> {
                    if (c.takenDown()) {
                        into.takeDown(c.titleId());
                    } else {
                        into.restore(c.titleId());
                    }
                }, () -> LOG.warn("ignoring a malformed take-down message on {}", CHANNEL));
            }

            @Override
            public void onSubscribed(String channel) {
                state.members(SET_KEY).whenComplete((members, e) -> {
                    if (e != null) {
                        LOG.warn("could not load the taken-down titles: {}", e.toString());
                    } else {
                        into.replaceAll(members);
                    }
                });
            }
        };
        return state.subscribe(CHANNEL, listener).thenApply(SharedTakedowns::new);
    }

    /** @see TitleTakedowns#takeDown(SharedState, String) */
    public static CompletionStage<Void> takeDown(SharedState state, String titleId) {
        return TitleTakedowns.takeDown(state, titleId);
    }

    /** @see TitleTakedowns#restore(SharedState, String) */
    public static CompletionStage<Void> restore(SharedState state, String titleId) {
        return TitleTakedowns.restore(state, titleId);
    }

    @Override
    public void close() {
        subscription.close();
    }
}
