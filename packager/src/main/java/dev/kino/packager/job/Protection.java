package dev.kino.packager.job;

import java.util.Locale;

/**
 * How a title's media is protected.
 *
 * <ul>
 *   <li>{@link #NONE}: one clear copy of the segments, served by HLS and DASH.</li>
 *   <li>{@link #AES_128}: HLS only; each segment file AES-128-CBC encrypted ({@code EXT-X-KEY:METHOD=AES-128},
 *       RFC 8216 §4.3.2.4), init sections clear. No MPD (DASH has no whole-segment encryption).</li>
 *   <li>{@link #CENC}: one copy with {@code cenc} sample encryption (ISO/IEC 23001-7): DASH with
 *       {@code ContentProtection}, and HLS with {@code METHOD=SAMPLE-AES-CTR}.</li>
 *   <li>{@link #BOTH}: two copies: AES-128 segments under {@code video-…/} for HLS, {@code cenc} segments under
 *       {@code cenc/video-…/} for DASH, each with its own key.</li>
 * </ul>
 */
public enum Protection {
    /** Clear. */
    NONE,
    /** HLS AES-128 whole-segment encryption. */
    AES_128,
    /** Common Encryption {@code cenc}. */
    CENC,
    /** AES-128 for HLS and {@code cenc} for DASH. */
    BOTH;

    /**
     * @param text {@code none}, {@code aes-128}, {@code cenc}, {@code both} or {@code aes-128+cenc} (case-insensitive)
     * @return the value
     * @throws IllegalArgumentException for anything else
     */
    public static Protection parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "aes-128", "aes128" -> AES_128;
            case "cenc" -> CENC;
            case "both", "aes-128+cenc" -> BOTH;
            default -> throw new IllegalArgumentException("protection must be none, aes-128, cenc or both, not " + text);
        };
    }

    /** @return true when HLS uses AES-128 segments */
    public boolean hlsAes() {
        return this == AES_128 || this == BOTH;
    }

    /** @return true when a {@code cenc} copy exists */
    public boolean cenc() {
        return this == CENC || this == BOTH;
    }

    /** @return true when a DASH MPD is written */
    public boolean dash() {
        return this != AES_128;
    }
}
