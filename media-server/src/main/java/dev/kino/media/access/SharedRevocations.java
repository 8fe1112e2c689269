package dev.kino.media.access;

import dev.kino.common.state.MessageListener;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionStage;

/**
 * Keeps a node's {@link TitleRevocations} in step with the cluster through {@link SharedState}: the durable
 * set {@value #SET_KEY} holds the taken-down title ids, and the channel {@value #CHANNEL} announces changes
 * as {@code revoke <titleId>} or {@code restore <titleId>}. On every (re)subscription the whole set is
 * reloaded, so a node that missed messages while disconnected catches up; a message applies at once, so a
 * take-down reaches every node within the pub/sub latency (well under a second).
 *
 * <p>The control plane takes a title down with {@link #revoke(SharedState, String)} (or the same two
 * operations by hand).
 */
public final class SharedRevocations implements AutoCloseable {
    /** Durable set of taken-down title ids. */
    public static final String SET_KEY = "kino:revoked-titles";
    /** Pub/sub channel of take-down changes. */
    public static final String CHANNEL = "kino:revocations";

    private static final Logger LOG = LoggerFactory.getLogger(SharedRevocations.class);
    private final Subscription subscription;

    private SharedRevocations(Subscription subscription) {
        this.subscription = subscription;
    }

    /**
     * Subscribes and loads the current set; returns once subscribed (the first load may still be in flight).
     *
     * @param state the shared state
     * @param into the node's take-down set
     * @return the running feed; close it on shutdown
     */
    public static CompletionStage<SharedRevocations> follow(SharedState state, TitleRevocations into) {
        MessageListener listener = new MessageListener() {
            @Override
            public void onMessage(String channel, String message) {
                int sp = message.indexOf(' ');
                String verb = sp < 0 ? message : message.substring(0, sp);
                String title = sp < 0 ? "" : message.substring(sp + 1).trim();
                if (title.isEmpty()) {
                    LOG.warn("ignoring malformed revocation message on {}", CHANNEL);
                } else if (verb.equals("revoke")) {
                    into.revoke(title);
                } else if (verb.equals("restore")) {
                    into.restore(title);
                } else {
                    LOG.warn("ignoring unknown revocation message '{}' on {}", verb, CHANNEL);
                }
            }

            @Override
            public void onSubscribed(String channel) {
                state.members(SET_KEY).whenComplete((members, e) -> {
                    if (e != null) {
                        LOG.warn("could not load the revoked titles: {}", e.toString());
                    } else {
                        into.replaceAll(members);
                    }
                });
            }
        };
        return state.subscribe(CHANNEL, listener).thenApply(SharedRevocations::new);
    }

    /**
     * Takes a title down on every node: adds it to the durable set, then announces it.
     *
     * @param state the shared state
     * @param titleId the title
     * @return completes once announced
     */
    public static CompletionStage<Void> revoke(SharedState state, String titleId) {
        return state.addToSet(SET_KEY, titleId).thenCompose(x -> state.publish(CHANNEL, "revoke " + titleId));
    }

    /**
     * Serves a title again on every node.
     *
     * @param state the shared state
     * @param titleId the title
     * @return completes once announced
     */
    public static CompletionStage<Void> restore(SharedState state, String titleId) {
        return state.removeFromSet(SET_KEY, titleId).thenCompose(x -> state.publish(CHANNEL, "restore " + titleId));
    }

    @Override
    public void close() {
        subscription.close();
    }
}
