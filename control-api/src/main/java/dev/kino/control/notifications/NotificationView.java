package dev.kino.control.notifications;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One notification as the API and the stream show it.
 *
 * @param id per account, increasing by one (the stream's {@code id:})
 * @param type what it is about
 * @param actorId who caused it, absent for the system
 * @param objectType what it is about: {@code comment}, {@code post}, {@code title}, {@code media}, {@code job}, ...
 * @param objectId that object
 * @param data {@code text} (plain text: show it as text), {@code link} (a path of the web app) and more fields
 * @param createdAt when
 * @param readAt when it was marked read, absent while unread
 */
public record NotificationView(long id, NotificationType type, UUID actorId, String objectType, UUID objectId,
                               Map<String, Object> data, Instant createdAt, Instant readAt) {
    static NotificationView of(NotificationStore.Row r) {
        return new NotificationView(r.id(), r.type(), r.actorId(), r.objectType(), r.objectId(), r.data(),
                r.createdAt(), r.readAt());
    }
}
