package dev.kino.packager.crypto;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.keystore.WrappedKey;
import dev.kino.common.keystore.WrappedKeyFile;
import dev.kino.protocol.key.ContentKey;
import dev.kino.protocol.key.KeyId;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * Generates content keys and publishes them wrapped ({@link WrappedKeyFile}, AES Key Wrap RFC 3394 through
 * {@link ContentKeyWrapper}).
 */
public final class ContentKeys {
    /** Scheme name of a CENC ({@code cenc}) key in the wrapped key file. */
    public static final String SCHEME_CENC = "cenc";
    /** Scheme name of an HLS AES-128 key in the wrapped key file. */
    public static final String SCHEME_AES_128 = "aes-128";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ContentKeys() {
    }

    /**
     * A fresh content key with its key id.
     *
     * @param kid random 16-byte key id
     * @param key random 16-byte AES-128 key
     * @param scheme {@value #SCHEME_CENC} or {@value #SCHEME_AES_128}
     */
    public record Generated(KeyId kid, ContentKey key, String scheme) {
        /** @throws IllegalArgumentException for an unknown scheme */
        public Generated {
            Objects.requireNonNull(kid, "kid");
            Objects.requireNonNull(key, "key");
            if (!SCHEME_CENC.equals(scheme) && !SCHEME_AES_128.equals(scheme)) {
                throw new IllegalArgumentException("scheme must be cenc or aes-128, not " + scheme);
            }
        }

        /**
         * @param wrapper the key-encryption key
         * @return the key wrapped for the key file
         */
        public WrappedKey wrap(ContentKeyWrapper wrapper) {
            return new WrappedKey(kid.toHex(), scheme, wrapper.wrap(key.bytes()));
        }
    }

    /**
     * @param scheme {@value #SCHEME_CENC} or {@value #SCHEME_AES_128}
     * @return a random key and key id from a shared {@link SecureRandom}
     */
    public static Generated generate(String scheme) {
        return new Generated(KeyId.random(RANDOM), ContentKey.generate(RANDOM), scheme);
    }

    /**
     * @param keys the title's keys
     * @param wrapper the key-encryption key
     * @return the bytes of the title's {@value WrappedKeyFile#FILE_NAME}
     */
    public static byte[] wrappedKeyFile(List<Generated> keys, ContentKeyWrapper wrapper) {
        return WrappedKeyFile.write(keys.stream().map(k -> k.wrap(wrapper)).toList(), wrapper.fingerprint());
    }
}
