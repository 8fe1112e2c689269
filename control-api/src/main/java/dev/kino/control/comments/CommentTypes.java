package dev.kino.control.comments;

import dev.kino.control.account.ProfileStore.PublicName;
import dev.kino.control.reactions.ReactionTypes.ReactionSummary;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** JSON shapes and vocabulary of the comments feature. */
public final class CommentTypes {
    private CommentTypes() {
    }

    /**
     * A new comment.
     *
     * @param body the text, 1 to {@link Comments#MAX_BODY} characters, stored as written and always shown as text
     * @param parentId the comment this replies to (its thread's top-level comment is the parent), or absent
     * @param quoteId a comment of the same thread this quotes, or absent
     * @param spoiler true to hide the text until the reader asks for it
     */
    public record CommentInput(String body, UUID parentId, UUID quoteId, Boolean spoiler) {
    }

    /**
     * A change of a comment: its author's within the edit window (body, spoiler), a moderator's at any time
     * (spoiler only).
     *
     * @param body the new text, or absent to keep it
     * @param spoiler the new spoiler flag, or absent to keep it
     */
    public record CommentPatch(String body, Boolean spoiler) {
    }

    /** Orders of a list of top-level comments. */
    public enum Sort {
        /** Newest first. */
        NEWEST,
        /** Highest score first, newer comments ahead of older ones with the same score ("hot", see {@link CommentStore}). */
        TOP;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** States of a comment. */
    public enum State {
        /** Shown to everyone who can see the title. */
        visible,
        /** Waiting for a moderator's approval: shown to its author and moderators. */
        held,
        /** Hidden by a moderator: shown to moderators only. */
        hidden,
        /** Deleted but with replies: shown as a tombstone without text or author. */
        deleted
    }

    /**
     * A comment as a reader sees it.
     *
     * @param id comment id
     * @param titleId the title it is about
     * @param mediaId the media item (episode) it is about, absent for the title itself
     * @param parentId the top-level comment of its thread, absent for a top-level comment
     * @param quoteId the comment it quotes, absent for none
     * @param author who wrote it, absent for a tombstone or a deleted account
     * @param body the text as written, absent for a tombstone
     * @param spoiler whether readers must ask to see the text
     * @param state {@code visible}, {@code held}, {@code hidden} or {@code deleted}
     * @param replyCount replies shown under it (top-level comments)
     * @param reactions likes, dislikes and the reader's reaction
     * @param mentions usernames it mentions that belong to accounts
     * @param positions positions in the media item the text names ("12:34", "1:02:03"), in seconds, for links into
     *                  the player; empty for comments on a title
     * @param createdAt when it was written
     * @param editedAt when its author last edited it, absent if never
     * @param authorReputation the author's reputation points, absent for a tombstone or a deleted account
     */
    public record CommentView(UUID id, UUID titleId, UUID mediaId, UUID parentId, UUID quoteId, PublicName author,
                              String body, boolean spoiler, String state, int replyCount, ReactionSummary reactions,
                              List<String> mentions, List<Integer> positions, Instant createdAt, Instant editedAt,
                              Integer authorReputation) {
    }

    /**
     * An earlier version of an edited comment (moderators).
     *
     * @param revision 1 for the original text, then in order
     * @param body the text it had
     * @param spoiler the flag it had
     * @param replacedAt when it was replaced
     * @param replacedBy who replaced it
     */
    public record RevisionView(int revision, String body, boolean spoiler, Instant replacedAt, UUID replacedBy) {
    }

    /**
     * Visible comments of a title.
     *
     * @param title comments on the title itself
     * @param episodes comments per media item of the title that has any
     */
    public record CommentCounts(int title, java.util.Map<UUID, Integer> episodes) {
    }

    /** Where a comment stands: a title's own thread list or a media item's. */
    public record Target(UUID titleId, UUID mediaId) {
        public boolean onMedia() {
            return mediaId != null;
        }
    }

    /** A stored comment; what {@link CommentStore} reads. */
    record Row(UUID id, UUID titleId, UUID mediaId, UUID parentId, UUID quoteId, UUID authorId, String body,
               boolean spoiler, State state, int replyCount, int score, double hot, Instant createdAt,
               Instant editedAt) {
        Target target() {
            return new Target(titleId, mediaId);
        }
    }
}
