package dev.kino.control;

/** The content sent is larger than what was declared or allowed (an upload chunk past the upload's size). HTTP: 413. */
public class PayloadTooLargeException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
