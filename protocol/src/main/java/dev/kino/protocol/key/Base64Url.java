package dev.kino.protocol.key;

import java.util.Base64;

/**
 * base64url (RFC 4648 §5) as W3C EME Clear Key uses it: alphabet {@code A-Z a-z 0-9 - _}, <em>no</em> padding
 * on output (EME §9.1.3 / §9.1.4 and RFC 7515 §2 "Base64url Encoding").
 *
 * <p>Decoding is strict about the alphabet (the standard-alphabet characters {@code +} and {@code /}, whitespace
 * and anything else are rejected) but tolerates correct trailing {@code =} padding, which some non-browser clients
 * add.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    /**
     * @param bytes any bytes
     * @return their unpadded base64url form, e.g. 16 bytes give 22 characters
     */
    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Decodes unpadded (or correctly padded) base64url.
     *
     * @param text the encoded text
     * @return the decoded bytes
     * @throws LicenceMessageException if {@code text} is null, has a character outside the base64url alphabet,
     *         has an impossible length (4n+1) or wrong padding, or has non-zero trailing bits
     */
    public static byte[] decode(String text) {
        if (text == null) {
            throw new LicenceMessageException("base64url value is missing");
        }
        String body = text;
        int pad = 0;
        while (body.endsWith("=")) {
            body = body.substring(0, body.length() - 1);
            pad++;
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                throw new LicenceMessageException("not base64url: character '" + printable(c) + "' at index " + i);
            }
        }
        int rem = body.length() % 4;
        if (rem == 1) {
            throw new LicenceMessageException("not base64url: impossible length " + body.length());
        }
        if (pad != 0 && (rem == 0 || pad != 4 - rem)) {
            throw new LicenceMessageException("not base64url: wrong padding");
        }
        byte[] out;
        try {
            out = DECODER.decode(body);
        } catch (IllegalArgumentException e) {
            throw new LicenceMessageException("not base64url: " + e.getMessage(), e);
        }
        // Canonical form only: the unused low bits of the last character must be zero, so that each byte string
        // has exactly one accepted encoding.
        if (!ENCODER.encodeToString(out).equals(body)) {
            throw new LicenceMessageException("not base64url: non-canonical trailing bits");
        }
        return out;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
