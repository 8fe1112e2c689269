/**
 * The forum: categories (managed with {@code forum.manage}), threads and posts, a discussion thread per title and per
 * episode made on first use, pinned and locked threads, quotes, per-account read positions (unread counts), follows,
 * likes and dislikes on posts. {@link dev.kino.control.forum.Forum} is the feature's API; {@link
 * dev.kino.control.forum.ForumStore} owns the tables.
 */
package dev.kino.control.forum;
