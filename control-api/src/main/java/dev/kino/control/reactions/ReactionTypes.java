package dev.kino.control.reactions;

import java.util.Locale;

/** JSON shapes and vocabulary of the reactions feature. */
public final class ReactionTypes {
    private ReactionTypes() {
    }

    /** What a reaction says. */
    public enum Value {
        like(1), dislike(-1);

        final int sign;

        Value(int sign) {
            this.sign = sign;
        }

        static Value of(int sign) {
            return sign > 0 ? like : dislike;
        }
    }

    /** What can be reacted to; the wire name is stored in {@code reactions.target_type}. */
    public enum Target {
        TITLE, MEDIA, COMMENT, POST;

        /** @return the stored and shown name: {@code title}, {@code media}, {@code comment}, {@code post} */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param value like or dislike */
    public record ReactionInput(Value value) {
    }

    /**
     * The reactions of one object.
     *
     * @param likes accounts that like it
     * @param dislikes accounts that dislike it
     * @param mine the caller's reaction, absent for none or a guest
     */
    public record ReactionSummary(int likes, int dislikes, Value mine) {
        /** No reactions. */
        public static final ReactionSummary NONE = new ReactionSummary(0, 0, null);

        /** @return likes minus dislikes */
        public int score() {
            return likes - dislikes;
        }
    }

    /**
     * What one change did, for the feature that owns the object (reputation, notifications).
     *
     * @param accountId whose reaction it is
     * @param before the account's reaction before, or null
     * @param after the account's reaction after, or null when removed
     * @param summary the object's counts right after this change (changes written together are numbered in the
     *                order they were applied), with {@code mine} = {@code after}
     */
    public record Change(java.util.UUID accountId, Value before, Value after, ReactionSummary summary) {
        /** @return +1 when this change added a like, -1 when it took one away, 0 otherwise */
        public int likeDelta() {
            return (after == Value.like ? 1 : 0) - (before == Value.like ? 1 : 0);
        }

        /** @return true when nothing changed (the same reaction again, or removing none) */
        public boolean unchanged() {
            return before == after;
        }
    }
}
