package dev.kino.packager;

/** Thrown from a packaging run that was cancelled; the run has removed everything it had written. */
public final class PackagingCancelledException extends PackagingException {
    private static final long serialVersionUID = 1L;

    /** @param message which title or file was being processed */
    public PackagingCancelledException(String message) {
        super(message);
    }
}
