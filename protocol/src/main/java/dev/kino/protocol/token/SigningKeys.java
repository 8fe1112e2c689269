package dev.kino.protocol.token;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An immutable key ring of HMAC-SHA256 secrets by key id, plus the id of the current (newest) key.
 * {@link TokenSigner} signs with the current key; {@link TokenVerifier} accepts any key in the ring,
 * so keys rotate without downtime: first deploy verifiers with old + new key, then make the new key
 * current on signers, then remove the old key once its last token has expired.
 *
 * <p>Key ids follow {@link TokenFormat#isValidKid}. Secrets are at least
 * {@value TokenFormat#MIN_SECRET_LENGTH} bytes (RFC 2104 §3 recommends at least the hash output
 * length) and are copied on the way in; they are never returned and never appear in
 * {@link #toString()}. Thread-safe.
 */
public final class SigningKeys {

    static final String ALGORITHM = "HmacSHA256";

    private final String currentKid;
    private final Map<String, Hmac> keys; // unmodifiable

    private SigningKeys(String currentKid, Map<String, Hmac> keys) {
        this.currentKid = currentKid;
        this.keys = keys;
    }

    /**
     * Builds a key ring.
     *
     * @param secrets key id to secret bytes; copied, not retained
     * @param currentKid the key id to sign with; must be a key of {@code secrets}
     * @return the key ring
     * @throws IllegalArgumentException if the map is empty, a key id is invalid, a secret is shorter
     *     than {@value TokenFormat#MIN_SECRET_LENGTH} bytes, or {@code currentKid} is not in the map
     * @throws NullPointerException if an argument, key or secret is null
     */
    public static SigningKeys of(Map<String, byte[]> secrets, String currentKid) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(currentKid, "currentKid");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("key ring is empty");
        }
        Map<String, Hmac> copy = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
            String kid = Objects.requireNonNull(e.getKey(), "kid");
            byte[] secret = Objects.requireNonNull(e.getValue(), "secret");
            if (!TokenFormat.isValidKid(kid)) {
                throw new IllegalArgumentException("invalid key id (want 1-" + TokenFormat.MAX_KID_LENGTH
                        + " characters of [A-Za-z0-9_-])");
            }
            if (secret.length < TokenFormat.MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("secret for key id " + kid + " is " + secret.length
                        + " bytes; at least " + TokenFormat.MIN_SECRET_LENGTH + " are required");
            }
            copy.put(kid, new Hmac(secret));
        }
        if (!copy.containsKey(currentKid)) {
            throw new IllegalArgumentException("current key id " + (TokenFormat.isValidKid(currentKid) ? currentKid : "?")
                    + " is not in the key ring");
        }
        return new SigningKeys(currentKid, Collections.unmodifiableMap(copy));
    }

    /**
     * A key ring with a single key.
     *
     * @param kid the key id
     * @param secret the secret, at least {@value TokenFormat#MIN_SECRET_LENGTH} bytes; copied
     * @return the key ring
     * @throws IllegalArgumentException as {@link #of(Map, String)}
     */
    public static SigningKeys single(String kid, byte[] secret) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(kid, secret);
        return of(m, kid);
    }

    /**
     * @return the key id new tokens are signed with
     */
    public String currentKid() {
        return currentKid;
    }

    /**
     * @return all key ids in the ring, sorted
     */
    public Set<String> kids() {
        return Collections.unmodifiableSet(new TreeSet<>(keys.keySet()));
    }

    /**
     * @param kid a key id
     * @return whether the ring holds {@code kid}
     */
    public boolean contains(String kid) {
        return kid != null && keys.containsKey(kid);
    }

    /** A fresh, initialised Mac for {@code kid}, or null if the ring does not hold it. */
    Mac newMac(String kid) {
        Hmac h = keys.get(kid);
        return h == null ? null : h.newMac();
    }

    /**
     * Lists key ids only; secrets are never printed.
     *
     * @return e.g. {@code SigningKeys[current=k2, kids=[k1, k2]]}
     */
    @Override
    public String toString() {
        return "SigningKeys[current=" + currentKid + ", kids=" + kids() + "]";
    }

    /** One key: an initialised prototype Mac, cloned per use (Mac instances are not thread-safe). */
    private static final class Hmac {
        private final SecretKeySpec key;
        private final Mac prototype; // never used directly; null if the provider cannot clone

        Hmac(byte[] secret) {
            this.key = new SecretKeySpec(secret, ALGORITHM); // SecretKeySpec copies the array
            Mac p;
            try {
                p = Mac.getInstance(ALGORITHM);
                p.init(key);
                p.clone();
            } catch (CloneNotSupportedException e) {
                p = null;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException(ALGORITHM + " unavailable", e);
            }
            this.prototype = p;
        }

        Mac newMac() {
            try {
                if (prototype != null) {
                    return (Mac) prototype.clone();
                }
                Mac m = Mac.getInstance(ALGORITHM);
                m.init(key);
                return m;
            } catch (CloneNotSupportedException | GeneralSecurityException e) {
                throw new IllegalStateException(ALGORITHM + " unavailable", e);
            }
        }

        @Override
        public String toString() {
            return "Hmac[secret hidden]";
        }
    }
}
