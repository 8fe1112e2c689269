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
 * {@code Origin} seen (a browser's players all send their site's).
 */
public final class PreparedHeads {
    /** One body's fields for one second; immutable, replaced whole. */
    private record Prepared(String date, String etag, HttpHeaders plain, String origin, HttpHeaders withOrigin) {
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
     * @return the fields of its {@code 200}, {@code Date} of this second included; shared: never modify them
     */
    HttpHeaders of(Representation rep, String origin) {
        String date = HttpDate.now(); // the same String for the whole second
        Prepared p = byBody.getIfPresent(rep.body());
        if (p == null || p.date() != date || !p.etag().equals(rep.etag())) {
            p = new Prepared(date, rep.etag(), FileResponses.plainHeaders(sc, rep, date, null), null, null);
            byBody.put(rep.body(), p);
        }
        if (origin == null) {
            return p.plain();
        }
        if (!origin.equals(p.origin())) {
            p = new Prepared(date, rep.etag(), p.plain(), origin, FileResponses.plainHeaders(sc, rep, date, origin));
            byBody.put(rep.body(), p);
        }
        return p.withOrigin();
    }
}
