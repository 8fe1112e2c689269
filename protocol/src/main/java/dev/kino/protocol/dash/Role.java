package dev.kino.protocol.dash;

/**
 * A {@code Role} descriptor value of the scheme {@value #SCHEME_ID_URI} (ISO/IEC 23009-1 §5.8.5.5, Table 32).
 */
public enum Role {
    /** {@code main}: the main content, preferred when nothing else is asked for. */
    MAIN("main"),
    /** {@code alternate}: an alternative to the main content (e.g. another camera, an audio description mix). */
    ALTERNATE("alternate"),
    /** {@code supplementary}: content to complement the main content. */
    SUPPLEMENTARY("supplementary"),
    /** {@code commentary}: a commentary track. */
    COMMENTARY("commentary"),
    /** {@code dub}: audio in a language other than the original one. */
    DUB("dub"),
    /** {@code description}: audio or text description of the video, for accessibility. */
    DESCRIPTION("description"),
    /** {@code caption}: text with the dialogue and sound cues, for the hard of hearing. */
    CAPTION("caption"),
    /** {@code subtitle}: text translation of the dialogue. */
    SUBTITLE("subtitle"),
    /** {@code forced-subtitle}: subtitles to show even when subtitles are off (foreign-language dialogue). */
    FORCED_SUBTITLE("forced-subtitle");

    /** The DASH role scheme. */
    public static final String SCHEME_ID_URI = "urn:mpeg:dash:role:2011";

    private final String value;

    Role(String value) {
        this.value = value;
    }

    /**
     * @return the {@code @value} of the Role element, e.g. {@code main}
     */
    public String value() {
        return value;
    }
}
