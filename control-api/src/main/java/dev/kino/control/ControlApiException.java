package dev.kino.control;

/**
 * Root of every unchecked exception the control API throws. Stores and services throw the subclass that names
 * what went wrong in the domain's terms ({@link NotFoundException}, {@link ConflictException},
 * {@link InvalidInputException}, {@link ForbiddenException}, {@link RateLimitedException} …), never an HTTP status;
 * the HTTP runtime maps them to RFC 9457 problem responses in one place,
 * {@code dev.kino.control.http.internal.Problems}. A plain {@code ControlApiException} (or any other exception)
 * reaching the runtime is a bug or an outage: a 500 whose detail only names a log reference.
 *
 * <pre>{@code
 * throw new NotFoundException("no title " + id);                 // 404 not-found
 * throw new ConflictException("movie " + id + " already has its media item");   // 409 conflict
 * throw InvalidInputException.of("seasonNumber", "is required for an episode");   // 422 validation
 * }</pre>
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
