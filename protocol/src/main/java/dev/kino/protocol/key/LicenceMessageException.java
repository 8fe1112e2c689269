package dev.kino.protocol.key;

/**
 * A licence or key message that cannot be accepted: malformed JSON, a missing or mistyped member, a key ID that is
 * not 16 bytes, too many key IDs, an unknown session type, bad base64url.
 *
 * <p>Unchecked (an {@link IllegalArgumentException}) so that HTTP layers can map it to {@code 400 Bad Request}.
 * The message describes what was wrong and is safe to return to a client: it never contains key bytes.
 */
public final class LicenceMessageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the message, naming the offending member
     */
    public LicenceMessageException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the message, naming the offending member
     * @param cause the underlying parse error (for logs)
     */
    public LicenceMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
