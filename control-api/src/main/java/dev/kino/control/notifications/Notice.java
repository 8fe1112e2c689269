package dev.kino.control.notifications;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What to tell someone, with everything needed to show it later without another query.
 *
 * @param type what it is about
 * @param actorId who caused it, or null (the system)
 * @param objectType {@code comment}, {@code post}, {@code title}, {@code media}, {@code report}, {@code job}, ...
 * @param objectId the object, or null
 * @param groupKey notifications with the same key fold into one while unread (the newest replaces the older), or null
 * @param text the line to show, plain text (never HTML; user text inside is shown as text)
 * @param link where it leads in the web app, a path starting with {@code /}, or null
 * @param extra more fields kept with it (the actor's name, an excerpt, a count)
 */
public record Notice(NotificationType type, UUID actorId, String objectType, UUID objectId, String groupKey,
                     String text, String link, Map<String, Object> extra) {
    public Notice {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        if (link != null && !link.startsWith("/")) {
            throw new IllegalArgumentException("a notice links to a path of the web app: " + link);
        }
    }

    /** @return the stored {@code data}: text, link and the extra fields */
    Map<String, Object> data() {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put("text", text);
        if (link != null) {
            m.put("link", link);
        }
        return m;
    }

    /** @return the longest excerpt of user text a notice keeps */
    public static String excerpt(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip().replaceAll("\\s+", " ");
        return t.codePointCount(0, t.length()) <= 140 ? t : t.substring(0, t.offsetByCodePoints(0, 139)) + "…";
    }
}
