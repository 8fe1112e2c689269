package dev.kino.control;

/** The account is banned: it may not sign in or use its tokens. HTTP: 403 {@code banned}. */
public class AccountBannedException extends ForbiddenException {
    private static final long serialVersionUID = 1L;

    /** @param message the ban, as the account holder may read it: {@code this account is banned: spam} */
    public AccountBannedException(String message) {
        super(message);
    }
}
