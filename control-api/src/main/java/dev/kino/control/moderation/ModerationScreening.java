package dev.kino.control.moderation;

import dev.kino.control.InvalidInputException;
import dev.kino.control.ContentScreening;
import dev.kino.control.comments.Comments;
import dev.kino.control.forum.Forum;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Screens new comments and forum posts before anyone sees them: a watched word with action {@code block} refuses the
 * text (422), one with {@code hold} keeps it for a moderator's approval, and with "hold first posts" on, an account's
 * first comment or post is held too. Held text is seen by its author and moderators only (a thread whose opening post
 * is held, with its subject, too), and waits in the moderation queue (approve with the action {@code restore}, refuse
 * with {@code delete}).
 */
final class ModerationScreening implements ContentScreening {
    private static final Pattern WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final ModerationStore store;
    private final Comments comments;
    private final Forum forum;
    private final Clock clock;

    ModerationScreening(ModerationStore store, Comments comments, Forum forum, Clock clock) {
        this.store = store;
        this.comments = comments;
        this.forum = forum;
        this.clock = clock;
    }

    @Override
    public String screen(UUID authorId, String text) {
        Map<String, String> watched = store.watchedWords();
        String held = null;
        if (!watched.isEmpty()) {
            for (String w : WORD.split(text.toLowerCase(Locale.ROOT))) {
                String action = watched.get(w);
                if ("block".equals(action)) {
                    throw InvalidInputException.of("body", "contains a word this community does not allow");
                }
                if ("hold".equals(action)) {
                    held = "a watched word";
                }
            }
        }
        if (held == null && store.holdFirstPosts() && !comments.hasVisibleComments(authorId)
                && !forum.hasVisiblePosts(authorId)) {
            held = "the first post of a new account";
        }
        return held;
    }

    @Override
    public void held(String targetType, UUID id, String why) {
        store.queueHeld(targetType, id, why, clock.instant());
    }
}
