package dev.kino.protocol.key;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A key ID ({@code KID}, ISO/IEC 23001-7 §3.7): 16 bytes naming a content key. Not secret.
 *
 * <p>Text forms, all of the same 16 bytes in network (big-endian) order:
 * <ul>
 *   <li>UUID, 8-4-4-4-12 hex digits, as in {@code cenc:default_KID} and {@link #toString()}:
 *       {@code 10000000-1000-1000-8000-000000000001};</li>
 *   <li>32 hex digits (either case), {@link #toHex()} writes lower case;</li>
 *   <li>unpadded base64url (22 characters), as W3C EME Clear Key messages carry it.</li>
 * </ul>
 * Immutable; {@link #equals(Object)} compares the bytes.
 */
public final class KeyId {

    /** Length of a key ID in bytes. */
    public static final int LENGTH = 16;

    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final byte[] bytes;

    private KeyId(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes exactly 16 bytes (copied)
     * @return the key ID
     * @throws IllegalArgumentException if {@code bytes} is null or not 16 bytes long
     */
    public static KeyId of(byte[] bytes) {
        Objects.requireNonNull(bytes, "key ID bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("key ID must be 16 bytes, got " + bytes.length);
        }
        return new KeyId(bytes.clone());
    }

    /**
     * @param uuid a UUID whose 128 bits, most significant first, are the key ID bytes
     * @return the key ID
     */
    public static KeyId of(UUID uuid) {
        Objects.requireNonNull(uuid, "uuid");
        return new KeyId(ByteBuffer.allocate(LENGTH)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
    }

    /**
     * Parses any of the three text forms, told apart by length: 36 characters (UUID), 32 (hex) or 22 (base64url).
     *
     * @param text a key ID in UUID, hex or unpadded base64url form
     * @return the key ID
     * @throws IllegalArgumentException if the text is none of those forms
     */
    public static KeyId parse(String text) {
        Objects.requireNonNull(text, "key ID text");
        switch (text.length()) {
            case 36:
                return fromUuidString(text);
            case 32:
                return fromHex(text);
            case 22:
                return fromBase64Url(text);
            default:
                throw new IllegalArgumentException(
                        "key ID must be a UUID (36 chars), 32 hex digits or 22 base64url chars, got length "
                                + text.length());
        }
    }

    /**
     * @param text a UUID string, 8-4-4-4-12 hex digits (either case)
     * @return the key ID
     * @throws IllegalArgumentException if it is not exactly that form
     */
    public static KeyId fromUuidString(String text) {
        if (text == null || !UUID_FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("key ID is not in UUID form 8-4-4-4-12: " + text);
        }
        return fromHex(text.replace("-", ""));
    }

    /**
     * @param hex 32 hex digits, either case, no prefix or separators
     * @return the key ID
     * @throws IllegalArgumentException if it is not exactly that
     */
    public static KeyId fromHex(String hex) {
        byte[] b = Hex.decodeOrNull(hex);
        if (b == null || b.length != LENGTH) {
            throw new IllegalArgumentException("key ID is not 32 hex digits: " + hex);
        }
        return new KeyId(b);
    }

    /**
     * @param text unpadded (or correctly padded) base64url of 16 bytes
     * @return the key ID
     * @throws LicenceMessageException if it is not base64url or does not decode to 16 bytes
     */
    public static KeyId fromBase64Url(String text) {
        byte[] b = Base64Url.decode(text);
        if (b.length != LENGTH) {
            throw new LicenceMessageException("key ID must be 16 bytes, got " + b.length);
        }
        return new KeyId(b);
    }

    /**
     * @param random source of randomness, normally a {@link SecureRandom}
     * @return a random key ID (not a version-4 UUID: all 128 bits random)
     */
    public static KeyId random(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new KeyId(b);
    }

    /**
     * @return a copy of the 16 bytes
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * @return the bytes as a UUID, most significant byte first
     */
    public UUID toUuid() {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new UUID(b.getLong(), b.getLong());
    }

    /**
     * @return 32 lower-case hex digits
     */
    public String toHex() {
        return Hex.encode(bytes);
    }

    /**
     * @return 22 characters of unpadded base64url
     */
    public String toBase64Url() {
        return Base64Url.encode(bytes);
    }

    /**
     * @return the lower-case UUID form, 8-4-4-4-12, as written in {@code cenc:default_KID}
     */
    @Override
    public String toString() {
        return toUuid().toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyId && Arrays.equals(bytes, ((KeyId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
