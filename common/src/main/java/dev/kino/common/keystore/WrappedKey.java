package dev.kino.common.keystore;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One content key of a title, wrapped.
 *
 * @param kid the 16-byte key id as 32 lowercase hex digits (the KID of CENC, or the HLS key's name)
 * @param scheme what the key protects: {@code aes-128} (HLS full-segment AES-128-CBC) or {@code cenc}
 * @param wrapped the 24-byte RFC 3394 wrapping of the 16-byte key
 */
public record WrappedKey(String kid, String scheme, byte[] wrapped) {
    /** @throws IllegalArgumentException when the kid is not 32 hex digits or the scheme is unknown */
    public WrappedKey {
        kid = kid.toLowerCase(Locale.ROOT);
        if (!kid.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("kid must be 32 hex digits");
        }
        if (!scheme.equals("aes-128") && !scheme.equals("cenc")) {
            throw new IllegalArgumentException("scheme must be aes-128 or cenc, not " + scheme);
        }
        wrapped = wrapped.clone();
    }

    /** @return the kid as 16 bytes */
    public byte[] kidBytes() {
        return HexFormat.of().parseHex(kid);
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey w && kid.equals(w.kid) && scheme.equals(w.scheme) && Arrays.equals(wrapped, w.wrapped);
    }

    @Override
    public int hashCode() {
        return kid.hashCode();
    }

    @Override
    public String toString() {
        return "WrappedKey[kid=" + kid + ", scheme=" + scheme + "]";
    }
}
