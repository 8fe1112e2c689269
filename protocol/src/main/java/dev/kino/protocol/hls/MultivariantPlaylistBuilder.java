package dev.kino.protocol.hls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link MultivariantPlaylist}. Obtain one with {@link MultivariantPlaylist#builder()}; at least one
 * variant stream is required.
 */
public final class MultivariantPlaylistBuilder {

    private boolean independentSegments;
    private int minimumVersion = 1;
    private final List<EncryptionKey> sessionKeys = new ArrayList<>();
    private final List<Rendition> renditions = new ArrayList<>();
    private final List<VariantStream> variants = new ArrayList<>();
    private final List<IFrameVariantStream> iFrameVariants = new ArrayList<>();

    MultivariantPlaylistBuilder() {
    }

    /**
     * Sets whether {@code EXT-X-INDEPENDENT-SEGMENTS} is written (default false); in a multivariant playlist
     * it applies to every Media Playlist (RFC 8216 §4.3.5.1).
     *
     * @param independentSegments true to write the tag
     * @return this builder
     */
    public MultivariantPlaylistBuilder independentSegments(boolean independentSegments) {
        this.independentSegments = independentSegments;
        return this;
    }

    /**
     * Asks for at least this {@code EXT-X-VERSION}; the written version is the larger of this and the version
     * the content needs (RFC 8216 §7). §7 suggests (without requiring) 4 or higher when {@code EXT-X-MEDIA} is
     * used.
     *
     * @param version 1 to {@value Playlist#MAX_VERSION}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public MultivariantPlaylistBuilder minimumVersion(int version) {
        this.minimumVersion = PlaylistValues.version(version);
        return this;
    }

    /**
     * Adds an {@code EXT-X-SESSION-KEY}.
     *
     * @param key a key whose method is not {@link KeyMethod#NONE}
     * @return this builder
     */
    public MultivariantPlaylistBuilder addSessionKey(EncryptionKey key) {
        sessionKeys.add(Objects.requireNonNull(key, "key"));
        return this;
    }

    /**
     * Adds an {@code EXT-X-MEDIA} rendition.
     *
     * @param rendition the rendition
     * @return this builder
     */
    public MultivariantPlaylistBuilder addRendition(Rendition rendition) {
        renditions.add(Objects.requireNonNull(rendition, "rendition"));
        return this;
    }

    /**
     * Adds an {@code EXT-X-STREAM-INF} variant stream.
     *
     * @param variant the variant
     * @return this builder
     */
    public MultivariantPlaylistBuilder addVariant(VariantStream variant) {
        variants.add(Objects.requireNonNull(variant, "variant"));
        return this;
    }

    /**
     * Adds an {@code EXT-X-I-FRAME-STREAM-INF} I-frame variant stream.
     *
     * @param variant the I-frame variant
     * @return this builder
     */
    public MultivariantPlaylistBuilder addIFrameVariant(IFrameVariantStream variant) {
        iFrameVariants.add(Objects.requireNonNull(variant, "variant"));
        return this;
    }

    /**
     * Validates and builds the playlist.
     *
     * @return the playlist
     * @throws IllegalArgumentException if there is no variant stream; a variant references an {@code AUDIO},
     *         {@code VIDEO}, {@code SUBTITLES} or {@code CLOSED-CAPTIONS} group that no {@code EXT-X-MEDIA} of
     *         that type defines (RFC 8216 §4.3.4.2); some but not all variants say {@code CLOSED-CAPTIONS=NONE};
     *         two renditions of a group share a {@code NAME} or are both {@code DEFAULT=YES} (§4.3.4.1.1); a
     *         session key has {@code METHOD=NONE} or repeats another (§4.3.4.5)
     */
    public MultivariantPlaylist build() {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("a multivariant playlist needs at least one EXT-X-STREAM-INF");
        }
        Map<String, Set<String>> namesByGroup = new HashMap<>();
        Set<String> groupsWithDefault = new HashSet<>();
        for (Rendition r : renditions) {
            String group = groupKey(r.type(), r.groupId());
            if (!namesByGroup.computeIfAbsent(group, g -> new HashSet<>()).add(r.name())) {
                throw new IllegalArgumentException("two EXT-X-MEDIA in " + r.type().attributeValue() + " group \""
                        + r.groupId() + "\" are named \"" + r.name() + "\"; names must differ (RFC 8216 §4.3.4.1.1)");
            }
            if (r.isDefault() && !groupsWithDefault.add(group)) {
                throw new IllegalArgumentException(r.type().attributeValue() + " group \"" + r.groupId()
                        + "\" has more than one DEFAULT=YES member (RFC 8216 §4.3.4.1.1)");
            }
        }
        for (VariantStream v : variants) {
            String what = "EXT-X-STREAM-INF " + v.uri();
            checkGroup(namesByGroup, what, "AUDIO", RenditionType.AUDIO, v.audio().orElse(null));
            checkGroup(namesByGroup, what, "VIDEO", RenditionType.VIDEO, v.video().orElse(null));
            checkGroup(namesByGroup, what, "SUBTITLES", RenditionType.SUBTITLES, v.subtitles().orElse(null));
            checkGroup(namesByGroup, what, "CLOSED-CAPTIONS", RenditionType.CLOSED_CAPTIONS,
                    v.closedCaptions().orElse(null));
        }
        for (IFrameVariantStream v : iFrameVariants) {
            checkGroup(namesByGroup, "EXT-X-I-FRAME-STREAM-INF " + v.uri(), "VIDEO", RenditionType.VIDEO,
                    v.video().orElse(null));
        }
        boolean anyNone = variants.stream().anyMatch(VariantStream::closedCaptionsNone);
        if (anyNone) {
            for (VariantStream v : variants) {
                if (!v.closedCaptionsNone()) {
                    throw new IllegalArgumentException("EXT-X-STREAM-INF " + v.uri() + " lacks CLOSED-CAPTIONS=NONE, "
                            + "which another variant has; then all must have it (RFC 8216 §4.3.4.2)");
                }
            }
        }
        Set<EncryptionKey> seen = new HashSet<>();
        for (EncryptionKey k : sessionKeys) {
            if (k.method() == KeyMethod.NONE) {
                throw new IllegalArgumentException("EXT-X-SESSION-KEY cannot have METHOD=NONE (RFC 8216 §4.3.4.5)");
            }
            if (!seen.add(k)) {
                throw new IllegalArgumentException("duplicate EXT-X-SESSION-KEY " + k + " (RFC 8216 §4.3.4.5)");
            }
        }
        List<Rendition> r = List.copyOf(renditions);
        int required = MultivariantPlaylist.requiredVersion(r).version();
        return new MultivariantPlaylist(Math.max(required, minimumVersion), required, independentSegments,
                List.copyOf(sessionKeys), r, List.copyOf(variants), List.copyOf(iFrameVariants));
    }

    private static String groupKey(RenditionType type, String groupId) {
        return type.attributeValue() + '\u0000' + groupId;
    }

    private static void checkGroup(Map<String, Set<String>> groups, String what, String attribute,
                                   RenditionType type, String groupId) {
        if (groupId != null && !groups.containsKey(groupKey(type, groupId))) {
            throw new IllegalArgumentException(what + " references " + attribute + " group \"" + groupId
                    + "\" but no EXT-X-MEDIA with TYPE=" + type.attributeValue() + " has that GROUP-ID "
                    + "(RFC 8216 §4.3.4.2)");
        }
    }
}
