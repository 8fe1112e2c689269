package dev.kino.control.forum;

import dev.kino.control.account.ProfileStore.PublicName;
import dev.kino.control.reactions.ReactionTypes.ReactionSummary;

import java.time.Instant;
import java.util.UUID;

/** JSON shapes of the forum. */
public final class ForumTypes {
    private ForumTypes() {
    }

    /**
     * A category.
     *
     * @param id category id
     * @param slug its URL name
     * @param name its name
     * @param description what belongs in it
     * @param position where it is listed (ascending)
     * @param threads threads in it
     */
    public record CategoryView(UUID id, String slug, String name, String description, int position, int threads) {
    }

    /**
     * A new or changed category.
     *
     * @param slug 1-64 of a-z 0-9 and -
     * @param name 1-100 characters
     * @param description up to 1,000 characters
     * @param position list position
     */
    public record CategoryInput(String slug, String name, String description, Integer position) {
    }

    /**
     * A thread as a reader sees it.
     *
     * @param id thread id
     * @param categoryId its category
     * @param subject what it is about
     * @param author who opened it (absent for titles' own threads and deleted accounts)
     * @param titleId the title it discusses, for a title's or episode's own thread
     * @param mediaId the episode it discusses, for an episode's own thread
     * @param pinned listed first in its category
     * @param locked no new posts
     * @param posts visible posts
     * @param unread posts after the reader's read position (0 for guests)
     * @param following whether the reader follows it
     * @param lastPostAt when the newest post was written
     * @param createdAt when it was opened
     */
    public record ThreadView(UUID id, UUID categoryId, String subject, PublicName author, UUID titleId, UUID mediaId,
                             boolean pinned, boolean locked, int posts, long unread, boolean following,
                             Instant lastPostAt, Instant createdAt) {
    }

    /**
     * A new thread.
     *
     * @param subject 1-200 characters
     * @param body its first post
     */
    public record ThreadInput(String subject, String body) {
    }

    /**
     * A moderator's change of a thread.
     *
     * @param pinned pin or unpin, absent to keep
     * @param locked lock or unlock, absent to keep
     */
    public record ThreadPatch(Boolean pinned, Boolean locked) {
    }

    /**
     * A post.
     *
     * @param id post id
     * @param threadId its thread
     * @param seq its number in the thread, from 1
     * @param author who wrote it (absent for a deleted post or account)
     * @param body the text as written (absent for a deleted post)
     * @param quoteId the post it quotes
     * @param state {@code visible}, {@code held}, {@code hidden} or {@code deleted}
     * @param reactions likes, dislikes and the reader's reaction
     * @param createdAt when it was written
     * @param editedAt when its author last edited it
     */
    public record PostView(UUID id, UUID threadId, long seq, PublicName author, String body, UUID quoteId, String state,
                           ReactionSummary reactions, Instant createdAt, Instant editedAt) {
    }

    /**
     * A new post, or the author's edit of one.
     *
     * @param body 1-20,000 characters, shown as text
     * @param quoteId a post of the same thread it quotes
     */
    public record PostInput(String body, UUID quoteId) {
    }

    /** @param seq the newest post the reader has seen */
    public record ReadInput(Long seq) {
    }

    /** States of a post (the same as comments'). */
    public enum State { visible, held, hidden, deleted }

    record ThreadRow(UUID id, UUID categoryId, String subject, UUID authorId, UUID titleId, UUID mediaId, boolean pinned,
                     boolean locked, int postCount, long lastSeq, Instant lastPostAt, Instant createdAt,
                     boolean held) {
    }

    record PostRow(UUID id, UUID threadId, long seq, UUID authorId, String body, UUID quoteId, State state, int score,
                   Instant createdAt, Instant editedAt) {
    }
}
