package dev.kino.packager.crypto;

import dev.kino.packager.media.RbspReader;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds the size of H.264 slice headers (ITU-T H.264 §7.3.3), so that CENC subsample encryption keeps them clear.
 * Knows the sequence and picture parameter sets of one stream (from the avcC, ISO/IEC 14496-15 §5.3.3; in-band
 * parameter sets are not tracked). Slice group maps (FMO, {@code num_slice_groups_minus1 > 0}) are not supported:
 * such slices report an unknown size.
 */
public final class AvcSliceHeaders {
    private record Sps(int chromaArrayType, boolean separateColourPlane, int log2MaxFrameNum, int pocType,
                       int log2MaxPocLsb, boolean deltaPicOrderAlwaysZero, boolean frameMbsOnly) {
    }

    private record Pps(Sps sps, boolean cabac, boolean bottomFieldPicOrder, boolean sliceGroups, int numRefIdxL0,
                       int numRefIdxL1, boolean weightedPred, int weightedBipredIdc, boolean deblockingControl,
                       boolean redundantPicCnt) {
    }

    private final Map<Integer, Sps> spsById = new HashMap<>();
    private final Map<Integer, Pps> ppsById = new HashMap<>();

    private AvcSliceHeaders() {
    }

    /**
     * @param avcC an AVCDecoderConfigurationRecord
     * @return a parser knowing the record's SPS and PPS NAL units; parameter sets that fail to parse are skipped
     *         (slices referring to them then report an unknown size)
     */
    public static AvcSliceHeaders fromDecoderConfig(byte[] avcC) {
        AvcSliceHeaders h = new AvcSliceHeaders();
        try {
            int p = 5;
            int numSps = avcC[p++] & 0x1F;
            byte[][] sps = new byte[numSps][];
            for (int i = 0; i < numSps; i++) {
                int n = ((avcC[p] & 0xFF) << 8) | (avcC[p + 1] & 0xFF);
                sps[i] = java.util.Arrays.copyOfRange(avcC, p + 2, p + 2 + n);
                p += 2 + n;
            }
            int numPps = avcC[p++] & 0xFF;
            byte[][] pps = new byte[numPps][];
            for (int i = 0; i < numPps; i++) {
                int n = ((avcC[p] & 0xFF) << 8) | (avcC[p + 1] & 0xFF);
                pps[i] = java.util.Arrays.copyOfRange(avcC, p + 2, p + 2 + n);
                p += 2 + n;
            }
            for (byte[] s : sps) {
                h.addSps(s);
            }
            for (byte[] s : pps) {
                h.addPps(s);
            }
        } catch (RuntimeException e) {
            // a malformed record: keep what parsed
        }
        return h;
    }

    private void addSps(byte[] nal) {
        try {
            RbspReader b = new RbspReader(nal, 1, nal.length - 1);
            int profile = b.u(8);
            b.u(16); // constraint flags + level
            int id = b.ue();
            int chromaFormat = 1;
            boolean separate = false;
            if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                    || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                    || profile == 134 || profile == 135) {
                chromaFormat = b.ue();
                if (chromaFormat == 3) {
                    separate = b.u(1) == 1;
                }
                b.ue();
                b.ue();
                b.u(1);
                if (b.u(1) == 1) {
                    for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                        if (b.u(1) == 1) {
                            skipScalingList(b, i < 6 ? 16 : 64);
                        }
                    }
                }
            }
            int log2MaxFrameNum = b.ue() + 4;
            int pocType = b.ue();
            int log2MaxPocLsb = 0;
            boolean deltaZero = false;
            if (pocType == 0) {
                log2MaxPocLsb = b.ue() + 4;
            } else if (pocType == 1) {
                deltaZero = b.u(1) == 1;
                b.se();
                b.se();
                int cycle = b.ue();
                for (int i = 0; i < cycle; i++) {
                    b.se();
                }
            }
            b.ue(); // max_num_ref_frames
            b.u(1);
            b.ue();
            b.ue();
            boolean frameMbsOnly = b.u(1) == 1;
            spsById.put(id, new Sps(separate ? 0 : chromaFormat, separate, log2MaxFrameNum, pocType, log2MaxPocLsb,
                    deltaZero, frameMbsOnly));
        } catch (RuntimeException e) {
            // unparseable SPS: slices using it get no size
        }
    }

    private static void skipScalingList(RbspReader b, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + b.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    private void addPps(byte[] nal) {
        try {
            RbspReader b = new RbspReader(nal, 1, nal.length - 1);
            int id = b.ue();
            Sps sps = spsById.get(b.ue());
            if (sps == null) {
                return;
            }
            boolean cabac = b.u(1) == 1;
            boolean bottom = b.u(1) == 1;
            boolean groups = b.ue() > 0;
            if (groups) {
                ppsById.put(id, new Pps(sps, cabac, bottom, true, 0, 0, false, 0, false, false));
                return;
            }
            int l0 = b.ue() + 1;
            int l1 = b.ue() + 1;
            boolean wp = b.u(1) == 1;
            int wbi = b.u(2);
            b.se();
            b.se();
            b.se();
            boolean dbf = b.u(1) == 1;
            b.u(1);
            boolean rpc = b.u(1) == 1;
            ppsById.put(id, new Pps(sps, cabac, bottom, false, l0, l1, wp, wbi, dbf, rpc));
        } catch (RuntimeException e) {
            // unparseable PPS
        }
    }

    /**
     * @param data array holding the NAL unit (without its length prefix)
     * @param off offset of the NAL header byte
     * @param len NAL unit size in bytes
     * @return the slice header's size in bytes of the NAL unit as stored (emulation prevention bytes included),
     *         counted from the byte after the NAL header and rounded up to a whole byte; -1 when it cannot be
     *         determined (not a slice, unknown parameter set, FMO, or truncated)
     */
    public int sliceHeaderSize(byte[] data, int off, int len) {
        if (len < 2) {
            return -1;
        }
        int nalRefIdc = (data[off] >> 5) & 3;
        int nalType = data[off] & 0x1F;
        if (nalType < 1 || nalType > 5) {
            return -1;
        }
        try {
            RbspReader b = new RbspReader(data, off + 1, len - 1);
            b.ue(); // first_mb_in_slice
            int sliceType = b.ue() % 5;
            Pps pps = ppsById.get(b.ue());
            if (pps == null || pps.sliceGroups()) {
                return -1;
            }
            Sps sps = pps.sps();
            boolean p = sliceType == 0;
            boolean bSlice = sliceType == 1;
            boolean sp = sliceType == 3;
            boolean si = sliceType == 4;
            boolean iOrSi = sliceType == 2 || si;
            if (sps.separateColourPlane()) {
                b.u(2);
            }
            b.u(sps.log2MaxFrameNum());
            boolean field = false;
            if (!sps.frameMbsOnly()) {
                field = b.u(1) == 1;
                if (field) {
                    b.u(1);
                }
            }
            boolean idr = nalType == 5;
            if (idr) {
                b.ue();
            }
            if (sps.pocType() == 0) {
                b.u(sps.log2MaxPocLsb());
                if (pps.bottomFieldPicOrder() && !field) {
                    b.se();
                }
            } else if (sps.pocType() == 1 && !sps.deltaPicOrderAlwaysZero()) {
                b.se();
                if (pps.bottomFieldPicOrder() && !field) {
                    b.se();
                }
            }
            if (pps.redundantPicCnt()) {
                b.ue();
            }
            if (bSlice) {
                b.u(1);
            }
            int l0 = pps.numRefIdxL0();
            int l1 = pps.numRefIdxL1();
            if (p || sp || bSlice) {
                if (b.u(1) == 1) {
                    l0 = b.ue() + 1;
                    if (bSlice) {
                        l1 = b.ue() + 1;
                    }
                }
            }
            if (!iOrSi) {
                refPicListModification(b);
                if (bSlice) {
                    refPicListModification(b);
                }
            }
            if ((pps.weightedPred() && (p || sp)) || (pps.weightedBipredIdc() == 1 && bSlice)) {
                b.ue();
                if (sps.chromaArrayType() != 0) {
                    b.ue();
                }
                predWeights(b, l0, sps.chromaArrayType() != 0);
                if (bSlice) {
                    predWeights(b, l1, sps.chromaArrayType() != 0);
                }
            }
            if (nalRefIdc != 0) {
                if (idr) {
                    b.u(2);
                } else if (b.u(1) == 1) {
                    int op;
                    while ((op = b.ue()) != 0) {
                        if (op == 1 || op == 3) {
                            b.ue();
                        }
                        if (op == 2) {
                            b.ue();
                        }
                        if (op == 3 || op == 6) {
                            b.ue();
                        }
                        if (op == 4) {
                            b.ue();
                        }
                        if (op > 6) {
                            return -1;
                        }
                    }
                }
            }
            if (pps.cabac() && !iOrSi) {
                b.ue();
            }
            b.se(); // slice_qp_delta
            if (sp || si) {
                if (sp) {
                    b.u(1);
                }
                b.se();
            }
            if (pps.deblockingControl()) {
                if (b.ue() != 1) {
                    b.se();
                    b.se();
                }
            }
            return b.storedBytesConsumed();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void refPicListModification(RbspReader b) {
        if (b.u(1) == 1) {
            int idc;
            int guard = 0;
            while ((idc = b.ue()) != 3) {
                if (idc > 5 || ++guard > 64) {
                    throw new IllegalArgumentException("bad ref_pic_list_modification");
                }
                b.ue();
            }
        }
    }

    private static void predWeights(RbspReader b, int refs, boolean chroma) {
        for (int i = 0; i < refs; i++) {
            if (b.u(1) == 1) {
                b.se();
                b.se();
            }
            if (chroma && b.u(1) == 1) {
                b.se();
                b.se();
                b.se();
                b.se();
            }
        }
    }
}
