package dev.kino.control.media;

import dev.kino.control.http.ApiException;
import dev.kino.control.http.ProblemType;
import dev.kino.control.http.Request;

import java.util.Locale;

/** The raw bytes of a request body (upload chunks). */
final class RawBody {
    private RawBody() {
    }

    /**
     * @return the body of an {@code application/octet-stream} request (never copied)
     * @throws ApiException 415 for another content type
     */
    static byte[] octets(Request req) {
        String ct = req.header("Content-Type");
        String mime = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/octet-stream")) {
            throw ApiException.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "a chunk is application/octet-stream, not "
                    + (ct == null ? "absent" : "'" + ct + "'"));
        }
        return req.bytes();
    }
}
