package dev.kino.control.auth.mfa;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

/**
 * Seals small secrets stored in the database (TOTP shared secrets) so that a copy of the database alone does not
 * yield them: AES-256-GCM (NIST SP 800-38D) under a key derived from the deployment's key-encryption key, with the
 * owning account's id as associated data, so a sealed value copied onto another account's row does not open.
 *
 * <p>The key is HKDF-Expand (RFC 5869 §2.3) of the key-encryption key with the info {@code "kino mfa secret v1"},
 * as {@link dev.kino.control.http.CursorKey} and the unsubscribe links derive theirs: every node holding the same
 * key-encryption key opens what another sealed, and the key-encryption key itself is never used for two purposes.
 *
 * <p>Format: {@code 0x01} (version) ‖ 12-byte random nonce ‖ ciphertext ‖ 16-byte tag. Thread-safe.
 */
public final class SecretBox {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * @param keyEncryptionKey the deployment's key-encryption key ({@code Secrets.keyEncryptionKey()})
     * @return the box every node with the same key-encryption key derives
     */
    public static SecretBox derive(byte[] keyEncryptionKey) {
        byte[] info = "kino mfa secret v1".getBytes(StandardCharsets.US_ASCII);
        byte[] block = Arrays.copyOf(info, info.length + 1);
        block[info.length] = 1; // T(1) = HMAC(PRK, info || 0x01): one block is the 32 bytes of an AES-256 key
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyEncryptionKey, "HmacSHA256"));
            return new SecretBox(mac.doFinal(block));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }

    /** @return {@code plaintext} sealed for the account */
    public byte[] seal(UUID accountId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(accountId));
            byte[] sealed = c.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java runtime", e);
        }
    }

    /**
     * @return the plaintext sealed for this account
     * @throws IllegalStateException when the value was sealed under another key-encryption key, for another account,
     *                               or was altered (the GCM tag does not verify)
     */
    public byte[] open(UUID accountId, byte[] sealed) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("sealed secret of account " + accountId + " is malformed");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            c.updateAAD(aad(accountId));
            return c.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("sealed secret of account " + accountId + " does not open: another"
                    + " key-encryption key, another account's value, or altered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java runtime", e);
        }
    }

    private static byte[] aad(UUID accountId) {
        return ByteBuffer.allocate(16).putLong(accountId.getMostSignificantBits())
                .putLong(accountId.getLeastSignificantBits()).array();
    }
}
