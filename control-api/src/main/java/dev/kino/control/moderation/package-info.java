/**
 * Reports and the moderation queue: people report comments, forum posts, users and titles with a reason; reports on
 * one object make one case in the queue; moderators act on a case (hide, restore, delete, mark as spoiler, lock the
 * thread, warn, ban, dismiss) and every action goes to the audit log. {@link dev.kino.control.moderation.Moderation}
 * acts through the other features' APIs ({@code Comments}, {@code Forum}, {@code AccountAdmin}); {@link
 * dev.kino.control.moderation.ModerationStore} owns the tables.
 */
package dev.kino.control.moderation;
