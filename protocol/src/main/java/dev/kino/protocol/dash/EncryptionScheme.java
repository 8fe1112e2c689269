package dev.kino.protocol.dash;

/** The Common Encryption protection scheme (ISO/IEC 23001-7 §10), the {@code @value} of the mp4protection descriptor. */
public enum EncryptionScheme {
    /** {@code cenc}: AES-CTR, full-sample/subsample encryption (§10.1). */
    CENC("cenc"),
    /** {@code cbcs}: AES-CBC with pattern encryption, constant IV (§10.4); what FairPlay and HLS also use. */
    CBCS("cbcs");

    private final String fourcc;

    EncryptionScheme(String fourcc) {
        this.fourcc = fourcc;
    }

    /**
     * @return the four-character scheme type, e.g. {@code cenc}
     */
    public String fourcc() {
        return fourcc;
    }
}
