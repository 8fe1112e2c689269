package dev.kino.protocol.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Builds absolute signed playback URLs from a base URL, a token and a title, using the layout of
 * {@link MediaPaths}. No I/O: the base URL is only parsed ({@link URI}, RFC 3986).
 */
public final class SignedUrls {

    private SignedUrls() {
    }

    /**
     * @param baseUrl absolute {@code http} or {@code https} URL of the media server or CDN, optionally
     *     with a path prefix, no query or fragment, e.g. {@code https://cdn.example.com} (a trailing
     *     {@code '/'} is ignored)
     * @param token a token from {@link TokenSigner#sign}
     * @param titleId a title id (validated as {@link TitleId})
     * @return {@code {baseUrl}/v/{token}/{titleId}/master.m3u8}
     * @throws IllegalArgumentException if an argument is invalid
     */
    public static String hls(String baseUrl, String token, String titleId) {
        return hls(baseUrl, token, TitleId.of(titleId));
    }

    /**
     * @param baseUrl see {@link #hls(String, String, String)}
     * @param token a token from {@link TokenSigner#sign}
     * @param title the title
     * @return {@code {baseUrl}/v/{token}/{title}/master.m3u8}
     * @throws IllegalArgumentException if an argument is invalid
     */
    public static String hls(String baseUrl, String token, TitleId title) {
        return base(baseUrl) + MediaPaths.masterPlaylist(token, title);
    }

    /**
     * @param baseUrl see {@link #hls(String, String, String)}
     * @param token a token from {@link TokenSigner#sign}
     * @param titleId a title id (validated as {@link TitleId})
     * @return {@code {baseUrl}/v/{token}/{titleId}/manifest.mpd}
     * @throws IllegalArgumentException if an argument is invalid
     */
    public static String dash(String baseUrl, String token, String titleId) {
        return dash(baseUrl, token, TitleId.of(titleId));
    }

    /**
     * @param baseUrl see {@link #hls(String, String, String)}
     * @param token a token from {@link TokenSigner#sign}
     * @param title the title
     * @return {@code {baseUrl}/v/{token}/{title}/manifest.mpd}
     * @throws IllegalArgumentException if an argument is invalid
     */
    public static String dash(String baseUrl, String token, TitleId title) {
        return base(baseUrl) + MediaPaths.dashManifest(token, title);
    }

    private static String base(String baseUrl) {
        if (baseUrl == null) {
            throw new IllegalArgumentException("baseUrl is required");
        }
        String b = baseUrl;
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(b);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL without user info, query or fragment");
        }
        return b;
    }
}
