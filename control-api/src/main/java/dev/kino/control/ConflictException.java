package dev.kino.control;

/**
 * The request is well formed but the current state forbids it: a duplicate name, an illegal state change
 * (publishing a media item that is still packaging), deleting what is in use. HTTP: 409 {@code conflict}.
 */
public class ConflictException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    /** @param message what conflicts and, when there is one, what to do first */
    public ConflictException(String message) {
        super(message);
    }
}
