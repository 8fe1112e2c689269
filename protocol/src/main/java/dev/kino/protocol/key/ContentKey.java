package dev.kino.protocol.key;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A 16-byte AES-128 content key (CENC {@code cenc}/{@code cbcs} key, or the HLS {@code METHOD=AES-128} key).
 * Secret.
 *
 * <p>Safety: {@link #toString()} never shows the bytes; {@link #equals(Object)} compares in constant time
 * ({@link MessageDigest#isEqual}); {@link #hashCode()} is derived from a SHA-256 digest of the key, not from the key
 * bits directly. The bytes leave only through the explicitly named {@link #bytes()}, {@link #toBase64Url()} and
 * {@link #toHex()}. Immutable.
 */
public final class ContentKey {

    /** Length of an AES-128 key in bytes. */
    public static final int LENGTH = 16;

    private final byte[] bytes;

    private ContentKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes exactly 16 bytes (copied; the caller may wipe its array afterwards)
     * @return the key
     * @throws IllegalArgumentException if {@code bytes} is null or not 16 bytes long (the message gives only the
     *         length)
     */
    public static ContentKey of(byte[] bytes) {
        Objects.requireNonNull(bytes, "key bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("content key must be 16 bytes, got " + bytes.length);
        }
        return new ContentKey(bytes.clone());
    }

    /**
     * @param hex 32 hex digits, either case
     * @return the key
     * @throws IllegalArgumentException if it is not exactly 32 hex digits (the message does not echo the input)
     */
    public static ContentKey fromHex(String hex) {
        byte[] b = Hex.decodeOrNull(hex);
        if (b == null || b.length != LENGTH) {
            throw new IllegalArgumentException("content key is not 32 hex digits");
        }
        return new ContentKey(b);
    }

    /**
     * @param text unpadded (or correctly padded) base64url of 16 bytes
     * @return the key
     * @throws LicenceMessageException if it is not base64url or not 16 bytes
     */
    public static ContentKey fromBase64Url(String text) {
        byte[] b = Base64Url.decode(text);
        if (b.length != LENGTH) {
            throw new LicenceMessageException("content key must be 16 bytes, got " + b.length);
        }
        return new ContentKey(b);
    }

    /**
     * @param random source of randomness; must be a {@link SecureRandom}
     * @return a fresh random key
     */
    public static ContentKey generate(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new ContentKey(b);
    }

    /**
     * @return a copy of the 16 key bytes; wipe it when done
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * @return the key as unpadded base64url (the {@code k} member of a JSON Web Key)
     */
    public String toBase64Url() {
        return Base64Url.encode(bytes);
    }

    /**
     * @return the key as 32 lower-case hex digits
     */
    public String toHex() {
        return Hex.encode(bytes);
    }

    /** Constant-time comparison of the key bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ContentKey && MessageDigest.isEqual(bytes, ((ContentKey) o).bytes);
    }

    @Override
    public int hashCode() {
        try {
            return Arrays.hashCode(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    /**
     * @return {@code ContentKey[redacted]}, whatever the key
     */
    @Override
    public String toString() {
        return "ContentKey[redacted]";
    }
}
