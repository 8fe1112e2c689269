package dev.kino.control.http;

/**
 * Answers one request. Runs on the blocking executor, or on the route's own ({@link Router.RouteBuilder#executor}):
 * JDBC and password hashing are fine here, never on an event loop. A handler whose answer
 * waits for something else (a write batched with other requests') returns {@link Response#later} and frees its thread.
 */
@FunctionalInterface
public interface Handler {
    /**
     * @throws ApiException for anything the client should be told; other exceptions become a 500
     */
    Response handle(Request request);
}
