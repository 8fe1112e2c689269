package dev.kino.common.packaging;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a title's media is protected: the one definition used by {@code packager.protection}, the packager, the
 * control API's job queue (the {@code protection} field of a job) and {@code ./kino package --protect}.
 *
 * <ul>
 *   <li>{@link #NONE} ({@code none}): one clear copy of the segments, served by HLS and DASH.</li>
 *   <li>{@link #AES_128} ({@code aes-128}): HLS only; each segment file AES-128-CBC encrypted
 *       ({@code EXT-X-KEY:METHOD=AES-128}, RFC 8216 §4.3.2.4), initialization sections clear. No MPD (DASH has no
 *       whole-segment encryption).</li>
 *   <li>{@link #CENC} ({@code cenc}): one copy with {@code cenc} sample encryption (ISO/IEC 23001-7): DASH with
 *       {@code ContentProtection}, and HLS with {@code METHOD=SAMPLE-AES-CTR}.</li>
 *   <li>{@link #BOTH} ({@code aes-128+cenc}): two copies: AES-128 segments under {@code video-…/} for HLS,
 *       {@code cenc} segments under {@code cenc/video-…/} for DASH, each with its own content key.</li>
 * </ul>
 */
public enum Protection {
    /** Clear. */
    NONE("none"),
    /** HLS AES-128 whole-segment encryption. */
    AES_128("aes-128"),
    /** Common Encryption, {@code cenc} scheme. */
    CENC("cenc"),
    /** AES-128 for HLS and {@code cenc} for DASH. */
    BOTH("aes-128+cenc");

    private final String wire;

    Protection(String wire) {
        this.wire = wire;
    }

    /** @return the name written in configuration, requests and the database, e.g. {@code aes-128+cenc} */
    public String wire() {
        return wire;
    }

    /** @return every wire name, in declaration order */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Protection::wire).toList();
    }

    /**
     * @param text a wire name, case-insensitive; {@code both} is accepted for {@code aes-128+cenc}
     * @return the protection, or empty when {@code text} names none
     */
    public static Optional<Protection> fromWire(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("both")) {
            return Optional.of(BOTH);
        }
        return Arrays.stream(values()).filter(p -> p.wire.equals(t)).findFirst();
    }

    /**
     * @param text a wire name (see {@link #fromWire})
     * @return the protection
     * @throws IllegalArgumentException naming the allowed values when {@code text} names none
     */
    public static Protection parse(String text) {
        return fromWire(text).orElseThrow(() -> new IllegalArgumentException("protection must be one of "
                + String.join(", ", wireNames()) + ", not '" + text + "'"));
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

    @Override
    public String toString() {
        return wire;
    }
}
