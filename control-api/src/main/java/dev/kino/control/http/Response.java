package dev.kino.control.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, extra headers and a body serialised as JSON (or nothing), or raw bytes
 * ({@link Bytes}, for images) with their own content type.
 *
 * @param status HTTP status
 * @param headers extra headers
 * @param body object serialised with {@link Json#MAPPER}, or null for an empty body
 */
public record Response(int status, Map<String, String> headers, Object body) {

    public static Response ok(Object body) {
        return new Response(200, Map.of(), body);
    }

    public static Response created(Object body, String location) {
        return new Response(201, Map.of("Location", location), body);
    }

    public static Response accepted(Object body) {
        return new Response(202, Map.of(), body);
    }

    public static Response noContent() {
        return new Response(204, Map.of(), null);
    }

    /**
     * A body sent as it is, not as JSON.
     *
     * @param bytes the body
     * @param contentType its media type, e.g. {@code image/jpeg}
     */
    public record Bytes(byte[] bytes, String contentType) {
    }

    /**
     * @param bytes the body, sent as it is
     * @param contentType its media type
     * @return 200 with that body and {@code Content-Type}
     */
    public static Response bytes(byte[] bytes, String contentType) {
        return new Response(200, Map.of("Content-Type", contentType), new Bytes(bytes, contentType));
    }

    /**
     * A body that never ends by itself: Server-Sent Events ({@code text/event-stream}, WHATWG HTML §9.2). The
     * runtime writes the response head (200, chunked, {@code Cache-Control: no-store}), then calls
     * {@link #open(EventSink)} on the connection's event loop.
     */
    @FunctionalInterface
    public interface EventStream {
        /** Called once, on the connection's event loop, after the head is written. Must not block. */
        void open(EventSink sink);
    }

    /**
     * The writing end of an {@link EventStream}. Thread-safe: writes from other threads hop to the event loop.
     * Nothing is buffered without bound: when the client reads slower than events come (the connection's outbound
     * buffer passes its high-water mark) the connection is closed, and the client resumes with
     * {@code Last-Event-ID}.
     */
    public interface EventSink {
        /**
         * Writes text as it is (one or more complete events, each ending with a blank line).
         *
         * @return false when the connection is closed (or was just closed for being too slow)
         */
        boolean send(String text);

        /** Ends the response and closes the connection. */
        void close();

        /** @return whether the connection is still open */
        boolean isOpen();

        /** Runs {@code task} once the connection is closed, by either side (at once when it is already). */
        void onClose(Runnable task);

        /** @return the connection's event loop, to run work in order with the writes */
        java.util.concurrent.Executor executor();
    }

    /** @return 200 whose body is {@code stream}, as {@code text/event-stream} */
    public static Response eventStream(EventStream stream) {
        return new Response(200, Map.of("Content-Type", "text/event-stream; charset=utf-8"), stream);
    }

    /**
     * An answer given later: the handler returns at once, so its blocking thread is free for other requests, and
     * the answer is written when {@code answer} completes, from whichever thread completes it. An exceptional
     * completion is answered as the same exception thrown by the handler would be (an {@link ApiException} or
     * another feature exception as its problem, anything else 500). The completed answer must not itself be later.
     *
     * @param answer completes with the answer
     */
    public record Later(java.util.concurrent.CompletionStage<Response> answer) {
    }

    /** @return an answer written once {@code answer} completes (see {@link Later}) */
    public static Response later(java.util.concurrent.CompletionStage<Response> answer) {
        return new Response(200, Map.of(), new Later(answer));
    }

    /** @return a copy with one more header */
    public Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, Map.copyOf(h), body);
    }
}
