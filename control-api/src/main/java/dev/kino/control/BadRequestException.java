package dev.kino.control;

/**
 * The request cannot be understood as sent, before any field is looked at: a cursor this API did not issue, a
 * malformed parameter that is not a field of an input. HTTP: 400 {@code bad-request}.
 */
public class BadRequestException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(message);
    }
}
