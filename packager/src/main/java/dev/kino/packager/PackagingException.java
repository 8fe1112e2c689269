package dev.kino.packager;

/**
 * The root of every packaging failure: unreadable or unsupported input, an encoder that cannot be opened,
 * a verification that failed, an I/O error while writing a title. Unchecked. The message names the file
 * (or title) and the problem in words a person can act on; the cause, when there is one, carries the detail.
 */
public class PackagingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the file or title */
    public PackagingException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or title
     * @param cause the underlying failure
     */
    public PackagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
