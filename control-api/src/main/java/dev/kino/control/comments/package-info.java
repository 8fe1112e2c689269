/**
 * Comments on titles and on media items (episodes): threads of a top-level comment and its replies, quotes, edits
 * within a window with revisions for moderators, tombstones, spoiler flags, {@code @username} mentions, positions
 * ("12:34") into the player, likes and dislikes, "newest" and "top" orders with cursor pagination, counts.
 * {@link dev.kino.control.comments.Comments} is the feature's API (moderation calls it to hide and restore);
 * {@link dev.kino.control.comments.CommentStore} owns the tables.
 */
package dev.kino.control.comments;
