package dev.kino.packager.crypto;

import java.util.ArrayList;
import java.util.List;

/**
 * The inverse of the {@code cenc} packaging, for tests: decrypts the samples of a CMAF media segment given its CMAF
 * header and the content key (ISO/IEC 23001-7 §9.1, §7.2). Test scope: the packager checks its own {@code cenc}
 * output through FFmpeg's decryption (the mp4 demuxer's {@code decryption_key}), an implementation independent of
 * this one, so a misreading of the standard shared by cipher and inverse cannot pass unnoticed.
 *
 * <p>Reads the IV size from the header's {@code tenc}; in the segment's {@code moof/traf} it reads {@code trun}
 * (sample sizes, data offset relative to the {@code moof}; {@code tfhd} default-base-is-moof or no base offset) and
 * {@code senc}. One track per file.
 */
public final class CencDecryptor {
    private CencDecryptor() {
    }

    /**
     * @param initSegment the CMAF header, with {@code .../sinf/schi/tenc}
     * @param segment one media segment (one or more {@code moof}+{@code mdat} fragments)
     * @param key the 16-byte content key
     * @return the clear samples, in decode order
     * @throws IllegalArgumentException when the files are malformed, unencrypted, or use features not read here
     */
    public static List<byte[]> decryptSamples(byte[] initSegment, byte[] segment, byte[] key) {
        List<byte[]> out = new ArrayList<>();
        byte[] copy = segment.clone();
        decryptInPlace(initSegment, copy, key, out);
        return out;
    }

    /**
     * @param initSegment the CMAF header
     * @param segment one media segment
     * @param key the 16-byte content key
     * @return a copy of the segment whose {@code mdat} payloads are decrypted (all boxes left as they are)
     * @throws IllegalArgumentException as {@link #decryptSamples}
     */
    public static byte[] decryptSegment(byte[] initSegment, byte[] segment, byte[] key) {
        byte[] copy = segment.clone();
        decryptInPlace(initSegment, copy, key, null);
        return copy;
    }

    private static void decryptInPlace(byte[] init, byte[] seg, byte[] key, List<byte[]> samplesOut) {
        int[] tenc = Mp4Boxes.find(init, "moov/trak/mdia/minf/stbl/stsd/*/sinf/schi/tenc");
        if (tenc == null) {
            throw new IllegalArgumentException("no tenc in the init segment: not a cenc track");
        }
        int ivSize = init[tenc[0] + 12 + 3] & 0xFF;
        if (ivSize != 8 && ivSize != 16) {
            throw new IllegalArgumentException("unsupported Per_Sample_IV_Size " + ivSize);
        }
        CencCipher cipher = new CencCipher(key);
        for (int[] moof : Mp4Boxes.children(seg, 0, seg.length)) {
            if (!Mp4Boxes.type(seg, moof).equals("moof")) {
                continue;
            }
            int moofStart = moof[0];
            for (int[] traf : Mp4Boxes.children(seg, moof[0] + 8, moof[0] + moof[1])) {
                if (!Mp4Boxes.type(seg, traf).equals("traf")) {
                    continue;
                }
                decryptTraf(seg, traf, moofStart, ivSize, cipher, samplesOut);
            }
        }
    }

    private static void decryptTraf(byte[] seg, int[] traf, int moofStart, int ivSize, CencCipher cipher,
                                    List<byte[]> out) {
        int[] tfhd = null;
        int[] trun = null;
        int[] senc = null;
        for (int[] c : Mp4Boxes.children(seg, traf[0] + 8, traf[0] + traf[1])) {
            switch (Mp4Boxes.type(seg, c)) {
                case "tfhd" -> tfhd = c;
                case "trun" -> trun = c;
                case "senc" -> senc = c;
                default -> { }
            }
        }
        if (tfhd == null || trun == null || senc == null) {
            throw new IllegalArgumentException("traf without tfhd, trun or senc");
        }
        int tfhdFlags = Mp4Boxes.u32(seg, tfhd[0] + 8) & 0xFFFFFF;
        if ((tfhdFlags & 0x1) != 0) {
            throw new IllegalArgumentException("tfhd base-data-offset is not supported");
        }
        int p = tfhd[0] + 16;
        p += (tfhdFlags & 0x2) != 0 ? 4 : 0;
        p += (tfhdFlags & 0x8) != 0 ? 4 : 0;
        int defaultSize = (tfhdFlags & 0x10) != 0 ? Mp4Boxes.u32(seg, p) : -1;

        int trunFlags = Mp4Boxes.u32(seg, trun[0] + 8) & 0xFFFFFF;
        int count = Mp4Boxes.u32(seg, trun[0] + 12);
        p = trun[0] + 16;
        int dataOffset = 0;
        if ((trunFlags & 0x1) != 0) {
            dataOffset = Mp4Boxes.u32(seg, p);
            p += 4;
        }
        p += (trunFlags & 0x4) != 0 ? 4 : 0;
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            if ((trunFlags & 0x100) != 0) {
                p += 4;
            }
            if ((trunFlags & 0x200) != 0) {
                sizes[i] = Mp4Boxes.u32(seg, p);
                p += 4;
            } else if (defaultSize >= 0) {
                sizes[i] = defaultSize;
            } else {
                throw new IllegalArgumentException("no sample sizes");
            }
            p += (trunFlags & 0x400) != 0 ? 4 : 0;
            p += (trunFlags & 0x800) != 0 ? 4 : 0;
        }

        int sencFlags = Mp4Boxes.u32(seg, senc[0] + 8) & 0xFFFFFF;
        int sencCount = Mp4Boxes.u32(seg, senc[0] + 12);
        if (sencCount != count) {
            throw new IllegalArgumentException("senc has " + sencCount + " entries, trun " + count);
        }
        int q = senc[0] + 16;
        int data = moofStart + dataOffset;
        for (int i = 0; i < count; i++) {
            byte[] iv = java.util.Arrays.copyOfRange(seg, q, q + ivSize);
            q += ivSize;
            List<Subsample> subs = new ArrayList<>();
            if ((sencFlags & 0x2) != 0) {
                int k = Mp4Boxes.u16(seg, q);
                q += 2;
                for (int j = 0; j < k; j++) {
                    subs.add(new Subsample(Mp4Boxes.u16(seg, q), Mp4Boxes.u32(seg, q + 2) & 0xFFFFFFFFL));
                    q += 6;
                }
            }
            if (data < 0 || data + sizes[i] > seg.length) {
                throw new IllegalArgumentException("sample " + i + " lies outside the segment");
            }
            cipher.apply(iv, seg, data, sizes[i], subs);
            if (out != null) {
                out.add(java.util.Arrays.copyOfRange(seg, data, data + sizes[i]));
            }
            data += sizes[i];
        }
    }
}
