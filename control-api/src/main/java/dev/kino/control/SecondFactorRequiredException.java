package dev.kino.control;

/**
 * The configuration requires a second factor of this account (staff, with {@code control.requireStaffSecondFactor})
 * and it has none yet: until one is enrolled the session may only enrol one. HTTP: 403
 * {@code second-factor-required}.
 */
public class SecondFactorRequiredException extends ForbiddenException {
    private static final long serialVersionUID = 1L;

    public SecondFactorRequiredException(String message) {
        super(message);
    }
}
