package dev.kino.protocol.hls;

import dev.kino.protocol.internal.Require;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link EncryptionKey}. Obtain one with {@link EncryptionKey#builder()}; {@link #method(KeyMethod)}
 * is required.
 */
public final class EncryptionKeyBuilder {

    private KeyMethod method;
    private String uri;
    private byte[] iv;
    private String keyFormat;
    private final List<Integer> keyFormatVersions = new ArrayList<>();

    EncryptionKeyBuilder() {
    }

    /**
     * Sets the {@code METHOD} (required).
     *
     * @param method the method
     * @return this builder
     */
    public EncryptionKeyBuilder method(KeyMethod method) {
        this.method = Objects.requireNonNull(method, "method");
        return this;
    }

    /**
     * Sets the {@code URI} of the key (required unless the method is {@link KeyMethod#NONE}).
     *
     * @param uri the key URI, e.g. {@code https://keys.example/k1} or {@code skd://...}
     * @return this builder
     */
    public EncryptionKeyBuilder uri(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
        return this;
    }

    /**
     * Sets an explicit initialization vector, written as {@code IV=0x} and 32 hexadecimal digits; it needs
     * protocol version 2 (RFC 8216 §7).
     *
     * @param iv exactly 16 bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if {@code iv} is not 16 bytes long
     */
    public EncryptionKeyBuilder iv(byte[] iv) {
        Objects.requireNonNull(iv, "iv");
        if (iv.length != 16) {
            throw new IllegalArgumentException("IV must be exactly 16 bytes (128 bits), got " + iv.length);
        }
        this.iv = iv.clone();
        return this;
    }

    /**
     * Sets the {@code KEYFORMAT}, e.g. {@code com.apple.streamingkeydelivery}; needs protocol version 5.
     *
     * @param keyFormat the key format identifier
     * @return this builder
     */
    public EncryptionKeyBuilder keyFormat(String keyFormat) {
        this.keyFormat = Objects.requireNonNull(keyFormat, "keyFormat");
        return this;
    }

    /**
     * Sets the {@code KEYFORMATVERSIONS}, written {@code "1/2/5"}; needs protocol version 5.
     *
     * @param versions positive integers
     * @return this builder
     * @throws IllegalArgumentException if a version is not positive
     */
    public EncryptionKeyBuilder keyFormatVersions(Integer... versions) {
        return keyFormatVersions(List.of(versions));
    }

    /**
     * Sets the {@code KEYFORMATVERSIONS}, replacing any set before.
     *
     * @param versions positive integers
     * @return this builder
     * @throws IllegalArgumentException if a version is not positive
     */
    public EncryptionKeyBuilder keyFormatVersions(List<Integer> versions) {
        for (Integer v : versions) {
            Require.positive("KEYFORMATVERSIONS entry", Objects.requireNonNull(v, "version"));
        }
        keyFormatVersions.clear();
        keyFormatVersions.addAll(versions);
        return this;
    }

    /**
     * Validates and builds the key.
     *
     * @return the key
     * @throws IllegalArgumentException if no method was set; if the method is {@code NONE} and another
     *         attribute is set; if another method has no URI; if a quoted value contains {@code "}, CR or LF
     */
    public EncryptionKey build() {
        if (method == null) {
            throw new IllegalArgumentException("EXT-X-KEY METHOD is required");
        }
        if (method == KeyMethod.NONE) {
            if (uri != null || iv != null || keyFormat != null || !keyFormatVersions.isEmpty()) {
                throw new IllegalArgumentException("METHOD=NONE allows no other attribute (RFC 8216 §4.3.2.4)");
            }
        } else {
            if (uri == null) {
                throw new IllegalArgumentException("METHOD=" + method.attributeValue()
                        + " requires a URI (RFC 8216 §4.3.2.4)");
            }
            PlaylistValues.nonEmptyQuotedString("EXT-X-KEY URI", uri);
        }
        if (keyFormat != null) {
            PlaylistValues.nonEmptyQuotedString("KEYFORMAT", keyFormat);
        }
        return new EncryptionKey(method, uri, iv == null ? null : iv.clone(), keyFormat, List.copyOf(keyFormatVersions));
    }
}
