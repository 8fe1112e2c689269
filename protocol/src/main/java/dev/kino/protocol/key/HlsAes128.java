package dev.kino.protocol.key;

import java.util.Objects;

/**
 * HLS full-segment encryption, {@code #EXT-X-KEY:METHOD=AES-128} (RFC 8216 §4.3.2.4, §5.2): AES-128-CBC with
 * PKCS#7 padding over the whole segment.
 *
 * <ul>
 *   <li>The key file served at the key {@code URI} is exactly the 16 raw key bytes, no encoding
 *       ({@link #keyFileBytes(ContentKey)}), media type {@code application/octet-stream}.</li>
 *   <li>The IV is 128 bits. If the {@code EXT-X-KEY} tag has an {@code IV} attribute, that is the IV; otherwise the
 *       IV of a segment is its Media Sequence Number as a 128-bit big-endian unsigned integer (RFC 8216 §5.2)
 *       ({@link #ivForMediaSequence(long)}, {@link #effectiveIv(byte[], long)}).</li>
 *   <li>The {@code IV} attribute value is a hexadecimal-sequence ({@code 0x} or {@code 0X} then hex digits,
 *       RFC 8216 §4.2) ({@link #formatIv(byte[])}, {@link #parseIv(String)}).</li>
 * </ul>
 */
public final class HlsAes128 {

    /** Length of the key and of the IV, in bytes. */
    public static final int LENGTH = 16;

    /** Media type of the key file. */
    public static final String KEY_CONTENT_TYPE = "application/octet-stream";

    private HlsAes128() {
    }

    /**
     * @param key the content key
     * @return the body of the key file: the 16 raw key bytes (a fresh copy)
     */
    public static byte[] keyFileBytes(ContentKey key) {
        return Objects.requireNonNull(key, "key").bytes();
    }

    /**
     * The IV implied when {@code EXT-X-KEY} has no {@code IV} attribute (RFC 8216 §5.2).
     *
     * @param mediaSequenceNumber the segment's Media Sequence Number (the playlist's {@code EXT-X-MEDIA-SEQUENCE}
     *        plus the segment's index in the playlist); a {@code decimal-integer} of RFC 8216 §4.2, 0 to 2^64-1,
     *        so a negative {@code long} is read as unsigned (e.g. {@code -1} is 2^64-1)
     * @return 16 bytes: eight zero bytes then the number big-endian
     */
    public static byte[] ivForMediaSequence(long mediaSequenceNumber) {
        byte[] iv = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            iv[LENGTH - 1 - i] = (byte) (mediaSequenceNumber >>> (8 * i));
        }
        return iv;
    }

    /**
     * @param explicitIv the IV attribute's 16 bytes, or null when the tag has none
     * @param mediaSequenceNumber the segment's Media Sequence Number (see {@link #ivForMediaSequence(long)})
     * @return a copy of {@code explicitIv} if given, else the IV derived from the Media Sequence Number
     * @throws IllegalArgumentException if {@code explicitIv} is not 16 bytes
     */
    public static byte[] effectiveIv(byte[] explicitIv, long mediaSequenceNumber) {
        if (explicitIv == null) {
            return ivForMediaSequence(mediaSequenceNumber);
        }
        checkIv(explicitIv);
        return explicitIv.clone();
    }

    /**
     * @param iv 16 bytes
     * @return the {@code IV} attribute value: {@code 0x} then 32 upper-case hex digits, e.g.
     *         {@code 0x0000000000000000000000000000002A}
     * @throws IllegalArgumentException if {@code iv} is not 16 bytes
     */
    public static String formatIv(byte[] iv) {
        checkIv(iv);
        return "0x" + Hex.encode(iv).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * Parses an {@code IV} attribute value. Accepts the prefix {@code 0x} or {@code 0X} and 1 to 32 hex digits of
     * either case; fewer than 32 digits denote the same 128-bit integer and are left-padded with zeros.
     *
     * @param value the attribute value, without quotes (RFC 8216 writes it unquoted)
     * @return the 16 IV bytes
     * @throws IllegalArgumentException if the value is not such a hexadecimal-sequence or exceeds 128 bits
     */
    public static byte[] parseIv(String value) {
        if (value == null || value.length() < 3 || value.charAt(0) != '0'
                || (value.charAt(1) != 'x' && value.charAt(1) != 'X')) {
            throw new IllegalArgumentException("IV must be a hexadecimal-sequence starting with 0x: " + value);
        }
        String digits = value.substring(2);
        if (digits.length() > 2 * LENGTH) {
            throw new IllegalArgumentException("IV has more than 128 bits: " + digits.length() + " hex digits");
        }
        String padded = "0".repeat(2 * LENGTH - digits.length()) + digits;
        byte[] iv = Hex.decodeOrNull(padded);
        if (iv == null) {
            throw new IllegalArgumentException("IV has a character that is not a hex digit: " + value);
        }
        return iv;
    }

    private static void checkIv(byte[] iv) {
        Objects.requireNonNull(iv, "iv");
        if (iv.length != LENGTH) {
            throw new IllegalArgumentException("IV must be 16 bytes, got " + iv.length);
        }
    }
}
