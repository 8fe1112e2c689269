package dev.kino.packager.transcode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 bitstream helpers (ITU-T H.264 Annex B byte stream; ISO/IEC 14496-15 §5 AVC file format). Stateless.
 */
public final class H264 {
    /** NAL unit type of a sequence parameter set. */
    public static final int NAL_SPS = 7;
    /** NAL unit type of a picture parameter set. */
    public static final int NAL_PPS = 8;
    /** NAL unit type of an access unit delimiter. */
    public static final int NAL_AUD = 9;
    /** NAL unit type of an IDR slice. */
    public static final int NAL_IDR = 5;

    private H264() {
    }

    /** @return true when the buffer starts with a 3- or 4-byte Annex B start code */
    public static boolean isAnnexB(byte[] b) {
        return b.length >= 3 && b[0] == 0 && b[1] == 0 && (b[2] == 1 || (b.length >= 4 && b[2] == 0 && b[3] == 1));
    }

    /**
     * Splits an Annex B byte stream at its start codes.
     *
     * @param b the stream
     * @return the NAL units without start codes (trailing zero bytes removed)
     */
    public static List<byte[]> splitAnnexB(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int n = b.length;
        int i = 0;
        int start = -1;
        while (i + 2 < n) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                if (start >= 0) {
                    out.add(trimmed(b, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < n) {
            out.add(trimmed(b, start, n));
        }
        out.removeIf(nal -> nal.length == 0);
        return out;
    }

    private static byte[] trimmed(byte[] b, int from, int to) {
        while (to > from && b[to - 1] == 0) {
            to--; // trailing_zero_8bits and the leading zero of a 4-byte start code
        }
        byte[] r = new byte[to - from];
        System.arraycopy(b, from, r, 0, r.length);
        return r;
    }

    /**
     * Splits an AVCC sample (4-byte big-endian lengths).
     *
     * @param b the sample
     * @return its NAL units
     * @throws IllegalArgumentException when a length runs past the end
     */
    public static List<byte[]> splitAvcc(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i + 4 <= b.length) {
            int len = ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            i += 4;
            if (len < 0 || i + len > b.length) {
                throw new IllegalArgumentException("NAL length " + len + " runs past the sample end");
            }
            byte[] nal = new byte[len];
            System.arraycopy(b, i, nal, 0, len);
            out.add(nal);
            i += len;
        }
        return out;
    }

    /** @return the NAL unit type (low five bits of the header byte) */
    public static int nalType(byte[] nal) {
        return nal[0] & 0x1f;
    }

    /**
     * Converts an encoder packet to a sample as stored in {@code mdat}: 4-byte NAL lengths, without SPS, PPS and
     * access unit delimiters (the parameter sets live in {@code avcC}).
     *
     * @param packet Annex B or already length-prefixed data
     * @return AVCC sample bytes
     */
    public static byte[] toAvccSample(byte[] packet) {
        if (isAnnexB(packet)) {
            return annexBToAvcc(packet);
        }
        List<byte[]> nals = splitAvcc(packet);
        ByteArrayOutputStream out = new ByteArrayOutputStream(packet.length + 16);
        for (byte[] nal : nals) {
            int t = nalType(nal);
            if (t == NAL_SPS || t == NAL_PPS || t == NAL_AUD) {
                continue;
            }
            out.write(nal.length >>> 24);
            out.write(nal.length >>> 16);
            out.write(nal.length >>> 8);
            out.write(nal.length);
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    /**
     * {@link #toAvccSample} for Annex B input in one pass: the NAL units are found as {@link #splitAnnexB} finds
     * them and copied once into the result (no per-NAL arrays: every encoded frame goes through here).
     */
    private static byte[] annexBToAvcc(byte[] b) {
        int n = b.length;
        int[] ranges = new int[16];
        int count = 0;
        int total = 0;
        int i = 0;
        int start = -1;
        while (true) {
            int end;
            boolean last = false;
            if (i + 2 < n) {
                if (!(b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1)) {
                    i++;
                    continue;
                }
                end = i;
            } else {
                end = n;
                last = true;
            }
            if (start >= 0 && start < end) {
                int to = end;
                while (to > start && b[to - 1] == 0) {
                    to--;
                }
                if (to > start) {
                    int t = b[start] & 0x1f;
                    if (t != NAL_SPS && t != NAL_PPS && t != NAL_AUD) {
                        if (count * 2 == ranges.length) {
                            ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
                        }
                        ranges[count * 2] = start;
                        ranges[count * 2 + 1] = to;
                        count++;
                        total += 4 + to - start;
                    }
                }
            }
            if (last) {
                break;
            }
            i += 3;
            start = i;
        }
        byte[] out = new byte[total];
        int o = 0;
        for (int k = 0; k < count; k++) {
            int from = ranges[k * 2];
            int len = ranges[k * 2 + 1] - from;
            out[o] = (byte) (len >>> 24);
            out[o + 1] = (byte) (len >>> 16);
            out[o + 2] = (byte) (len >>> 8);
            out[o + 3] = (byte) len;
            System.arraycopy(b, from, out, o + 4, len);
            o += 4 + len;
        }
        return out;
    }

    /**
     * Builds an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1) from encoder extradata.
     *
     * @param extradata Annex B SPS and PPS (as x264 and OpenH264 emit with {@code AV_CODEC_FLAG_GLOBAL_HEADER}),
     *                  or an existing record (first byte 1), returned as is
     * @return the {@code avcC} payload, with 4-byte NAL lengths and, for High profiles, the chroma/bit-depth
     *         extension (4:2:0, 8 bit)
     * @throws IllegalArgumentException when there is no SPS or PPS
     */
    public static byte[] avcC(byte[] extradata) {
        if (extradata.length > 0 && extradata[0] == 1) {
            return extradata.clone();
        }
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        for (byte[] nal : splitAnnexB(extradata)) {
            if (nalType(nal) == NAL_SPS) {
                sps.add(nal);
            } else if (nalType(nal) == NAL_PPS) {
                pps.add(nal);
            }
        }
        if (sps.isEmpty() || pps.isEmpty() || sps.get(0).length < 4) {
            throw new IllegalArgumentException("encoder extradata holds no SPS and PPS");
        }
        byte[] s0 = sps.get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);              // configurationVersion
        out.write(s0[1]);          // AVCProfileIndication
        out.write(s0[2]);          // profile_compatibility
        out.write(s0[3]);          // AVCLevelIndication
        out.write(0xfc | 3);       // reserved + lengthSizeMinusOne = 3
        out.write(0xe0 | sps.size());
        for (byte[] s : sps) {
            out.write(s.length >>> 8);
            out.write(s.length);
            out.writeBytes(s);
        }
        out.write(pps.size());
        for (byte[] p : pps) {
            out.write(p.length >>> 8);
            out.write(p.length);
            out.writeBytes(p);
        }
        int profile = s0[1] & 0xff;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 144) {
            out.write(0xfc | 1);   // chroma_format 4:2:0
            out.write(0xf8);       // bit_depth_luma_minus8 = 0
            out.write(0xf8);       // bit_depth_chroma_minus8 = 0
            out.write(0);          // numOfSequenceParameterSetExt
        }
        return out.toByteArray();
    }

    /**
     * @param avcC an AVCDecoderConfigurationRecord
     * @return the RFC 6381 §3.3 codecs parameter: {@code avc1.} and the profile, compatibility and level bytes in
     *         hex, e.g. {@code avc1.64001f} for High at level 3.1
     */
    public static String codecs(byte[] avcC) {
        return String.format("avc1.%02x%02x%02x", avcC[1] & 0xff, avcC[2] & 0xff, avcC[3] & 0xff);
    }
}
