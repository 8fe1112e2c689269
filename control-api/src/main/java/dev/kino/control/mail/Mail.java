package dev.kino.control.mail;

import java.util.Map;

/**
 * One message to send.
 *
 * @param kind what it is for ({@code verify-email}, {@code password-reset}, {@code notifications})
 * @param recipient e-mail address
 * @param subject subject line
 * @param body plain-text body (may contain a single-use link: never log it outside development)
 * @param html the HTML alternative, or null to derive it from {@code body} (escaped, links made clickable)
 * @param headers extra header fields, e.g. {@code List-Unsubscribe} (RFC 2369) and {@code List-Unsubscribe-Post}
 *                (RFC 8058); never null
 */
public record Mail(String kind, String recipient, String subject, String body, String html, Map<String, String> headers) {
    public Mail {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A plain-text mail with no extra headers (its HTML part is derived from the text). */
    public Mail(String kind, String recipient, String subject, String body) {
        this(kind, recipient, subject, body, null, Map.of());
    }
}
