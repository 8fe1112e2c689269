package dev.kino.common.secret;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * One ES256 signing key of the control API's access tokens (JWS, RFC 7515, with ECDSA P-256 and SHA-256, RFC 7518
 * §3.4): its key id ({@code kid}, RFC 7515 §4.1.4) and the key pair. {@link #toString()} shows the key id only.
 *
 * @param keyId the {@code kid} written in each token's header, e.g. {@code jwt-20250101-a1b2c3}
 * @param publicKey the P-256 public key (verifies, and is published in the JWK set)
 * @param privateKey the P-256 private key (signs)
 */
public record AccessTokenKey(String keyId, ECPublicKey publicKey, ECPrivateKey privateKey) {
    /** @throws NullPointerException when a part is missing */
    public AccessTokenKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public String toString() {
        return "AccessTokenKey[keyId=" + keyId + ", privateKey=********]";
    }
}
