package dev.kino.control.web;

/**
 * One file of the web app, held in memory with everything needed to answer for it.
 *
 * @param path path under the app root, without a leading slash ({@code js/app.js})
 * @param body the bytes (shared: never modify)
 * @param gzip the bytes gzip-compressed, or null when compression would not pay
 * @param contentType {@code Content-Type} value, with a charset for text
 * @param etag strong entity tag, quoted ({@code "…"}), from the SHA-256 of {@code body}
 * @param cacheControl {@code Cache-Control} value
 */
public record Asset(String path, byte[] body, byte[] gzip, String contentType, String etag, String cacheControl) {
    /** @return whether this is the app's HTML shell (answered with the security headers of a document) */
    public boolean isDocument() {
        return contentType.startsWith("text/html");
    }
}
