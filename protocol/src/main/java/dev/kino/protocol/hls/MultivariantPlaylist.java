package dev.kino.protocol.hls;

import java.util.List;
import java.util.Objects;

/**
 * A Multivariant Playlist (RFC 8216 "Master Playlist", §4.3.4; renamed in draft-pantos-hls-rfc8216bis): the
 * variant streams ({@code EXT-X-STREAM-INF}), alternative renditions ({@code EXT-X-MEDIA}), I-frame variant
 * streams ({@code EXT-X-I-FRAME-STREAM-INF}) and session keys ({@code EXT-X-SESSION-KEY}) of one
 * presentation. Immutable; build one with {@link #builder()}.
 */
public final class MultivariantPlaylist implements Playlist {

    private final int version;
    private final int requiredVersion;
    private final boolean independentSegments;
    private final List<EncryptionKey> sessionKeys;
    private final List<Rendition> renditions;
    private final List<VariantStream> variants;
    private final List<IFrameVariantStream> iFrameVariants;

    MultivariantPlaylist(int version, int requiredVersion, boolean independentSegments,
                         List<EncryptionKey> sessionKeys, List<Rendition> renditions, List<VariantStream> variants,
                         List<IFrameVariantStream> iFrameVariants) {
        this.version = version;
        this.requiredVersion = requiredVersion;
        this.independentSegments = independentSegments;
        this.sessionKeys = sessionKeys;
        this.renditions = renditions;
        this.variants = variants;
        this.iFrameVariants = iFrameVariants;
    }

    /**
     * Starts building a multivariant playlist.
     *
     * @return a new builder
     */
    public static MultivariantPlaylistBuilder builder() {
        return new MultivariantPlaylistBuilder();
    }

    /**
     * Computes the lowest protocol version needed per RFC 8216 §7: 7 if an {@code EXT-X-MEDIA} has an
     * {@code INSTREAM-ID} of {@code SERVICEn}, otherwise 1. (§7's rules on {@code IV} and {@code KEYFORMAT} are
     * about Media Playlists and do not apply to {@code EXT-X-SESSION-KEY}; §7 lets a server declare 4 or higher
     * when it uses {@code EXT-X-MEDIA} but does not require it: use
     * {@link MultivariantPlaylistBuilder#minimumVersion(int)} for that.)
     */
    static VersionRequirement requiredVersion(List<Rendition> renditions) {
        VersionRequirement r = VersionRequirement.BASELINE;
        for (Rendition m : renditions) {
            if (m.instreamId().filter(id -> id.startsWith("SERVICE")).isPresent()) {
                r = r.max(7, "INSTREAM-ID=\"SERVICEn\" in EXT-X-MEDIA needs version 7 (RFC 8216 §7)");
            }
        }
        return r;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public int requiredVersion() {
        return requiredVersion;
    }

    @Override
    public boolean independentSegments() {
        return independentSegments;
    }

    /**
     * Returns the {@code EXT-X-SESSION-KEY}s (§4.3.4.5), which let a client preload keys.
     *
     * @return the keys, none with method {@link KeyMethod#NONE}; possibly empty
     */
    public List<EncryptionKey> sessionKeys() {
        return sessionKeys;
    }

    /**
     * Returns the {@code EXT-X-MEDIA} renditions in playlist order.
     *
     * @return an unmodifiable list, possibly empty
     */
    public List<Rendition> renditions() {
        return renditions;
    }

    /**
     * Returns the {@code EXT-X-STREAM-INF} variant streams in playlist order.
     *
     * @return an unmodifiable list with at least one variant
     */
    public List<VariantStream> variants() {
        return variants;
    }

    /**
     * Returns the {@code EXT-X-I-FRAME-STREAM-INF} I-frame variant streams in playlist order.
     *
     * @return an unmodifiable list, possibly empty
     */
    public List<IFrameVariantStream> iFrameVariants() {
        return iFrameVariants;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultivariantPlaylist p && p.version == version
                && p.independentSegments == independentSegments && p.sessionKeys.equals(sessionKeys)
                && p.renditions.equals(renditions) && p.variants.equals(variants)
                && p.iFrameVariants.equals(iFrameVariants);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, independentSegments, sessionKeys, renditions, variants, iFrameVariants);
    }

    @Override
    public String toString() {
        return "MultivariantPlaylist{version=" + version + (independentSegments ? ", independentSegments" : "")
                + (sessionKeys.isEmpty() ? "" : ", sessionKeys=" + sessionKeys) + ", renditions=" + renditions
                + ", variants=" + variants + ", iFrameVariants=" + iFrameVariants + '}';
    }
}
