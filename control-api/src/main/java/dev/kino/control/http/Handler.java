package dev.kino.control.http;

/** Answers one request. Runs on the blocking executor: JDBC and password hashing are fine here. */
@FunctionalInterface
public interface Handler {
    /**
     * @throws ApiException for anything the client should be told; other exceptions become a 500
     */
    Response handle(Request request);
}
