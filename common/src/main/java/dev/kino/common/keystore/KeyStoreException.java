package dev.kino.common.keystore;

/**
 * A wrapped-key file that cannot be used: unreadable, malformed, or wrapped with another
 * key-encryption key. The message names the file or key id, never key material.
 */
public final class KeyStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file or key id */
    public KeyStoreException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file or key id
     * @param cause the underlying failure
     */
    public KeyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
