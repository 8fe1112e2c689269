package dev.kino.control;

import java.util.UUID;

/**
 * Decides the state new user text starts in, for the features that store it (comments, forum posts): the moderation
 * feature installs one that refuses blocked words and holds watched words and new accounts' first posts for review.
 * The features call it; they do not depend on the moderation feature.
 */
public interface ContentScreening {
    /** Everything is seen at once. */
    ContentScreening NONE = (author, text) -> null;

    /**
     * @param authorId who wrote it
     * @param text everything the reader will see (a thread's subject and its first post together)
     * @return null to let the text be seen at once, or why it is held for a moderator's approval
     * @throws InvalidInputException to refuse the text outright (a blocked word)
     */
    String screen(UUID authorId, String text);

    /**
     * Called once held text is stored: the moderation feature queues it for approval.
     *
     * @param targetType {@code comment} or {@code post}
     */
    default void held(String targetType, UUID id, String why) {
    }
}
