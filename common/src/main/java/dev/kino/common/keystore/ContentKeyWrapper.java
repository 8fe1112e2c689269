package dev.kino.common.keystore;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Wraps and unwraps 16-byte content keys with the key-encryption key, using AES Key Wrap
 * (RFC 3394, the JDK's {@code AESWrap}): a 16-byte key wraps to 24 bytes, and unwrapping with the wrong
 * key-encryption key or a tampered value fails the RFC's integrity check instead of yielding a wrong key.
 * Thread-safe: a new {@link Cipher} per call.
 */
public final class ContentKeyWrapper {
    private final SecretKeySpec kek;
    private final String fingerprint;

    /**
     * @param keyEncryptionKey an AES key of 16, 24 or 32 bytes (copied)
     * @throws IllegalArgumentException for any other length
     */
    public ContentKeyWrapper(byte[] keyEncryptionKey) {
        int n = keyEncryptionKey.length;
        if (n != 16 && n != 24 && n != 32) {
            throw new IllegalArgumentException("key-encryption key must be 16, 24 or 32 bytes, not " + n);
        }
        this.kek = new SecretKeySpec(keyEncryptionKey.clone(), "AES");
        this.fingerprint = fingerprintOf(keyEncryptionKey);
    }

    /**
     * A public identifier of the key-encryption key: the first 8 bytes of SHA-256 over
     * {@code "kino-kek:" + key}, in hex. It tells which KEK wrapped a file without revealing it.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * @param contentKey a 16-byte AES-128 content key
     * @return the 24-byte RFC 3394 wrapping
     * @throws IllegalArgumentException when the key is not 16 bytes
     */
    public byte[] wrap(byte[] contentKey) {
        if (contentKey.length != 16) {
            throw new IllegalArgumentException("content key must be 16 bytes, not " + contentKey.length);
        }
        try {
            Cipher c = Cipher.getInstance("AESWrap");
            c.init(Cipher.WRAP_MODE, kek);
            return c.wrap(new SecretKeySpec(contentKey, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap is unavailable in this JDK", e);
        }
    }

    /**
     * @param wrapped the 24-byte RFC 3394 wrapping of a content key
     * @return the 16-byte content key
     * @throws KeyStoreException when the integrity check fails (another KEK, or tampered bytes)
     */
    public byte[] unwrap(byte[] wrapped) {
        if (wrapped.length != 24) {
            throw new KeyStoreException("a wrapped content key must be 24 bytes, not " + wrapped.length);
        }
        try {
            Cipher c = Cipher.getInstance("AESWrap");
            c.init(Cipher.UNWRAP_MODE, kek);
            return c.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded();
        } catch (InvalidKeyException e) {
            throw new KeyStoreException("content key does not unwrap: it was wrapped with another key-encryption key"
                    + " or has been altered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key unwrap is unavailable in this JDK", e);
        }
    }

    private static String fingerprintOf(byte[] kek) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("kino-kek:".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] d = sha.digest(kek);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ContentKeyWrapper[kek=" + fingerprint + "]";
    }
}
