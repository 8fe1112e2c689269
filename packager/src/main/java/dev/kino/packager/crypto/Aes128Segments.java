package dev.kino.packager.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * HLS full-segment encryption, {@code EXT-X-KEY:METHOD=AES-128} (RFC 8216 §4.3.2.4): AES-128-CBC with PKCS#7
 * padding over the whole media segment file, with an explicit 16-byte IV.
 *
 * <p><b>Initialization section decision.</b> Kino leaves the CMAF header (init segment) in clear and the playlist
 * writer puts {@code EXT-X-MAP} <em>before</em> the first {@code EXT-X-KEY}: an {@code EXT-X-KEY} applies to the
 * Media Segments and to any Media Initialization Section declared by an {@code EXT-X-MAP} that follows it
 * (RFC 8216 §4.3.2.4, §4.3.2.5, which also requires the {@code IV} attribute if the init section is encrypted), so an
 * {@code EXT-X-MAP} preceding every key tag applies to a clear init section. The init section holds no media data.
 * Encrypt only the media segments with {@link #encrypt}, and always write the {@code IV} attribute (use e.g.
 * {@link dev.kino.protocol.key.HlsAes128#ivForMediaSequence(long)} to derive a unique IV per segment).
 *
 * <p>Stateless and thread-safe.
 */
public final class Aes128Segments {
    private Aes128Segments() {
    }

    /**
     * @param key the 16-byte AES-128 key (the bytes served at the key URI)
     * @param iv the 16-byte IV (the {@code IV} attribute)
     * @param segment the clear segment file bytes
     * @return the encrypted file: {@code 16 * (segment.length / 16 + 1)} bytes
     * @throws IllegalArgumentException when the key or IV is not 16 bytes
     */
    public static byte[] encrypt(byte[] key, byte[] iv, byte[] segment) {
        return run(Cipher.ENCRYPT_MODE, key, iv, segment);
    }

    /**
     * @param key the 16-byte AES-128 key
     * @param iv the 16-byte IV
     * @param encrypted the encrypted segment file
     * @return the clear segment bytes
     * @throws IllegalArgumentException when the key or IV is not 16 bytes, or the input is not a whole number of
     *                                  blocks or its padding is invalid (wrong key or IV, or corrupted)
     */
    public static byte[] decrypt(byte[] key, byte[] iv, byte[] encrypted) {
        return run(Cipher.DECRYPT_MODE, key, iv, encrypted);
    }

    private static byte[] run(int mode, byte[] key, byte[] iv, byte[] data) {
        if (key.length != 16 || iv.length != 16) {
            throw new IllegalArgumentException("AES-128 key and IV must be 16 bytes (key " + key.length + ", IV "
                    + iv.length + ")");
        }
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return c.doFinal(data);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new IllegalArgumentException("not an AES-128 segment for this key and IV: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is unavailable in this JDK", e);
        }
    }
}
