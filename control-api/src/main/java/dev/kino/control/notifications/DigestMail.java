package dev.kino.control.notifications;

import dev.kino.control.auth.AccountStore;
import dev.kino.control.mail.Mail;
import dev.kino.control.notifications.NotificationStore.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notification e-mails: a digest (several notifications, grouped by type, each group with its own unsubscribe
 * link) and an urgent single notice (security). Each has a text and an HTML part; every piece of user text is
 * escaped in the HTML part. The {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} headers (RFC 2369,
 * RFC 8058) unsubscribe from every type in the mail with one POST.
 */
public final class DigestMail {
    private final UnsubscribeLinks links;
    private final String publicUrl;

    /** @param publicUrl the web app's base URL (the control API's public URL), no trailing slash */
    public DigestMail(UnsubscribeLinks links, String publicUrl) {
        this.links = links;
        this.publicUrl = publicUrl;
    }

    private static final Map<NotificationType, String> HEADINGS = Map.ofEntries(
            Map.entry(NotificationType.REPLY, "Replies"), Map.entry(NotificationType.MENTION, "Mentions"),
            Map.entry(NotificationType.REACTIONS, "Likes"), Map.entry(NotificationType.NEW_EPISODE, "New episodes"),
            Map.entry(NotificationType.TITLE_PUBLISHED, "Now available"),
            Map.entry(NotificationType.THREAD_POST, "Forum threads you follow"),
            Map.entry(NotificationType.USER_COMMENT, "People you follow"),
            Map.entry(NotificationType.REPORT_OUTCOME, "Your reports"), Map.entry(NotificationType.MODERATION, "Moderation"),
            Map.entry(NotificationType.SECURITY, "Security"), Map.entry(NotificationType.JOB, "Packaging jobs"));

    /** @return the digest of {@code rows} (oldest first) for one account */
    Mail digest(AccountStore.Identity to, List<Row> rows) {
        Map<NotificationType, List<Row>> byType = new LinkedHashMap<>();
        for (Row r : rows) {
            byType.computeIfAbsent(r.type(), t -> new ArrayList<>()).add(r);
        }
        List<NotificationType> types = List.copyOf(byType.keySet());
        String subject = rows.size() == 1 ? text(rows.get(0)) : rows.size() + " new notifications on Kino";
        StringBuilder txt = new StringBuilder("Hello ").append(to.username()).append(",\n\n");
        StringBuilder html = head(subject).append("<p>Hello ").append(escape(to.username())).append(",</p>");
        for (var e : byType.entrySet()) {
            String heading = HEADINGS.get(e.getKey());
            txt.append(heading).append("\n");
            html.append("<h2>").append(escape(heading)).append("</h2><ul>");
            for (Row r : e.getValue()) {
                String link = link(r);
                txt.append("- ").append(text(r)).append(link == null ? "" : "\n  " + link).append("\n");
                html.append("<li>").append(link == null ? escape(text(r))
                        : "<a href=\"" + escape(link) + "\">" + escape(text(r)) + "</a>").append("</li>");
            }
            String off = links.pageUrl(to.id(), List.of(e.getKey()));
            txt.append("  (No more of these by e-mail: ").append(off).append(")\n\n");
            html.append("</ul><p style=\"font-size:small\"><a href=\"").append(escape(off))
                    .append("\">No more ").append(escape(heading.toLowerCase(java.util.Locale.ROOT)))
                    .append(" by e-mail</a></p>");
        }
        String all = links.pageUrl(to.id(), types);
        txt.append("Choose what Kino mails you: ").append(publicUrl).append("/account/notifications\n")
                .append("Unsubscribe from all of the above: ").append(all).append("\n");
        html.append("<p style=\"font-size:small\"><a href=\"").append(escape(publicUrl))
                .append("/account/notifications\">Choose what Kino mails you</a> · <a href=\"").append(escape(all))
                .append("\">Unsubscribe from all of the above</a></p></body></html>");
        return new Mail("notifications", to.email(), subject, txt.toString(), html.toString(), headers(to, types));
    }

    /** @return a security notice, mailed at once */
    Mail urgent(AccountStore.Identity to, Notice n) {
        String link = n.link() == null ? null : publicUrl + n.link();
        String txt = "Hello " + to.username() + ",\n\n" + n.text() + "\n\n"
                + (link == null ? "" : link + "\n\n")
                + "If this was not you, change your password at once: " + publicUrl + "/account\n";
        String html = head(n.text()) + "<p>Hello " + escape(to.username()) + ",</p><p>" + escape(n.text()) + "</p>"
                + (link == null ? "" : "<p><a href=\"" + escape(link) + "\">" + escape(link) + "</a></p>")
                + "<p>If this was not you, <a href=\"" + escape(publicUrl) + "/account\">change your password</a> at once.</p>"
                + "</body></html>";
        return new Mail("security", to.email(), "Kino security notice: " + n.text(), txt, html, Map.of());
    }

    private Map<String, String> headers(AccountStore.Identity to, List<NotificationType> types) {
        return Map.of("List-Unsubscribe", "<" + links.oneClickUrl(to.id(), types) + ">",
                "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }

    private static String text(Row r) {
        Object t = r.data().get("text");
        return t == null ? r.type().wire() : t.toString();
    }

    private String link(Row r) {
        Object l = r.data().get("link");
        return l == null ? null : publicUrl + l;
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title></head><body>");
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
