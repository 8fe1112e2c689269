package dev.kino.protocol.hls;

import dev.kino.protocol.internal.Require;
import dev.kino.protocol.media.FrameRate;

import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link VariantStream}. Obtain one with {@link VariantStream#builder()}; {@link #uri(String)} and
 * {@link #bandwidth(long)} are required.
 */
public final class VariantStreamBuilder {

    private String uri;
    private long bandwidth;
    private long averageBandwidth = -1;
    private List<String> codecs = List.of();
    private Resolution resolution;
    private double frameRate = Double.NaN;
    private String audio;
    private String video;
    private String subtitles;
    private String closedCaptions;
    private boolean closedCaptionsNone;

    VariantStreamBuilder() {
    }

    /**
     * Sets the URI of the variant's Media Playlist (required).
     *
     * @param uri relative or absolute URI; not blank, no CR/LF, not starting with {@code #}
     * @return this builder
     */
    public VariantStreamBuilder uri(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
        return this;
    }

    /**
     * Sets {@code BANDWIDTH} (required), the peak segment bit rate.
     *
     * @param bitsPerSecond positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public VariantStreamBuilder bandwidth(long bitsPerSecond) {
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
    public VariantStreamBuilder averageBandwidth(long bitsPerSecond) {
        this.averageBandwidth = Require.positive("AVERAGE-BANDWIDTH", bitsPerSecond);
        return this;
    }

    /**
     * Sets {@code CODECS}.
     *
     * @param codecs RFC 6381 codec strings, e.g. {@code "avc1.640028", "mp4a.40.2"}
     * @return this builder
     */
    public VariantStreamBuilder codecs(String... codecs) {
        return codecs(List.of(codecs));
    }

    /**
     * Sets {@code CODECS}.
     *
     * @param codecs RFC 6381 codec strings; none empty or containing a comma
     * @return this builder
     */
    public VariantStreamBuilder codecs(List<String> codecs) {
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
    public VariantStreamBuilder resolution(int width, int height) {
        this.resolution = new Resolution(width, height);
        return this;
    }

    /**
     * Sets {@code RESOLUTION}.
     *
     * @param resolution the resolution
     * @return this builder
     */
    public VariantStreamBuilder resolution(Resolution resolution) {
        this.resolution = Objects.requireNonNull(resolution, "resolution");
        return this;
    }

    /**
     * Sets {@code FRAME-RATE}; it is rounded to three decimals, as RFC 8216 §4.3.4.2 says it is written.
     *
     * @param framesPerSecond positive and finite, e.g. {@code 29.97} or {@code 30000.0 / 1001}
     * @return this builder
     * @throws IllegalArgumentException if not positive and finite, or 0 once rounded
     */
    public VariantStreamBuilder frameRate(double framesPerSecond) {
        this.frameRate = PlaylistValues.frameRate(framesPerSecond);
        return this;
    }

    /**
     * Sets {@code FRAME-RATE} from an exact rate: {@link FrameRate#fps()} rounded to three decimals
     * ({@code 30000/1001} is written {@code 29.970}).
     *
     * @param rate the rate, as DASH's {@code @frameRate} and the packager carry it
     * @return this builder
     */
    public VariantStreamBuilder frameRate(FrameRate rate) {
        return frameRate(Objects.requireNonNull(rate, "rate").fps());
    }

    /**
     * Sets the {@code AUDIO} group id.
     *
     * @param groupId a {@code GROUP-ID} of {@link RenditionType#AUDIO} renditions of the same playlist
     * @return this builder
     */
    public VariantStreamBuilder audio(String groupId) {
        this.audio = Objects.requireNonNull(groupId, "groupId");
        return this;
    }

    /**
     * Sets the {@code VIDEO} group id.
     *
     * @param groupId a {@code GROUP-ID} of {@link RenditionType#VIDEO} renditions of the same playlist
     * @return this builder
     */
    public VariantStreamBuilder video(String groupId) {
        this.video = Objects.requireNonNull(groupId, "groupId");
        return this;
    }

    /**
     * Sets the {@code SUBTITLES} group id.
     *
     * @param groupId a {@code GROUP-ID} of {@link RenditionType#SUBTITLES} renditions of the same playlist
     * @return this builder
     */
    public VariantStreamBuilder subtitles(String groupId) {
        this.subtitles = Objects.requireNonNull(groupId, "groupId");
        return this;
    }

    /**
     * Sets the {@code CLOSED-CAPTIONS} group id (clears {@link #noClosedCaptions()}).
     *
     * @param groupId a {@code GROUP-ID} of {@link RenditionType#CLOSED_CAPTIONS} renditions
     * @return this builder
     */
    public VariantStreamBuilder closedCaptions(String groupId) {
        this.closedCaptions = Objects.requireNonNull(groupId, "groupId");
        this.closedCaptionsNone = false;
        return this;
    }

    /**
     * Writes {@code CLOSED-CAPTIONS=NONE} (clears any group id). If one variant says NONE, all must
     * (RFC 8216 §4.3.4.2).
     *
     * @return this builder
     */
    public VariantStreamBuilder noClosedCaptions() {
        this.closedCaptions = null;
        this.closedCaptionsNone = true;
        return this;
    }

    /**
     * Validates and builds the variant stream.
     *
     * @return the variant
     * @throws IllegalArgumentException if the URI or {@code BANDWIDTH} is missing or invalid, a codec is empty or
     *         contains a comma, or a quoted value contains {@code "}, CR or LF
     */
    public VariantStream build() {
        if (uri == null) {
            throw new IllegalArgumentException("EXT-X-STREAM-INF needs a URI");
        }
        PlaylistValues.uriLine("EXT-X-STREAM-INF URI", uri);
        if (bandwidth <= 0) {
            throw new IllegalArgumentException("EXT-X-STREAM-INF BANDWIDTH is required and must be positive ("
                    + uri + ")");
        }
        PlaylistValues.codecs(codecs);
        checkGroup("AUDIO", audio);
        checkGroup("VIDEO", video);
        checkGroup("SUBTITLES", subtitles);
        checkGroup("CLOSED-CAPTIONS", closedCaptions);
        return new VariantStream(uri, bandwidth, averageBandwidth, codecs, resolution, frameRate, audio, video,
                subtitles, closedCaptions, closedCaptionsNone);
    }

    private static void checkGroup(String attribute, String groupId) {
        if (groupId != null) {
            PlaylistValues.nonEmptyQuotedString("EXT-X-STREAM-INF " + attribute, groupId);
        }
    }
}
