package dev.kino.protocol.hls;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An I-frame variant stream, {@code EXT-X-I-FRAME-STREAM-INF} (RFC 8216 §4.3.4.3): an I-frame Media Playlist
 * used for trick play. Immutable; build one with {@link #builder()}.
 *
 * <p>Units: bandwidths in bits per second; resolution in pixels.
 */
public final class IFrameVariantStream {

    private final String uri;
    private final long bandwidth;
    private final long averageBandwidth;
    private final List<String> codecs;
    private final Resolution resolution;
    private final String video;

    IFrameVariantStream(String uri, long bandwidth, long averageBandwidth, List<String> codecs,
                        Resolution resolution, String video) {
        this.uri = uri;
        this.bandwidth = bandwidth;
        this.averageBandwidth = averageBandwidth;
        this.codecs = codecs;
        this.resolution = resolution;
        this.video = video;
    }

    /**
     * Starts building an I-frame variant stream.
     *
     * @return a new builder
     */
    public static IFrameVariantStreamBuilder builder() {
        return new IFrameVariantStreamBuilder();
    }

    /**
     * Returns the {@code URI} of the I-frame Media Playlist.
     *
     * @return the URI
     */
    public String uri() {
        return uri;
    }

    /**
     * Returns {@code BANDWIDTH}, the peak bit rate of the I-frames.
     *
     * @return bits per second, positive
     */
    public long bandwidth() {
        return bandwidth;
    }

    /**
     * Returns {@code AVERAGE-BANDWIDTH}.
     *
     * @return bits per second, or empty if absent
     */
    public OptionalLong averageBandwidth() {
        return averageBandwidth < 0 ? OptionalLong.empty() : OptionalLong.of(averageBandwidth);
    }

    /**
     * Returns {@code CODECS}.
     *
     * @return RFC 6381 codec strings; empty if absent
     */
    public List<String> codecs() {
        return codecs;
    }

    /**
     * Returns {@code RESOLUTION}.
     *
     * @return the resolution in pixels, or empty if absent
     */
    public Optional<Resolution> resolution() {
        return Optional.ofNullable(resolution);
    }

    /**
     * Returns the {@code VIDEO} group id.
     *
     * @return the group id, or empty if absent
     */
    public Optional<String> video() {
        return Optional.ofNullable(video);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IFrameVariantStream v && v.uri.equals(uri) && v.bandwidth == bandwidth
                && v.averageBandwidth == averageBandwidth && v.codecs.equals(codecs)
                && Objects.equals(v.resolution, resolution) && Objects.equals(v.video, video);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, bandwidth, averageBandwidth, codecs, resolution, video);
    }

    @Override
    public String toString() {
        return "IFrameVariantStream{uri=" + uri + ", bandwidth=" + bandwidth
                + (averageBandwidth < 0 ? "" : ", averageBandwidth=" + averageBandwidth)
                + (codecs.isEmpty() ? "" : ", codecs=" + codecs) + (resolution == null ? "" : ", resolution=" + resolution)
                + (video == null ? "" : ", video=" + video) + '}';
    }
}
