package dev.kino.protocol.dash;

/** The {@code @contentType} of an AdaptationSet (ISO/IEC 23009-1 §5.3.3.2): the top-level media type. */
public enum ContentType {
    /** {@code video}. */
    VIDEO("video"),
    /** {@code audio}. */
    AUDIO("audio"),
    /** {@code text}: subtitles and captions. */
    TEXT("text");

    private final String value;

    ContentType(String value) {
        this.value = value;
    }

    /**
     * @return the attribute value, e.g. {@code video}
     */
    public String value() {
        return value;
    }
}
