package dev.kino.common.config;

/**
 * A configuration that cannot be used: an unknown key, a value of the wrong type or out of range, an
 * unreadable file. The message is one line meant for the operator: it names the key, where the value
 * came from and what is allowed, and never contains a secret value.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one operator-facing line naming the key, its source and what is allowed */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * @param message one operator-facing line naming the problem
     * @param cause the underlying failure (kept for the log, not shown to the user)
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
