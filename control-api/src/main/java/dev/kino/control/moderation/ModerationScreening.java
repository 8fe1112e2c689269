package dev.kino.control.moderation;

import dev.kino.control.InvalidInputException;
import dev.kino.control.comments.Comments;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Screens new comments before anyone sees them: a watched word with action {@code block} refuses the comment (422),
 * one with {@code hold} keeps it for a moderator's approval, and with "hold first posts" on, an account's first comment
 * is held too. A held comment is seen by its author and moderators only, and waits in the moderation queue (approve
 * with the action {@code restore}, refuse with {@code delete}).
 */
final class ModerationScreening implements Comments.Screening {
    private static final Pattern WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final ModerationStore store;
    private final Comments comments;
    private final Clock clock;

    ModerationScreening(ModerationStore store, Comments comments, Clock clock) {
        this.store = store;
        this.comments = comments;
        this.clock = clock;
    }

    @Override
    public String screen(UUID authorId, String body) {
        Map<String, String> watched = store.watchedWords();
        String held = null;
        if (!watched.isEmpty()) {
            for (String w : WORD.split(body.toLowerCase(Locale.ROOT))) {
                String action = watched.get(w);
                if ("block".equals(action)) {
                    throw InvalidInputException.of("body", "contains a word this community does not allow");
                }
                if ("hold".equals(action)) {
                    held = "a watched word";
                }
            }
        }
        if (held == null && store.holdFirstPosts() && !comments.hasVisibleComments(authorId)) {
            held = "the first comment of a new account";
        }
        return held;
    }

    @Override
    public void held(UUID commentId, String why) {
        store.queueHeld("comment", commentId, why, clock.instant());
    }
}
