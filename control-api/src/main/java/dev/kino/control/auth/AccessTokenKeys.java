package dev.kino.control.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import dev.kino.common.secret.AccessTokenKey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ES256 key ring of access tokens, as the JOSE library uses it. The keys themselves are secrets like any
 * other: {@link dev.kino.common.secret.SecretStore} keeps them ({@code <data.dir>/secrets/jwt-signing-keys.json},
 * owner-only, generated on first start) and the launcher hands them over in its
 * {@link dev.kino.common.secret.Secrets}. The first key signs; every key verifies, so rotating is: put a new key
 * first, keep the old one until its tokens expired ({@link AccessTokens#TTL}), then drop it.
 */
public final class AccessTokenKeys {
    private final ECKey signing;
    private final Map<String, ECKey> byKid;

    private AccessTokenKeys(List<ECKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("an access token key ring needs a key");
        }
        this.signing = keys.get(0);
        Map<String, ECKey> map = new LinkedHashMap<>();
        keys.forEach(k -> map.put(k.getKeyID(), k));
        this.byKid = Map.copyOf(map);
    }

    /**
     * @param keys the access token keys of the process's secrets, the signing one first
     * @return their ring
     * @throws IllegalArgumentException when there is none
     */
    public static AccessTokenKeys of(List<AccessTokenKey> keys) {
        return new AccessTokenKeys(keys.stream().map(k -> new ECKey.Builder(Curve.P_256, k.publicKey())
                .privateKey(k.privateKey()).keyID(k.keyId()).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                .build()).toList());
    }

    /** @return a ring of JOSE keys, the first signing (tests that forge or rotate keys) */
    public static AccessTokenKeys ofJwks(List<ECKey> keys) {
        return new AccessTokenKeys(keys);
    }

    /** @return the key new tokens are signed with */
    public ECKey signing() {
        return signing;
    }

    /** @return the key with that id, or null */
    public ECKey verifying(String kid) {
        return kid == null ? null : byKid.get(kid);
    }

    /** @return the public keys, for a JWKS endpoint */
    public JWKSet publicKeys() {
        return new JWKSet(List.copyOf(byKid.values().stream().map(k -> (JWK) k.toPublicJWK()).toList()));
    }
}
