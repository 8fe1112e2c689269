package dev.kino.packager.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * The {@code cenc} scheme's sample cipher (ISO/IEC 23001-7 §9.1 and §9.5): AES-128 in counter mode. The 16-byte
 * initial counter block is the sample's IV, an 8-byte IV being followed by 8 zero bytes (the 64-bit block counter);
 * the protected byte ranges of one sample are processed as one continuous key stream (partial blocks continue into
 * the next protected range), clear ranges are skipped. Encryption and decryption are the same operation.
 *
 * <p>Not thread-safe (holds one {@link Cipher}); use one instance per thread or per track writer.
 */
public final class CencCipher {
    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] counter = new byte[16];

    /**
     * @param key the 16-byte AES-128 content key (copied)
     * @throws IllegalArgumentException when the key is not 16 bytes
     */
    public CencCipher(byte[] key) {
        if (key.length != 16) {
            throw new IllegalArgumentException("content key must be 16 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        try {
            this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is unavailable in this JDK", e);
        }
    }

    /**
     * Encrypts or decrypts one sample in place.
     *
     * @param iv the sample's IV, 8 or 16 bytes
     * @param data the array holding the sample
     * @param off offset of the sample's first byte
     * @param len the sample's size in bytes
     * @param subsamples the sample's subsamples, covering exactly {@code len} bytes; empty to process the whole sample
     * @throws IllegalArgumentException when the IV size is wrong or the subsamples do not add up to {@code len}
     */
    public void apply(byte[] iv, byte[] data, int off, int len, List<Subsample> subsamples) {
        if (iv.length != 8 && iv.length != 16) {
            throw new IllegalArgumentException("IV must be 8 or 16 bytes, not " + iv.length);
        }
        java.util.Arrays.fill(counter, (byte) 0);
        System.arraycopy(iv, 0, counter, 0, iv.length);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counter));
            if (subsamples.isEmpty()) {
                cipher.update(data, off, len, data, off);
                return;
            }
            long total = 0;
            for (Subsample s : subsamples) {
                total += s.clearBytes() + s.protectedBytes();
            }
            if (total != len) {
                throw new IllegalArgumentException("subsamples cover " + total + " bytes, the sample has " + len);
            }
            int p = off;
            for (Subsample s : subsamples) {
                p += s.clearBytes();
                int n = (int) s.protectedBytes();
                if (n > 0) {
                    cipher.update(data, p, n, data, p);
                    p += n;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
    }
}
