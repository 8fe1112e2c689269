package dev.kino.common.secret;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The secret material a Kino process runs with, configured or generated, resolved once at start-up by
 * {@link SecretStore#resolve} and handed to every service: playback token signing keys (HMAC), the control API's
 * access token signing keys (ES256) and the key-encryption key. Byte arrays are copied in and out;
 * {@link #toString()} reveals nothing.
 */
public final class Secrets {
    private final Map<String, byte[]> tokenKeys;
    private final String currentTokenKeyId;
    private final List<AccessTokenKey> accessTokenKeys;
    private final byte[] keyEncryptionKey;

    /**
     * Secrets of a process that issues no access tokens (the media server alone, tests of it).
     *
     * @param tokenKeys playback token signing keys by key id, newest (signing) first; each at least 32 bytes
     * @param keyEncryptionKey AES key (16, 24 or 32 bytes) wrapping content keys at rest
     * @throws IllegalArgumentException when a key is too short or there is no token key
     */
    public Secrets(Map<String, byte[]> tokenKeys, byte[] keyEncryptionKey) {
        this(tokenKeys, List.of(), keyEncryptionKey);
    }

    /**
     * @param tokenKeys playback token signing keys by key id, newest (signing) first; each at least 32 bytes
     * @param accessTokenKeys the control API's ES256 access token keys, the signing one first; key ids distinct
     * @param keyEncryptionKey AES key (16, 24 or 32 bytes) wrapping content keys at rest
     * @throws IllegalArgumentException when a key is too short, there is no playback token key, or two access token
     *                                  keys share a key id
     */
    public Secrets(Map<String, byte[]> tokenKeys, List<AccessTokenKey> accessTokenKeys, byte[] keyEncryptionKey) {
        if (tokenKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one playback token signing key is required");
        }
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>();
        tokenKeys.forEach((kid, key) -> {
            if (key.length < 32) {
                throw new IllegalArgumentException("playback token key '" + kid + "' is " + key.length
                        + " bytes; at least 32 are required");
            }
            copy.put(kid, key.clone());
        });
        if (keyEncryptionKey.length != 16 && keyEncryptionKey.length != 24 && keyEncryptionKey.length != 32) {
            throw new IllegalArgumentException("the key-encryption key is " + keyEncryptionKey.length
                    + " bytes; an AES key of 16, 24 or 32 bytes is required");
        }
        if (new LinkedHashSet<>(accessTokenKeys.stream().map(AccessTokenKey::keyId).toList()).size()
                != accessTokenKeys.size()) {
            throw new IllegalArgumentException("two access token keys share a key id");
        }
        this.accessTokenKeys = List.copyOf(accessTokenKeys);
        this.tokenKeys = Collections.unmodifiableMap(copy);
        this.currentTokenKeyId = copy.keySet().iterator().next();
        this.keyEncryptionKey = keyEncryptionKey.clone();
    }

    /** @return key id → key bytes (copies), the signing key first */
    public Map<String, byte[]> tokenKeys() {
        LinkedHashMap<String, byte[]> out = new LinkedHashMap<>();
        tokenKeys.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    /** @return the key id new playback tokens are signed with */
    public String currentTokenKeyId() {
        return currentTokenKeyId;
    }

    /**
     * @return the control API's ES256 access token keys, the signing one first (every one verifies); empty for a
     *         process built with {@link #Secrets(Map, byte[])}
     */
    public List<AccessTokenKey> accessTokenKeys() {
        return accessTokenKeys;
    }

    /** @return a copy of the key-encryption key */
    public byte[] keyEncryptionKey() {
        return keyEncryptionKey.clone();
    }

    @Override
    public String toString() {
        return "Secrets[tokenKeys=" + tokenKeys.keySet() + ", current=" + currentTokenKeyId + ", accessTokenKeys="
                + accessTokenKeys.stream().map(AccessTokenKey::keyId).toList() + ", keyEncryptionKey=********]";
    }

    /** Best-effort wipe of the key material held here (on shutdown). */
    public void destroy() {
        tokenKeys.values().forEach(k -> Arrays.fill(k, (byte) 0));
        Arrays.fill(keyEncryptionKey, (byte) 0);
    }
}
