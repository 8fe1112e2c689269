package dev.kino.media.http;

import dev.kino.media.MediaException;

/** 405: the resource exists but not for this method; the answer carries {@code Allow} (RFC 9110 §15.5.6). */
public final class MethodNotAllowedException extends MediaException {
    private static final long serialVersionUID = 1L;
    private final String allow;

    /** @param allow the Allow header value, e.g. {@code GET, HEAD, OPTIONS} */
    public MethodNotAllowedException(String allow) {
        super(405, "method-not-allowed", "Method not allowed", "allowed here: " + allow);
        this.allow = allow;
    }

    /** @return the Allow header value */
    public String allow() {
        return allow;
    }
}
