package dev.kino.control.media;

import dev.kino.control.http.ApiException;
import dev.kino.control.http.ProblemType;
import dev.kino.control.http.Request;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The raw bytes of a request body (upload chunks).
 *
 * <p>NOTE: {@link Request} only exposes its body as JSON, so this reads its private {@code body} field.
 * Replace with a {@code Request.bytes()} accessor once the runtime has one.
 */
final class RawBody {
    private static final VarHandle BODY;

    static {
        try {
            BODY = MethodHandles.privateLookupIn(Request.class, MethodHandles.lookup())
                    .findVarHandle(Request.class, "body", byte[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
        return (byte[]) BODY.get(req);
    }
}
