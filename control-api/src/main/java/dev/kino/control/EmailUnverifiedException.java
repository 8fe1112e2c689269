package dev.kino.control;

/**
 * The act needs a confirmed e-mail address ({@code control.requireVerifiedEmail}: commenting, the forum, checkout) and
 * the account has not confirmed its own yet. HTTP: 403 {@code email-unverified}.
 */
public class EmailUnverifiedException extends ForbiddenException {
    private static final long serialVersionUID = 1L;

    public EmailUnverifiedException(String message) {
        super(message);
    }
}
