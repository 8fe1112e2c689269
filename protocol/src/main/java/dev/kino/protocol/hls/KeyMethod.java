package dev.kino.protocol.hls;

/**
 * The {@code METHOD} attribute of {@code EXT-X-KEY} and {@code EXT-X-SESSION-KEY} (RFC 8216 §4.3.2.4,
 * draft-pantos-hls-rfc8216bis §4.4.4.4 for {@code SAMPLE-AES-CTR}).
 */
public enum KeyMethod {
    /** Media Segments are not encrypted; no other attribute may be present. */
    NONE("NONE"),
    /** Whole segments encrypted with AES-128 CBC and PKCS7 padding (RFC 8216 §5.2). */
    AES_128("AES-128"),
    /** Sample encryption (Apple's MPEG-2 / fMP4 'cbcs' scheme); needs protocol version 5 (RFC 8216 §7). */
    SAMPLE_AES("SAMPLE-AES"),
    /** Common Encryption 'cenc' (AES-CTR) of fMP4 samples, rfc8216bis §4.4.4.4. */
    SAMPLE_AES_CTR("SAMPLE-AES-CTR");

    private final String attributeValue;

    KeyMethod(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    /**
     * Returns the enumerated-string written in the playlist.
     *
     * @return e.g. {@code AES-128}
     */
    public String attributeValue() {
        return attributeValue;
    }

    /**
     * Looks up a method by its enumerated-string.
     *
     * @param value the attribute value, case-sensitive, e.g. {@code SAMPLE-AES}
     * @return the method
     * @throws IllegalArgumentException if the value is not a known method
     */
    public static KeyMethod of(String value) {
        for (KeyMethod m : values()) {
            if (m.attributeValue.equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown METHOD value '" + value
                + "' (expected NONE, AES-128, SAMPLE-AES or SAMPLE-AES-CTR)");
    }
}
