package dev.kino.control.mail;

/**
 * One message to send.
 *
 * @param kind what it is for ({@code verify-email}, {@code password-reset})
 * @param recipient e-mail address
 * @param subject subject line
 * @param body plain-text body (may contain a single-use link: never log it outside development)
 */
public record Mail(String kind, String recipient, String subject, String body) {
}
