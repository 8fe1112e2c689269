package dev.kino.control;

/**
 * The caller is known but may not do this: a missing permission, a title rated above the account's maturity,
 * a moderator acting on an administrator. HTTP: 403 {@code forbidden}.
 */
public class ForbiddenException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }

    /** @return the exception for a caller without {@code permission} */
    public static ForbiddenException missing(String permission) {
        return new ForbiddenException("this needs the '" + permission + "' permission");
    }
}
