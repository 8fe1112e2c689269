package dev.kino.media.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kino.media.file.Representation;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The response fields of a plain {@code 200} for each in-memory body ({@link FileResponses#plainHeaders}), made once
 * per body and second (the {@code Date} field changes once a second) and shared by every request for it until then:
 * the fast path ({@link FastAnswers}) hands the same fields object to every answer, and the HTTP encoder only reads
 * it. Bodies are told apart by identity (a re-published file has new bytes, and its gzip coding bytes of their own),
 * held weakly: a body {@code MediaFiles} has dropped takes its fields with it. Thread-safe; one per server.
 *
 * <p>Per body it keeps the fields without CORS (a request with no {@code Origin}) and those of the last
 * {@code Origin} seen (a browser's players all send their site's), and, for bodies up to {@link #MAX_DIRECT_BYTES},
 * a copy of the body in direct memory that every answer sends a view of.
 */
public final class PreparedHeads {
    /**
     * One body's fields for one second; immutable, replaced whole.
     *
     * @param direct a copy of the body in direct memory (bodies up to {@link #MAX_DIRECT_BYTES}), or null
     */
    record Prepared(String date, String etag, HttpHeaders plain, String origin, HttpHeaders withOrigin,
                    io.netty.buffer.ByteBuf direct) {
        /**
         * @param body the body these fields are for ({@link Representation#body()})
         * @return a buffer of the body for one answer: a view of the direct copy (it is written to the socket as it
         *     is), else the heap bytes wrapped (Netty's epoll transport copies those into a new direct buffer for
         *     every write)
         */
        io.netty.buffer.ByteBuf content(byte[] body) {
            return direct != null ? direct.duplicate() : io.netty.buffer.Unpooled.wrappedBuffer(body);
        }

        /** @return the fields for a request with this {@code Origin} (null: none) */
        HttpHeaders fields(String requestOrigin) {
            return requestOrigin == null ? plain : withOrigin;
        }
    }

    /**
     * Largest body kept in direct memory too (playlists and text tracks mostly): one copy per body, freed by the
     * JDK's cleaner once the body is dropped, against a direct buffer allocated, copied into and released for every
     * answer.
     */
    static final int MAX_DIRECT_BYTES = 16 << 10;

    private static io.netty.buffer.ByteBuf direct(byte[] body) {
        if (body.length == 0 || body.length > MAX_DIRECT_BYTES) {
            return null;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(body.length).put(body).flip();
        // shared by every answer: its views are released by the channel, the buffer itself never (JDK-managed)
        return io.netty.buffer.Unpooled.unreleasableBuffer(io.netty.buffer.Unpooled.wrappedBuffer(b));
    }

    private final ServerContext sc;
    private final Cache<byte[], Prepared> byBody = Caffeine.newBuilder()
            .executor(Runnable::run).weakKeys().maximumSize(10_000).build(); // upkeep on the reader: see MediaFiles

    /** @param sc the server whose cache policy and CORS the fields follow */
    public PreparedHeads(ServerContext sc) {
        this.sc = sc;
    }

    /**
     * @param rep an in-memory representation ({@link Representation#body()} not null)
     * @param origin the request's {@code Origin}, or null
     * @return its prepared answer parts of this second: {@link Prepared#fields} for {@code origin} and
     *     {@link Prepared#content}; shared: never modify them
     */
    Prepared prepared(Representation rep, String origin) {
        String date = HttpDate.now(); // the same String for the whole second
        Prepared p = byBody.getIfPresent(rep.body());
        if (p == null || p.date() != date || !p.etag().equals(rep.etag())) {
            io.netty.buffer.ByteBuf direct = p != null && p.etag().equals(rep.etag()) ? p.direct() : direct(rep.body());
            p = new Prepared(date, rep.etag(), FileResponses.plainHeaders(sc, rep, date, null), null, null, direct);
            byBody.put(rep.body(), p);
        }
        if (origin != null && !origin.equals(p.origin())) {
            p = new Prepared(date, rep.etag(), p.plain(), origin, FileResponses.plainHeaders(sc, rep, date, origin),
                    p.direct());
            byBody.put(rep.body(), p);
        }
        return p;
    }
}
