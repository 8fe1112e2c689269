package dev.kino.protocol.hls;

import dev.kino.protocol.internal.Require;

import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link IFrameVariantStream}. Obtain one with {@link IFrameVariantStream#builder()};
 * {@link #uri(String)} and {@link #bandwidth(long)} are required.
 */
public final class IFrameVariantStreamBuilder {

    private String uri;
    private long bandwidth;
    private long averageBandwidth = -1;
    private List<String> codecs = List.of();
    private Resolution resolution;
    private String video;

    IFrameVariantStreamBuilder() {
    }

    /**
     * Sets the {@code URI} of the I-frame Media Playlist (required).
     *
     * @param uri relative or absolute URI
     * @return this builder
     */
    public IFrameVariantStreamBuilder uri(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
        return this;
    }

    /**
     * Sets {@code BANDWIDTH} (required).
     *
     * @param bitsPerSecond positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public IFrameVariantStreamBuilder bandwidth(long bitsPerSecond) {
        this.bandwidth = Require.positive("BANDWIDTH", bitsPerSecond);
        return this;
    }

    /**
     * Sets {@code AVERAGE-BANDWIDTH}.
     *
     * @param bitsPerSecond positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public IFrameVariantStreamBuilder averageBandwidth(long bitsPerSecond) {
        this.averageBandwidth = Require.positive("AVERAGE-BANDWIDTH", bitsPerSecond);
        return this;
    }

    /**
     * Sets {@code CODECS}.
     *
     * @param codecs RFC 6381 codec strings
     * @return this builder
     */
    public IFrameVariantStreamBuilder codecs(String... codecs) {
        return codecs(List.of(codecs));
    }

    /**
     * Sets {@code CODECS}.
     *
     * @param codecs RFC 6381 codec strings; none empty or containing a comma
     * @return this builder
     */
    public IFrameVariantStreamBuilder codecs(List<String> codecs) {
        this.codecs = List.copyOf(codecs);
        return this;
    }

    /**
     * Sets {@code RESOLUTION}.
     *
     * @param width pixels, positive
     * @param height pixels, positive
     * @return this builder
     */
    public IFrameVariantStreamBuilder resolution(int width, int height) {
        this.resolution = new Resolution(width, height);
        return this;
    }

    /**
     * Sets {@code RESOLUTION}.
     *
     * @param resolution the resolution
     * @return this builder
     */
    public IFrameVariantStreamBuilder resolution(Resolution resolution) {
        this.resolution = Objects.requireNonNull(resolution, "resolution");
        return this;
    }

    /**
     * Sets the {@code VIDEO} group id.
     *
     * @param groupId a {@code GROUP-ID} of {@link RenditionType#VIDEO} renditions
     * @return this builder
     */
    public IFrameVariantStreamBuilder video(String groupId) {
        this.video = Objects.requireNonNull(groupId, "groupId");
        return this;
    }

    /**
     * Validates and builds the I-frame variant stream.
     *
     * @return the variant
     * @throws IllegalArgumentException if the URI or {@code BANDWIDTH} is missing or invalid, a codec is empty or
     *         contains a comma, or a quoted value contains {@code "}, CR or LF
     */
    public IFrameVariantStream build() {
        if (uri == null) {
            throw new IllegalArgumentException("EXT-X-I-FRAME-STREAM-INF URI is required");
        }
        PlaylistValues.nonEmptyQuotedString("EXT-X-I-FRAME-STREAM-INF URI", uri);
        if (bandwidth <= 0) {
            throw new IllegalArgumentException("EXT-X-I-FRAME-STREAM-INF BANDWIDTH is required and must be positive ("
                    + uri + ")");
        }
        PlaylistValues.codecs(codecs);
        if (video != null) {
            PlaylistValues.nonEmptyQuotedString("EXT-X-I-FRAME-STREAM-INF VIDEO", video);
        }
        return new IFrameVariantStream(uri, bandwidth, averageBandwidth, codecs, resolution, video);
    }
}
