package dev.kino.protocol.dash;

import dev.kino.protocol.media.FrameRate;
/** Builder of {@link Representation}; see that type for units and rules. Not thread-safe. */
public final class RepresentationBuilder {

    private String id;
    private long bandwidth;
    private String codecs;
    private Integer width;
    private Integer height;
    private FrameRate frameRate;
    private String sar;
    private Integer audioSamplingRate;
    private Integer audioChannels;
    private String mimeType;
    private String baseUrl;
    private SegmentTemplate segmentTemplate;

    RepresentationBuilder() {
    }

    /**
     * @param id Representation ID
     * @return this
     */
    public RepresentationBuilder id(String id) {
        this.id = id;
        return this;
    }

    /**
     * @param bitsPerSecond peak bit rate, bits/s
     * @return this
     */
    public RepresentationBuilder bandwidth(long bitsPerSecond) {
        this.bandwidth = bitsPerSecond;
        return this;
    }

    /**
     * @param codecs RFC 6381 codecs
     * @return this
     */
    public RepresentationBuilder codecs(String codecs) {
        this.codecs = codecs;
        return this;
    }

    /**
     * @param width pixels
     * @param height pixels
     * @return this
     */
    public RepresentationBuilder resolution(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * @param frameRate frame rate
     * @return this
     */
    public RepresentationBuilder frameRate(FrameRate frameRate) {
        this.frameRate = frameRate;
        return this;
    }

    /**
     * @param sar sample aspect ratio {@code W:H}
     * @return this
     */
    public RepresentationBuilder sar(String sar) {
        this.sar = sar;
        return this;
    }

    /**
     * @param hertz audio sample rate, Hz
     * @return this
     */
    public RepresentationBuilder audioSamplingRate(Integer hertz) {
        this.audioSamplingRate = hertz;
        return this;
    }

    /**
     * @param channels channel count
     * @return this
     */
    public RepresentationBuilder audioChannels(Integer channels) {
        this.audioChannels = channels;
        return this;
    }

    /**
     * @param mimeType Representation-level MIME type
     * @return this
     */
    public RepresentationBuilder mimeType(String mimeType) {
        this.mimeType = mimeType;
        return this;
    }

    /**
     * @param url BaseURL (absolute or relative to the MPD)
     * @return this
     */
    public RepresentationBuilder baseUrl(String url) {
        this.baseUrl = url;
        return this;
    }

    /**
     * @param template Representation-level segment template
     * @return this
     */
    public RepresentationBuilder segmentTemplate(SegmentTemplate template) {
        this.segmentTemplate = template;
        return this;
    }

    /**
     * @return the Representation
     * @throws IllegalArgumentException if a field breaks a rule of {@link Representation}
     */
    public Representation build() {
        return new Representation(id, bandwidth, codecs, width, height, frameRate, sar, audioSamplingRate,
                audioChannels, mimeType, baseUrl, segmentTemplate);
    }
}
