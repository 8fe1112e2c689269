package dev.kino.protocol.token;

import java.util.Objects;
import java.util.Optional;

/**
 * The one place that defines where tokens and media live in URL paths. All paths a player fetches
 * are under {@code /v/{token}/{title}/}, so every relative URI in a playlist or MPD inherits the token:
 *
 * <pre>
 * /v/{token}/{title}/master.m3u8          HLS multivariant playlist   ({@link #masterPlaylist})
 * /v/{token}/{title}/manifest.mpd         DASH MPD                     ({@link #dashManifest})
 * /v/{token}/{title}/keys/{keyId}         content key (HLS AES-128)    ({@link #key})
 * /v/{token}/{title}/license/clearkey     ClearKey licence (DASH)      ({@link #clearKeyLicence})
 * /v/{token}/{title}/...                  renditions, init segments, media segments
 * </pre>
 *
 * <p>The token's path ACL for a title is {@code /{title}/} ({@link #titlePrefix}) and is matched
 * against the path <em>after</em> the token segment ({@link #split}).
 */
public final class MediaPaths {

    /** Prefix of every tokenised path; the token is the next segment. */
    public static final String TOKEN_ROOT = "/v/";
    /** File name of the HLS multivariant (master) playlist in a title directory. */
    public static final String MASTER_PLAYLIST = "master.m3u8";
    /** File name of the DASH MPD in a title directory. */
    public static final String DASH_MANIFEST = "manifest.mpd";
    /** Directory of content keys in a title directory; the key id is the next segment. */
    public static final String KEYS_DIR = "keys";
    /** Path of the ClearKey licence endpoint relative to the title directory. */
    public static final String CLEARKEY_LICENCE = "license/clearkey";

    private MediaPaths() {
    }

    /**
     * The path ACL granting a whole title.
     *
     * @param title the title
     * @return {@code "/" + title + "/"}, e.g. {@code /title-123/}
     */
    public static String titlePrefix(TitleId title) {
        return "/" + Objects.requireNonNull(title, "title").value() + "/";
    }

    /**
     * @param token a token (unreserved characters only)
     * @param title the title
     * @return {@code /v/{token}/{title}/master.m3u8}
     * @throws IllegalArgumentException if {@code token} is not a safe path segment
     */
    public static String masterPlaylist(String token, TitleId title) {
        return titleRoot(token, title) + MASTER_PLAYLIST;
    }

    /**
     * @param token a token (unreserved characters only)
     * @param title the title
     * @return {@code /v/{token}/{title}/manifest.mpd}
     * @throws IllegalArgumentException if {@code token} is not a safe path segment
     */
    public static String dashManifest(String token, TitleId title) {
        return titleRoot(token, title) + DASH_MANIFEST;
    }

    /**
     * @param token a token (unreserved characters only)
     * @param title the title
     * @param keyId the content key id, e.g. 32 hex digits; 1-128 RFC 3986 unreserved characters, not
     *     {@code .} or {@code ..}
     * @return {@code /v/{token}/{title}/keys/{keyId}}
     * @throws IllegalArgumentException if {@code token} or {@code keyId} is not a safe path segment
     */
    public static String key(String token, TitleId title, String keyId) {
        if (keyId == null || keyId.length() > 128 || !TokenFormat.isPathSafeToken(keyId)) {
            throw new IllegalArgumentException("key id must be 1-128 unreserved characters");
        }
        return titleRoot(token, title) + KEYS_DIR + "/" + keyId;
    }

    /**
     * @param token a token (unreserved characters only)
     * @param title the title
     * @return {@code /v/{token}/{title}/license/clearkey}
     * @throws IllegalArgumentException if {@code token} is not a safe path segment
     */
    public static String clearKeyLicence(String token, TitleId title) {
        return titleRoot(token, title) + CLEARKEY_LICENCE;
    }

    /**
     * @param token a token (unreserved characters only)
     * @param title the title
     * @return {@code /v/{token}/{title}/}, the base for relative URIs
     * @throws IllegalArgumentException if {@code token} is not a safe path segment
     */
    public static String titleRoot(String token, TitleId title) {
        if (!TokenFormat.isPathSafeToken(token)) {
            throw new IllegalArgumentException("token must be 1-" + TokenFormat.MAX_TOKEN_LENGTH
                    + " RFC 3986 unreserved characters");
        }
        return TOKEN_ROOT + token + titlePrefix(title);
    }

    /**
     * Splits a request path into the token segment and the protected path that the token's ACL is
     * matched against: {@code /v/TOKEN/title-123/720p/seg-1.m4s} → ({@code TOKEN},
     * {@code /title-123/720p/seg-1.m4s}). Does not validate either part ({@link TokenVerifier} does).
     *
     * @param rawPath the request path as received (not percent-decoded, no query); may be null
     * @return the parts, or empty if the path does not start with {@link #TOKEN_ROOT}, the token segment
     *     is empty, or nothing follows it
     */
    public static Optional<TokenizedPath> split(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(TOKEN_ROOT)) {
            return Optional.empty();
        }
        int slash = rawPath.indexOf('/', TOKEN_ROOT.length());
        if (slash <= TOKEN_ROOT.length() || slash == rawPath.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new TokenizedPath(rawPath.substring(TOKEN_ROOT.length(), slash), rawPath.substring(slash)));
    }

    /**
     * A request path split by {@link #split}.
     *
     * @param token the token segment as received
     * @param path the rest of the path, starting with {@code '/'}
     */
    public record TokenizedPath(String token, String path) {
        /**
         * @param token the token segment
         * @param path the rest of the path
         * @throws NullPointerException if either is null
         */
        public TokenizedPath {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(path, "path");
        }
    }
}
