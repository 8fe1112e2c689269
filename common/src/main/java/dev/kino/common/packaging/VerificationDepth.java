package dev.kino.common.packaging;

/**
 * How many pictures of each encoded video segment the packager decodes before it publishes a title
 * ({@code packager.verify}). Every segment is demuxed and compared sample by sample at either depth; sources copied
 * without re-encoding are always decoded frame by frame.
 */
public enum VerificationDepth {
    /** Every sync sample (IDR picture) of every segment; the other samples are checked byte for byte. */
    KEYFRAMES("keyframes"),
    /** Every sample of every segment (a second decode of the whole ladder, about 10 % more CPU). */
    EVERY_FRAME("every-frame");

    private final String wire;

    VerificationDepth(String wire) {
        this.wire = wire;
    }

    /** @return the configuration name, {@code keyframes} or {@code every-frame} */
    public String wire() {
        return wire;
    }

    /**
     * @param text {@code keyframes} or {@code every-frame}
     * @return the depth
     * @throws IllegalArgumentException for anything else
     */
    public static VerificationDepth parse(String text) {
        for (VerificationDepth d : values()) {
            if (d.wire.equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("verification depth must be keyframes or every-frame, not '" + text + "'");
    }

    @Override
    public String toString() {
        return wire;
    }
}
