/**
 * Likes and dislikes on titles, media items (episodes), comments and forum posts: one per account and object,
 * changeable and removable, with counts kept exact under concurrent votes ({@link dev.kino.control.reactions.Reactions}).
 * The features that own comments and posts call {@code Reactions} after checking the object is there and visible;
 * titles' and media items' routes are here ({@link dev.kino.control.reactions.ReactionRoutes}).
 */
package dev.kino.control.reactions;
