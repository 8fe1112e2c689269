package dev.kino.control.http;

/**
 * Answers one request. Runs on the blocking executor: JDBC and password hashing are fine here. A handler whose answer
 * waits for something else (a write batched with other requests') returns {@link Response#later} and frees its thread.
 */
@FunctionalInterface
public interface Handler {
    /**
     * @throws ApiException for anything the client should be told; other exceptions become a 500
     */
    Response handle(Request request);
}
