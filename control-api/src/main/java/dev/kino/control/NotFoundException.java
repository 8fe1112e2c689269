package dev.kino.control;

/**
 * The thing asked for does not exist, or does not exist for this caller (an unpublished title to a viewer,
 * another account's upload): the two are answered alike so that nothing leaks. HTTP: 404 {@code not-found}.
 */
public class NotFoundException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    /** @param message what was not found, for the client: {@code no title 0b6f…} */
    public NotFoundException(String message) {
        super(message);
    }
}
