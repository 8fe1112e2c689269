package dev.kino.control;

/**
 * Root of every unchecked exception the control API throws. Subclasses name the failing part
 * ({@code DatabaseException}) or carry an HTTP problem ({@code ApiException}); the HTTP runtime maps
 * them to responses in one place.
 */
public class ControlApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ControlApiException(String message) {
        super(message);
    }

    public ControlApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
