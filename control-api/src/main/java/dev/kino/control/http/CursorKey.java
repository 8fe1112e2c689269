package dev.kino.control.http;

import dev.kino.control.BadRequestException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Seals and opens the cursors of {@link Page}: a cursor is the sort key of the last item seen, made opaque and
 * tamper-evident so that a client can neither forge a position (a timestamp PostgreSQL cannot store, a NUL in a
 * name) nor move a cursor from one list to another.
 *
 * <p>Text form: {@code base64url(payload) "." base64url(mac)}, where {@code payload} is {@code "v2"} and the parts,
 * each on its own line (UTF-8), and {@code mac} is the first 16 bytes of HMAC-SHA256 (RFC 2104) over the list's path,
 * a NUL and the payload's text. The MAC is checked in constant time before the payload is decoded.
 *
 * <p>Every control API node must seal with the same key: {@link #derive} makes it from the key-encryption key the
 * nodes already share, as HKDF-Expand (RFC 5869 §2.3) with the key-encryption key as the pseudorandom key and the
 * info {@code "kino cursor v2"}.
 */
public final class CursorKey {
    private static final int MAC_BYTES = 16;
    private static final String VERSION = "v2";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    private static final String FORGED = "cursor is not one returned by this API for this list";

    private final SecretKeySpec key;

    private CursorKey(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * @param keyEncryptionKey the shared key-encryption key (16, 24 or 32 bytes)
     * @return the cursor key every node holding the same key-encryption key derives
     */
    public static CursorKey derive(byte[] keyEncryptionKey) {
        byte[] info = "kino cursor v2".getBytes(StandardCharsets.US_ASCII);
        byte[] block = Arrays.copyOf(info, info.length + 1);
        block[info.length] = 1; // HKDF-Expand's first (and only needed) block: T(1) = HMAC(PRK, info || 0x01)
        return new CursorKey(hmac(new SecretKeySpec(keyEncryptionKey, "HmacSHA256"), block, 32));
    }

    /** @return a key known to this process only (a single node; tests) */
    public static CursorKey random() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new CursorKey(k);
    }

    /**
     * @param path the list's request path; the cursor opens only there
     * @param parts the sort key of the last item, none containing a line feed
     * @return the opaque cursor text (base64url and one dot: safe in a query string unescaped)
     * @throws IllegalArgumentException when a part contains a line feed
     */
    public String seal(String path, List<String> parts) {
        StringBuilder sb = new StringBuilder(VERSION);
        for (String p : parts) {
            if (p.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a cursor part cannot contain a line feed");
            }
            sb.append('\n').append(p);
        }
        String payload = B64.encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
        return payload + "." + B64.encodeToString(mac(path, payload));
    }

    /**
     * @param path the request path the cursor was sent to
     * @param cursor text from the client
     * @return the parts sealed by {@link #seal} for the same path
     * @throws BadRequestException when the cursor was not sealed with this key for this path, or is malformed
     */
    public List<String> open(String path, String cursor) {
        int dot = cursor.indexOf('.');
        if (dot <= 0 || dot != cursor.lastIndexOf('.') || cursor.length() > 4096) {
            throw new BadRequestException(FORGED);
        }
        String payload = cursor.substring(0, dot);
        byte[] given;
        try {
            given = UNB64.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(FORGED);
        }
        if (!MessageDigest.isEqual(given, mac(path, payload))) {
            throw new BadRequestException(FORGED);
        }
        String[] lines;
        try {
            lines = new String(UNB64.decode(payload), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(FORGED);
        }
        if (!lines[0].equals(VERSION)) {
            throw new BadRequestException(FORGED);
        }
        List<String> parts = new ArrayList<>(lines.length - 1);
        parts.addAll(Arrays.asList(lines).subList(1, lines.length));
        return List.copyOf(parts);
    }

    private byte[] mac(String path, String payload) {
        byte[] input = (path + "\0" + payload).getBytes(StandardCharsets.UTF_8);
        return hmac(key, input, MAC_BYTES);
    }

    private static byte[] hmac(SecretKeySpec key, byte[] input, int outBytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(input), outBytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }
}
