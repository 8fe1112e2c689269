package dev.kino.control.db;

import dev.kino.control.ControlApiException;

/** The database could not be started, reached or migrated. */
public final class DatabaseException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
