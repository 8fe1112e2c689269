package dev.kino.packager.media;

/**
 * Reads the syntax elements of an H.264 or HEVC NAL unit's raw byte sequence payload (ITU-T H.264 §7.2 and
 * §9.1; ITU-T H.265 §7.2 and §9.2): fixed-length {@code u(n)} fields and Exp-Golomb {@code ue(v)} / {@code se(v)}
 * codes, skipping the emulation prevention bytes ({@code 0x000003}, H.264 §7.4.1) of the NAL unit as stored.
 *
 * <p>Bounded by construction: every read past the end, and every Exp-Golomb code of more than 31 leading zero
 * bits (longer than any syntax element of either standard), throws {@link IllegalArgumentException}, so a hostile
 * header can make a parse fail but never loop or allocate. Not thread-safe (one reader per parse).
 */
public final class RbspReader {
    private final byte[] d;
    private final int end;
    private final int start;
    private int pos;      // next byte to load
    private int cur;      // current byte value
    private int bitsLeft; // bits left in cur
    private int zeros;    // consecutive zero bytes loaded

    /**
     * @param d the bytes holding the NAL unit
     * @param off where the payload starts (after the NAL unit header: 1 byte in H.264, 2 in HEVC)
     * @param len payload bytes, as stored (emulation prevention bytes included)
     */
    public RbspReader(byte[] d, int off, int len) {
        if (off < 0 || len < 0 || off + len > d.length) {
            throw new IllegalArgumentException("range " + off + "+" + len + " outside " + d.length + " bytes");
        }
        this.d = d;
        this.pos = off;
        this.start = off;
        this.end = off + len;
    }

    private void load() {
        if (pos >= end) {
            throw new IllegalArgumentException("truncated");
        }
        int v = d[pos++] & 0xFF;
        if (zeros >= 2 && v == 3) {
            zeros = 0;
            if (pos >= end) {
                throw new IllegalArgumentException("truncated");
            }
            v = d[pos++] & 0xFF;
        }
        zeros = v == 0 ? zeros + 1 : 0;
        cur = v;
        bitsLeft = 8;
    }

    /**
     * @param n bits to read, 0 to 32
     * @return {@code u(n)}, the next {@code n} bits as an unsigned number (32 bits come back as an int's bits)
     * @throws IllegalArgumentException past the end
     */
    public int u(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            if (bitsLeft == 0) {
                load();
            }
            v = (v << 1) | ((cur >> --bitsLeft) & 1);
        }
        return v;
    }

    /** Skips {@code n} bits. @throws IllegalArgumentException past the end */
    public void skip(int n) {
        for (int i = 0; i < n; i++) {
            u(1);
        }
    }

    /**
     * @return {@code ue(v)}, an unsigned Exp-Golomb code (H.264 §9.1), 0 to 2<sup>31</sup> − 2
     * @throws IllegalArgumentException past the end, or for a code of more than 30 leading zero bits
     */
    public int ue() {
        int lz = 0;
        while (u(1) == 0) {
            if (++lz > 30) {
                throw new IllegalArgumentException("bad exp-Golomb code");
            }
        }
        return lz == 0 ? 0 : (1 << lz) - 1 + u(lz);
    }

    /** @return {@code se(v)}, a signed Exp-Golomb code (H.264 §9.1.1) @throws IllegalArgumentException as {@link #ue} */
    public int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    /** @return bytes of the stored NAL unit consumed so far (a partly read byte counts as consumed) */
    public int storedBytesConsumed() {
        return pos - start;
    }
}
