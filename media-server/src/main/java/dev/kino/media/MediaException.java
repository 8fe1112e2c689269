package dev.kino.media;

/**
 * The one unchecked root of the media server's failures that map to an HTTP answer. Each carries the
 * status and an RFC 9457 problem type; {@code dev.kino.media.http.Problems} is the one place that turns
 * them into {@code application/problem+json} responses (always {@code Cache-Control: no-store}, so no
 * cache ever keeps an error).
 */
public class MediaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Base URI of Kino's problem types; the type slug is appended. */
    public static final String PROBLEM_BASE = "https://kino.dev/problems/";

    private final int status;
    private final String type;
    private final String title;

    /**
     * @param status HTTP status code
     * @param type problem type slug, e.g. {@code not-found} (appended to {@link #PROBLEM_BASE})
     * @param title short human summary of the problem type
     * @param detail what happened in this case (sent to the client: never secrets or file system paths)
     */
    public MediaException(int status, String type, String title, String detail) {
        // No stack trace: these are expected outcomes of bad requests, answered by the thousand.
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return the problem type URI */
    public String type() {
        return PROBLEM_BASE + type;
    }

    /** @return the problem title */
    public String title() {
        return title;
    }

    /** @return the per-occurrence detail */
    public String detail() {
        return getMessage();
    }

    /** 404: nothing is published at this path (or it was taken down). */
    public static MediaException notFound(String detail) {
        return new MediaException(404, "not-found", "Not found", detail);
    }

    /** 400: the request path is malformed or unsafe. */
    public static MediaException badPath(String detail) {
        return new MediaException(400, "bad-path", "Malformed or unsafe path", detail);
    }
}
