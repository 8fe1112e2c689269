package dev.kino.packager.cmaf;

import dev.kino.protocol.dash.Pssh;
import dev.kino.protocol.key.ContentKey;
import dev.kino.protocol.key.KeyId;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How a CMAF track is protected with the {@code cenc} scheme (ISO/IEC 23001-7 §4.2, AES-128-CTR): the key, its KID
 * (the {@code tenc} default_KID), the per-sample IV size, and the {@code pssh} boxes to put in the {@code moov}.
 *
 * <p>IVs: the writer gives sample {@code n} (counting every sample it has written, in call order) the IV
 * {@code ivStart + n} as a 64-bit big-endian number (followed by 8 zero bytes when {@code ivSize} is 16, so the
 * AES-CTR block counter never carries into it). {@code ivStart} is random per writer unless set here. Never give two
 * writers that share a key the same {@code ivStart}.
 *
 * @param kid the key id
 * @param key the AES-128 content key
 * @param ivSize Per_Sample_IV_Size: 8 or 16 bytes
 * @param psshBoxes complete {@code pssh} boxes (ISO/IEC 23001-7 §8.1) written in {@code moov}, in order
 * @param ivStart the first IV as a 64-bit counter, or empty for a random one per writer (SecureRandom)
 */
public record Encryption(KeyId kid, ContentKey key, int ivSize, List<byte[]> psshBoxes, OptionalLong ivStart) {
    /** @throws IllegalArgumentException when {@code ivSize} is not 8 or 16 or a pssh box is malformed */
    public Encryption {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ivStart, "ivStart");
        if (ivSize != 8 && ivSize != 16) {
            throw new IllegalArgumentException("Per_Sample_IV_Size must be 8 or 16, not " + ivSize);
        }
        psshBoxes = psshBoxes.stream().map(byte[]::clone).toList();
        psshBoxes.forEach(Pssh::systemIdOf);
    }

    /**
     * The usual setup: 8-byte IVs, random IV start, and two {@code pssh} boxes — Widevine (version 0, the KID in
     * the WidevinePsshData) and the W3C common system ({@code 1077efec-...}, version 1 with the KID, for Clear Key).
     *
     * @param kid the key id
     * @param key the content key
     * @return the encryption settings
     */
    public static Encryption cenc(KeyId kid, ContentKey key) {
        return new Encryption(kid, key, 8, List.of(Pssh.widevineBox(List.of(kid.toUuid()), null),
                Pssh.w3cCommonBox(List.of(kid.toUuid()))), OptionalLong.empty());
    }

    /**
     * @param start the first IV counter value
     * @return a copy using a fixed IV start (reproducible output, for tests)
     */
    public Encryption withIvStart(long start) {
        return new Encryption(kid, key, ivSize, psshBoxes, OptionalLong.of(start));
    }

    @Override
    public List<byte[]> psshBoxes() {
        return psshBoxes.stream().map(byte[]::clone).toList();
    }

    @Override
    public String toString() {
        return "Encryption[kid=" + kid + ", ivSize=" + ivSize + ", pssh=" + psshBoxes.size() + "]";
    }
}
