package dev.kino.packager.crypto;

import java.util.List;

/**
 * The sample auxiliary information of one CENC-protected sample (ISO/IEC 23001-7 §7.2): its initialization vector
 * and, for subsample encryption, its subsamples. Serialised in {@code senc} and sized in {@code saiz}.
 *
 * @param iv the per-sample IV, 8 or 16 bytes (copied)
 * @param subsamples the subsamples, empty when the whole sample is protected
 */
public record SampleAuxInfo(byte[] iv, List<Subsample> subsamples) {
    /** @throws IllegalArgumentException when the IV is not 8 or 16 bytes */
    public SampleAuxInfo {
        if (iv.length != 8 && iv.length != 16) {
            throw new IllegalArgumentException("IV must be 8 or 16 bytes, not " + iv.length);
        }
        iv = iv.clone();
        subsamples = List.copyOf(subsamples);
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }

    /**
     * @param withSubsamples whether the {@code senc} has flag 0x2 (subsample information present)
     * @return the size of this entry in {@code senc} in bytes, as {@code saiz} records it:
     *         IV size, plus 2 + 6 per subsample when {@code withSubsamples}
     */
    public int auxInfoSize(boolean withSubsamples) {
        return iv.length + (withSubsamples ? 2 + 6 * subsamples.size() : 0);
    }
}
