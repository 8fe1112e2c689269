package dev.kino.protocol.hls;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A variant stream, {@code EXT-X-STREAM-INF} and the URI line after it (RFC 8216 §4.3.4.2). Immutable; build
 * one with {@link #builder()}.
 *
 * <p>Units: bandwidths in bits per second; frame rate in frames per second, rounded to three decimals;
 * resolution in pixels.
 */
public final class VariantStream {

    private final String uri;
    private final long bandwidth;
    private final long averageBandwidth; // -1 when absent
    private final List<String> codecs;
    private final Resolution resolution;
    private final double frameRate; // NaN when absent
    private final String audio;
    private final String video;
    private final String subtitles;
    private final String closedCaptions;
    private final boolean closedCaptionsNone;

    VariantStream(String uri, long bandwidth, long averageBandwidth, List<String> codecs, Resolution resolution,
                  double frameRate, String audio, String video, String subtitles, String closedCaptions,
                  boolean closedCaptionsNone) {
        this.uri = uri;
        this.bandwidth = bandwidth;
        this.averageBandwidth = averageBandwidth;
        this.codecs = codecs;
        this.resolution = resolution;
        this.frameRate = frameRate;
        this.audio = audio;
        this.video = video;
        this.subtitles = subtitles;
        this.closedCaptions = closedCaptions;
        this.closedCaptionsNone = closedCaptionsNone;
    }

    /**
     * Starts building a variant stream.
     *
     * @return a new builder
     */
    public static VariantStreamBuilder builder() {
        return new VariantStreamBuilder();
    }

    /**
     * Returns the URI of the variant's Media Playlist, written on the line after the tag.
     *
     * @return the URI
     */
    public String uri() {
        return uri;
    }

    /**
     * Returns {@code BANDWIDTH}, the peak segment bit rate.
     *
     * @return bits per second, positive
     */
    public long bandwidth() {
        return bandwidth;
    }

    /**
     * Returns {@code AVERAGE-BANDWIDTH}, the average segment bit rate.
     *
     * @return bits per second, or empty if absent
     */
    public OptionalLong averageBandwidth() {
        return averageBandwidth < 0 ? OptionalLong.empty() : OptionalLong.of(averageBandwidth);
    }

    /**
     * Returns {@code CODECS}, the RFC 6381 codec strings of every media format in the variant.
     *
     * @return e.g. {@code [avc1.640028, mp4a.40.2]}; empty if absent
     */
    public List<String> codecs() {
        return codecs;
    }

    /**
     * Returns {@code RESOLUTION}.
     *
     * @return the video resolution in pixels, or empty if absent
     */
    public Optional<Resolution> resolution() {
        return Optional.ofNullable(resolution);
    }

    /**
     * Returns {@code FRAME-RATE}, the maximum frame rate, rounded to three decimals.
     *
     * @return frames per second, or empty if absent
     */
    public OptionalDouble frameRate() {
        return Double.isNaN(frameRate) ? OptionalDouble.empty() : OptionalDouble.of(frameRate);
    }

    /**
     * Returns the {@code AUDIO} group id, which names {@link RenditionType#AUDIO} renditions.
     *
     * @return the group id, or empty if absent
     */
    public Optional<String> audio() {
        return Optional.ofNullable(audio);
    }

    /**
     * Returns the {@code VIDEO} group id, which names {@link RenditionType#VIDEO} renditions.
     *
     * @return the group id, or empty if absent
     */
    public Optional<String> video() {
        return Optional.ofNullable(video);
    }

    /**
     * Returns the {@code SUBTITLES} group id, which names {@link RenditionType#SUBTITLES} renditions.
     *
     * @return the group id, or empty if absent
     */
    public Optional<String> subtitles() {
        return Optional.ofNullable(subtitles);
    }

    /**
     * Returns the {@code CLOSED-CAPTIONS} group id, which names {@link RenditionType#CLOSED_CAPTIONS} renditions.
     *
     * @return the group id, or empty if absent or {@link #closedCaptionsNone() NONE}
     */
    public Optional<String> closedCaptions() {
        return Optional.ofNullable(closedCaptions);
    }

    /**
     * Returns whether {@code CLOSED-CAPTIONS=NONE} is written: the variant has no closed captions.
     *
     * @return true for the enumerated-string {@code NONE}
     */
    public boolean closedCaptionsNone() {
        return closedCaptionsNone;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VariantStream v && v.uri.equals(uri) && v.bandwidth == bandwidth
                && v.averageBandwidth == averageBandwidth && v.codecs.equals(codecs)
                && Objects.equals(v.resolution, resolution) && Double.compare(v.frameRate, frameRate) == 0
                && Objects.equals(v.audio, audio) && Objects.equals(v.video, video)
                && Objects.equals(v.subtitles, subtitles) && Objects.equals(v.closedCaptions, closedCaptions)
                && v.closedCaptionsNone == closedCaptionsNone;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, bandwidth, averageBandwidth, codecs, resolution, frameRate, audio, video, subtitles,
                closedCaptions, closedCaptionsNone);
    }

    @Override
    public String toString() {
        return "VariantStream{uri=" + uri + ", bandwidth=" + bandwidth
                + (averageBandwidth < 0 ? "" : ", averageBandwidth=" + averageBandwidth)
                + (codecs.isEmpty() ? "" : ", codecs=" + codecs) + (resolution == null ? "" : ", resolution=" + resolution)
                + (Double.isNaN(frameRate) ? "" : ", frameRate=" + Formats.frameRate(frameRate))
                + (audio == null ? "" : ", audio=" + audio) + (video == null ? "" : ", video=" + video)
                + (subtitles == null ? "" : ", subtitles=" + subtitles)
                + (closedCaptions == null ? "" : ", closedCaptions=" + closedCaptions)
                + (closedCaptionsNone ? ", closedCaptions=NONE" : "") + '}';
    }
}
