package dev.kino.packager.crypto;

import java.util.ArrayList;
import java.util.List;

/**
 * Subsample layout of an H.264 sample for the {@code cenc} scheme (ISO/IEC 23001-7 §9.5.2 and §10.1; ISO/IEC
 * 23000-19 CMAF §8.2.2.2), following common packager practice (Shaka Packager, Bento4):
 * <ul>
 *   <li>each NAL unit's length prefix and NAL header stay clear;</li>
 *   <li>non-VCL NAL units (SEI, AUD, parameter sets, filler, ... — every type but 1..5) stay entirely clear;</li>
 *   <li>for slice NAL units (types 1..5) the slice header stays clear too (its size comes from
 *       {@link AvcSliceHeaders}, parsing the SPS/PPS of the avcC); when it cannot be parsed, the first
 *       {@value #FALLBACK_LEADING_CLEAR} bytes of the NAL unit stay clear instead;</li>
 *   <li>the protected part of each slice is a whole number of 16-byte blocks (CMAF requires it for {@code cenc});
 *       the remainder is moved to the clear part in front of it; slices too small to have a block stay clear;</li>
 *   <li>consecutive clear-only runs are merged into the next subsample, and clear runs over 65535 bytes are split
 *       into several subsamples with no protected bytes.</li>
 * </ul>
 */
public final class AvcSubsamples {
    /** Leading clear bytes of a slice NAL unit (header included) when its slice header cannot be parsed. */
    public static final int FALLBACK_LEADING_CLEAR = 32;

    private final int lengthSize;
    private final AvcSliceHeaders headers;

    /**
     * @param lengthSize the NAL unit length prefix size in bytes (1, 2 or 4; {@code lengthSizeMinusOne + 1} of the
     *                   avcC; 4 for the Kino pipeline)
     * @param headers the slice header parser for this stream, or null to use the fallback for every slice
     */
    public AvcSubsamples(int lengthSize, AvcSliceHeaders headers) {
        if (lengthSize != 1 && lengthSize != 2 && lengthSize != 4) {
            throw new IllegalArgumentException("NAL length size must be 1, 2 or 4, not " + lengthSize);
        }
        this.lengthSize = lengthSize;
        this.headers = headers;
    }

    /**
     * @param avcC the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3)
     * @return a layout for that stream (length size and parameter sets from the record)
     * @throws IllegalArgumentException when the record is malformed
     */
    public static AvcSubsamples forDecoderConfig(byte[] avcC) {
        if (avcC.length < 7 || avcC[0] != 1) {
            throw new IllegalArgumentException("not an AVCDecoderConfigurationRecord");
        }
        return new AvcSubsamples((avcC[4] & 3) + 1, AvcSliceHeaders.fromDecoderConfig(avcC));
    }

    /**
     * @param data the array holding the sample
     * @param off the sample's first byte
     * @param len the sample's size in bytes
     * @return the subsamples, covering exactly {@code len} bytes
     * @throws IllegalArgumentException when a NAL length prefix runs past the sample
     */
    public List<Subsample> layout(byte[] data, int off, int len) {
        List<Subsample> out = new ArrayList<>();
        long pendingClear = 0;
        int p = off;
        int end = off + len;
        while (p < end) {
            if (end - p < lengthSize) {
                throw new IllegalArgumentException("truncated NAL length prefix at sample byte " + (p - off));
            }
            long nalLen = 0;
            for (int i = 0; i < lengthSize; i++) {
                nalLen = (nalLen << 8) | (data[p + i] & 0xFF);
            }
            if (nalLen > end - p - lengthSize) {
                throw new IllegalArgumentException("NAL unit of " + nalLen + " bytes runs past the sample at byte "
                        + (p - off));
            }
            int n = (int) nalLen;
            int nalStart = p + lengthSize;
            long clear = lengthSize + (long) n;
            long prot = 0;
            if (n > 0) {
                int type = data[nalStart] & 0x1F;
                if (type >= 1 && type <= 5) {
                    int headerBytes = headers == null ? -1 : headers.sliceHeaderSize(data, nalStart, n);
                    int leadClear = headerBytes < 0 ? Math.min(n, FALLBACK_LEADING_CLEAR) : Math.min(n, 1 + headerBytes);
                    prot = ((n - leadClear) / 16) * 16L;
                    clear = lengthSize + (long) n - prot;
                }
            }
            pendingClear += clear;
            if (prot > 0) {
                while (pendingClear > 0xFFFF) {
                    out.add(new Subsample(0xFFFF, 0));
                    pendingClear -= 0xFFFF;
                }
                out.add(new Subsample((int) pendingClear, prot));
                pendingClear = 0;
            }
            p = nalStart + n;
        }
        while (pendingClear > 0) {
            int c = (int) Math.min(pendingClear, 0xFFFF);
            out.add(new Subsample(c, 0));
            pendingClear -= c;
        }
        return out;
    }
}
