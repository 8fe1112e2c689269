package dev.kino.protocol.hls;

/** The {@code TYPE} attribute of {@code EXT-X-MEDIA} (RFC 8216 §4.3.4.1). */
public enum RenditionType {
    /** An audio rendition, referenced by the {@code AUDIO} attribute of {@code EXT-X-STREAM-INF}. */
    AUDIO("AUDIO"),
    /** A video rendition (e.g. another camera angle), referenced by {@code VIDEO}. */
    VIDEO("VIDEO"),
    /** A WebVTT subtitle rendition, referenced by {@code SUBTITLES}; needs a {@code URI}. */
    SUBTITLES("SUBTITLES"),
    /** CEA-608/708 captions carried in the video, referenced by {@code CLOSED-CAPTIONS}; no {@code URI}. */
    CLOSED_CAPTIONS("CLOSED-CAPTIONS");

    private final String attributeValue;

    RenditionType(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    /**
     * Returns the enumerated-string written in the playlist.
     *
     * @return e.g. {@code CLOSED-CAPTIONS}
     */
    public String attributeValue() {
        return attributeValue;
    }

    /**
     * Looks up a type by its enumerated-string.
     *
     * @param value e.g. {@code AUDIO}, case-sensitive
     * @return the type
     * @throws IllegalArgumentException if the value is not a known type
     */
    public static RenditionType of(String value) {
        for (RenditionType t : values()) {
            if (t.attributeValue.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown TYPE value '" + value
                + "' (expected AUDIO, VIDEO, SUBTITLES or CLOSED-CAPTIONS)");
    }
}
