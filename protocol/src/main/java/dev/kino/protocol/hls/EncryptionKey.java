package dev.kino.protocol.hls;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How Media Segments are encrypted: the attributes of {@code EXT-X-KEY} (RFC 8216 §4.3.2.4) and
 * {@code EXT-X-SESSION-KEY} (§4.3.4.5). Immutable; build one with {@link #builder()}.
 *
 * <p>Rules enforced by {@link EncryptionKeyBuilder#build()}: with {@link KeyMethod#NONE} no other attribute
 * may be present; any other method requires a {@code URI}; an {@code IV} is exactly 16 bytes;
 * {@code KEYFORMATVERSIONS} are positive integers; quoted values contain no {@code "}, CR or LF.
 */
public final class EncryptionKey {

    /** The implicit {@code KEYFORMAT} when the attribute is absent (RFC 8216 §4.3.2.4). */
    public static final String IDENTITY_KEY_FORMAT = "identity";

    private final KeyMethod method;
    private final String uri;
    private final byte[] iv;
    private final String keyFormat;
    private final List<Integer> keyFormatVersions;

    EncryptionKey(KeyMethod method, String uri, byte[] iv, String keyFormat, List<Integer> keyFormatVersions) {
        this.method = method;
        this.uri = uri;
        this.iv = iv;
        this.keyFormat = keyFormat;
        this.keyFormatVersions = keyFormatVersions;
    }

    /**
     * Starts building a key.
     *
     * @return a new builder
     */
    public static EncryptionKeyBuilder builder() {
        return new EncryptionKeyBuilder();
    }

    /**
     * Shortcut for {@code METHOD=AES-128,URI=<uri>} without an explicit IV (the Media Sequence Number is the IV,
     * RFC 8216 §5.2).
     *
     * @param uri the key URI
     * @return the key
     * @throws IllegalArgumentException if the URI is not a valid quoted-string
     */
    public static EncryptionKey aes128(String uri) {
        return builder().method(KeyMethod.AES_128).uri(uri).build();
    }

    /**
     * Returns the encryption method.
     *
     * @return the {@code METHOD}
     */
    public KeyMethod method() {
        return method;
    }

    /**
     * Returns where the key is obtained.
     *
     * @return the {@code URI}; empty only for {@link KeyMethod#NONE}
     */
    public Optional<String> uri() {
        return Optional.ofNullable(uri);
    }

    /**
     * Returns the initialization vector.
     *
     * @return a copy of the 16-byte {@code IV}, or empty when the IV is implicit
     */
    public Optional<byte[]> iv() {
        return iv == null ? Optional.empty() : Optional.of(iv.clone());
    }

    /**
     * Returns the {@code KEYFORMAT} as written.
     *
     * @return the key format, or empty when absent (which means {@value #IDENTITY_KEY_FORMAT})
     */
    public Optional<String> keyFormat() {
        return Optional.ofNullable(keyFormat);
    }

    /**
     * Returns the key format in effect: {@link #keyFormat()} or {@value #IDENTITY_KEY_FORMAT}.
     *
     * @return the effective key format, never null
     */
    public String effectiveKeyFormat() {
        return keyFormat == null ? IDENTITY_KEY_FORMAT : keyFormat;
    }

    /**
     * Returns the {@code KEYFORMATVERSIONS}.
     *
     * @return the versions, empty when the attribute is absent (which means version 1)
     */
    public List<Integer> keyFormatVersions() {
        return keyFormatVersions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionKey k && k.method == method && Objects.equals(k.uri, uri)
                && Arrays.equals(k.iv, iv) && Objects.equals(k.keyFormat, keyFormat)
                && k.keyFormatVersions.equals(keyFormatVersions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, uri, Arrays.hashCode(iv), keyFormat, keyFormatVersions);
    }

    @Override
    public String toString() {
        return "EncryptionKey{method=" + method.attributeValue() + (uri == null ? "" : ", uri=" + uri)
                + (iv == null ? "" : ", iv=" + Formats.hex(iv)) + (keyFormat == null ? "" : ", keyFormat=" + keyFormat)
                + (keyFormatVersions.isEmpty() ? "" : ", keyFormatVersions=" + keyFormatVersions) + '}';
    }
}
