package dev.kino.packager.crypto;

/**
 * One subsample of a CENC-protected sample (ISO/IEC 23001-7 §7.2.2, {@code senc} subsample entry): a run of clear
 * bytes followed by a run of protected bytes. The subsamples of a sample cover it exactly, in order.
 *
 * @param clearBytes {@code BytesOfClearData}, 0..65535 bytes
 * @param protectedBytes {@code BytesOfProtectedData}, 0..2^32-1 bytes
 */
public record Subsample(int clearBytes, long protectedBytes) {
    /** @throws IllegalArgumentException when a field is outside its {@code senc} field range */
    public Subsample {
        if (clearBytes < 0 || clearBytes > 0xFFFF) {
            throw new IllegalArgumentException("clear bytes must fit 16 bits: " + clearBytes);
        }
        if (protectedBytes < 0 || protectedBytes > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("protected bytes must fit 32 bits: " + protectedBytes);
        }
    }
}
