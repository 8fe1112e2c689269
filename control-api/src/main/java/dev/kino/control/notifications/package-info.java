/**
 * Notifications: a durable per-account list with ids that increase by one (so a client resumes exactly where it
 * stopped), per-type and per-channel settings, follows of titles and users, delivery in real time over Server-Sent
 * Events across nodes (Redis pub/sub as the fast path, the table as the truth), and e-mail digests through the
 * outbox with one-click unsubscribe (RFC 8058). Other features call {@link dev.kino.control.notifications.Notifications}.
 */
package dev.kino.control.notifications;
