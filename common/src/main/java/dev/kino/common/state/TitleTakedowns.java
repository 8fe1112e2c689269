package dev.kino.common.state;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The take-down contract between the control plane and every media server, over {@link SharedState}: the
 * durable set {@value #SET_KEY} holds the ids of taken-down titles (read by a media server when it starts or
 * resubscribes), and the channel {@value #CHANNEL} announces each change as {@code take-down <titleId>} or
 * {@code restore <titleId>}, so a take-down reaches running servers within the pub/sub latency.
 */
public final class TitleTakedowns {
    /** Durable set of taken-down title ids. */
    public static final String SET_KEY = "kino:taken-down-titles";
    /** Pub/sub channel of take-down changes. */
    public static final String CHANNEL = "kino:takedowns";

    private TitleTakedowns() {
    }

    /**
     * Takes a title down on every node: adds it to the durable set, then announces it. Idempotent.
     *
     * @param state the shared state
     * @param titleId the packaged title id
     * @return completes once announced
     */
    public static CompletionStage<Void> takeDown(SharedState state, String titleId) {
        return state.addToSet(SET_KEY, titleId).thenCompose(x -> state.publish(CHANNEL, "take-down " + titleId));
    }

    /**
     * Serves a title again on every node: removes it from the set and, when it was there, announces it.
     *
     * @param state the shared state
     * @param titleId the packaged title id
     * @return completes once announced
     */
    public static CompletionStage<Void> restore(SharedState state, String titleId) {
        return state.removeFromSet(SET_KEY, titleId).thenCompose(removed -> Boolean.TRUE.equals(removed)
                ? state.publish(CHANNEL, "restore " + titleId) : java.util.concurrent.CompletableFuture.completedFuture(null));
    }

    /**
     * One announcement on {@link #CHANNEL}.
     *
     * @param takenDown true for a take-down, false for a restore
     * @param titleId the title
     */
    public record Change(boolean takenDown, String titleId) {
        /**
         * @param message the text received on {@link #CHANNEL}
         * @return the change, or empty for a malformed or unknown message
         */
        public static Optional<Change> parse(String message) {
            int sp = message.indexOf(' ');
            if (sp <= 0) {
                return Optional.empty();
            }
            String verb = message.substring(0, sp);
            String title = message.substring(sp + 1).trim();
            if (title.isEmpty()) {
                return Optional.empty();
            }
            return switch (verb) {
                case "take-down" -> Optional.of(new Change(true, title));
                case "restore" -> Optional.of(new Change(false, title));
                default -> Optional.empty();
            };
        }
    }
}
