package dev.kino.packager.source;

import dev.kino.packager.media.RbspReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an H.264 or HEVC sequence parameter set claims before a single picture is decoded: profile, level and the
 * coded picture size the decoder will allocate frame buffers for. Read from a stream's decoder configuration
 * ({@code avcC}, ISO/IEC 14496-15 §5.3.3; {@code hvcC}, §8.3.3) or from Annex B parameter sets, so that a source
 * whose header claims a 16000x16000 picture is refused before FFmpeg allocates anything for it.
 *
 * <p>Parsed fields: H.264 {@code seq_parameter_set_data()} up to {@code frame_mbs_only_flag} (ITU-T H.264
 * §7.3.2.1.1); HEVC {@code seq_parameter_set_rbsp()} up to {@code pic_height_in_luma_samples} (ITU-T H.265
 * §7.3.2.2.1, with {@code profile_tier_level()} §7.3.3). The coded size is before cropping (H.264
 * {@code frame_crop_*}, HEVC conformance window): what the decoder really allocates.
 *
 * @param codec {@code h264} or {@code hevc} (FFmpeg's codec names)
 * @param profileIdc {@code profile_idc} (H.264) or {@code general_profile_idc} (HEVC)
 * @param levelIdc {@code level_idc} (H.264: ten times the level, 9 for level 1b) or {@code general_level_idc}
 *                 (HEVC: thirty times the level)
 * @param constraintSet3 H.264 {@code constraint_set3_flag} (with {@code level_idc} 11 in the Baseline, Main and
 *                       Extended profiles it means level 1b); false for HEVC
 * @param codedWidth coded picture width in luma samples (H.264: {@code PicWidthInMbs * 16})
 * @param codedHeight coded picture height in luma samples (H.264: {@code FrameHeightInMbs * 16})
 */
public record SequenceParameterSet(String codec, int profileIdc, int levelIdc, boolean constraintSet3,
                                   int codedWidth, int codedHeight) {
    /** H.264 NAL unit type of a sequence parameter set (Table 7-1). */
    private static final int H264_SPS = 7;
    /** HEVC NAL unit type of a sequence parameter set (Table 7-1). */
    private static final int HEVC_SPS = 33;

    /**
     * ITU-T H.264 Table A-1: {@code level_idc} → MaxFS, the largest frame in macroblocks. Level 1b is
     * {@code level_idc} 9, or 11 with {@code constraint_set3_flag} in the Baseline, Main and Extended profiles.
     */
    private static final Map<Integer, Integer> H264_MAX_FS = Map.ofEntries(
            Map.entry(9, 99), Map.entry(10, 99), Map.entry(11, 396), Map.entry(12, 396), Map.entry(13, 396),
            Map.entry(20, 396), Map.entry(21, 792), Map.entry(22, 1620), Map.entry(30, 1620), Map.entry(31, 3600),
            Map.entry(32, 5120), Map.entry(40, 8192), Map.entry(41, 8192), Map.entry(42, 8704),
            Map.entry(50, 22080), Map.entry(51, 36864), Map.entry(52, 36864), Map.entry(60, 139264),
            Map.entry(61, 139264), Map.entry(62, 139264));
    /** The largest MaxFS of Table A-1 (levels 6 to 6.2), macroblocks. */
    private static final int H264_LARGEST_MAX_FS = 139264;

    /**
     * ITU-T H.265 Table A.8 (general tier and level limits): {@code general_level_idc} → MaxLumaPs, the largest
     * picture in luma samples. Level 8.5 ({@code general_level_idc} 255, "no limits") is deliberately absent.
     */
    private static final Map<Integer, Integer> HEVC_MAX_LUMA_PS = Map.ofEntries(
            Map.entry(30, 36864), Map.entry(60, 122880), Map.entry(63, 245760), Map.entry(90, 552960),
            Map.entry(93, 983040), Map.entry(120, 2228224), Map.entry(123, 2228224), Map.entry(150, 8912896),
            Map.entry(153, 8912896), Map.entry(156, 8912896), Map.entry(180, 35651584), Map.entry(183, 35651584),
            Map.entry(186, 35651584));
    /** The largest MaxLumaPs of Table A.8 (levels 6 to 6.2), luma samples. */
    private static final int HEVC_LARGEST_MAX_LUMA_PS = 35651584;

    /**
     * The sequence parameter sets of a stream's decoder configuration.
     *
     * @param codec FFmpeg's codec name; only {@code h264} and {@code hevc} have parameter sets read here
     * @param extradata the codec parameters' extradata: an {@code avcC} / {@code hvcC} record (first byte 1) or
     *                  Annex B parameter sets (start codes)
     * @return every SPS found, in order; empty for other codecs, empty extradata, or extradata holding none
     * @throws IllegalArgumentException when a record or an SPS is malformed or truncated
     */
    public static List<SequenceParameterSet> fromExtradata(String codec, byte[] extradata) {
        if (extradata == null || extradata.length == 0 || !(codec.equals("h264") || codec.equals("hevc"))) {
            return List.of();
        }
        boolean hevc = codec.equals("hevc");
        List<byte[]> nals = extradata[0] == 1
                ? (hevc ? hvcCNals(extradata) : avcCNals(extradata))
                : annexBNals(extradata);
        List<SequenceParameterSet> out = new ArrayList<>();
        for (byte[] nal : nals) {
            if (nal.length == 0) {
                continue;
            }
            if (!hevc && (nal[0] & 0x1F) == H264_SPS) {
                out.add(h264(nal));
            } else if (hevc && ((nal[0] >> 1) & 0x3F) == HEVC_SPS) {
                out.add(hevc(nal));
            }
        }
        return out;
    }

    /**
     * @param nal an H.264 SPS NAL unit, header byte included, as stored
     * @return what it claims
     * @throws IllegalArgumentException when it is truncated or malformed
     */
    public static SequenceParameterSet h264(byte[] nal) {
        RbspReader b = new RbspReader(nal, 1, nal.length - 1);
        int profile = b.u(8);
        int constraints = b.u(8);
        int level = b.u(8);
        b.ue(); // seq_parameter_set_id
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                || profile == 134 || profile == 135) {
            int chromaFormat = b.ue();
            if (chromaFormat == 3) {
                b.u(1); // separate_colour_plane_flag
            }
            b.ue(); // bit_depth_luma_minus8
            b.ue(); // bit_depth_chroma_minus8
            b.u(1); // qpprime_y_zero_transform_bypass_flag
            if (b.u(1) == 1) { // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                    if (b.u(1) == 1) {
                        skipScalingList(b, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        b.ue(); // log2_max_frame_num_minus4
        int pocType = b.ue();
        if (pocType == 0) {
            b.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            b.u(1);
            b.se();
            b.se();
            int cycle = b.ue();
            if (cycle > 255) {
                throw new IllegalArgumentException("num_ref_frames_in_pic_order_cnt_cycle " + cycle + " > 255");
            }
            for (int i = 0; i < cycle; i++) {
                b.se();
            }
        }
        b.ue(); // max_num_ref_frames
        b.u(1); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = b.ue() + 1L;
        long heightMapUnits = b.ue() + 1L;
        boolean frameMbsOnly = b.u(1) == 1;
        long heightMbs = (frameMbsOnly ? 1 : 2) * heightMapUnits;
        return new SequenceParameterSet("h264", profile, level, (constraints & 0x10) != 0,
                (int) Math.min(Integer.MAX_VALUE, widthMbs * 16), (int) Math.min(Integer.MAX_VALUE, heightMbs * 16));
    }

    /**
     * @param nal an HEVC SPS NAL unit, two-byte header included, as stored
     * @return what it claims
     * @throws IllegalArgumentException when it is truncated or malformed
     */
    public static SequenceParameterSet hevc(byte[] nal) {
        RbspReader b = new RbspReader(nal, 2, nal.length - 2);
        b.u(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = b.u(3);
        b.u(1); // sps_temporal_id_nesting_flag
        // profile_tier_level(1, sps_max_sub_layers_minus1), H.265 §7.3.3
        b.u(2); // general_profile_space
        b.u(1); // general_tier_flag
        int profile = b.u(5);
        b.skip(32 + 4 + 43 + 1); // compatibility flags, source flags, constraint flags, inbld / reserved
        int level = b.u(8);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = b.u(1) == 1;
            levelPresent[i] = b.u(1) == 1;
        }
        if (maxSubLayersMinus1 > 0) {
            b.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                b.skip(88);
            }
            if (levelPresent[i]) {
                b.skip(8);
            }
        }
        b.ue(); // sps_seq_parameter_set_id
        if (b.ue() == 3) { // chroma_format_idc
            b.u(1); // separate_colour_plane_flag
        }
        int width = b.ue();
        int height = b.ue();
        return new SequenceParameterSet("hevc", profile, level, false, width, height);
    }

    /**
     * @return the level's name ({@code 4.1}, {@code 1b}, {@code 6.2}), or null when the level indicator is not a
     *         level of the standard's table
     */
    public String level() {
        if (codec.equals("h264")) {
            if (!H264_MAX_FS.containsKey(levelIdc)) {
                return null;
            }
            if (levelIdc == 9 || (levelIdc == 11 && constraintSet3 && (profileIdc == 66 || profileIdc == 77
                    || profileIdc == 88))) {
                return "1b";
            }
            return levelIdc / 10 + (levelIdc % 10 == 0 ? "" : "." + levelIdc % 10);
        }
        if (!HEVC_MAX_LUMA_PS.containsKey(levelIdc)) {
            return null;
        }
        int tenths = levelIdc / 3;
        return tenths / 10 + (tenths % 10 == 0 ? "" : "." + tenths % 10);
    }

    /**
     * Checks the claim against the standard itself (configured limits are the caller's): the level indicator must
     * be one of the standard's levels, and the coded picture must fit the largest level there is (H.264 Table
     * A-1 and §A.3.1: at most 139,264 macroblocks, and at most {@code Sqrt(MaxFS * 8)} = 1,055 macroblocks a side;
     * H.265 Table A.8 and §A.4.1: at most 35,651,584 luma samples, and at most {@code Sqrt(MaxLumaPs * 8)} =
     * 16,888 samples a side). A picture beyond those is one no conforming decoder has to handle: it is refused
     * rather than decoded into garbage.
     *
     * @return why the parameter set is refused, as a phrase ("its H.264 sequence parameter set claims …"), or null
     *         when it is within the standard
     */
    public String beyondStandard() {
        String name = codec.equals("h264") ? "H.264" : "HEVC";
        String what = "its " + name + " sequence parameter set";
        if (level() == null) {
            return what + " declares " + (codec.equals("h264") ? "level_idc " : "general_level_idc ") + levelIdc
                    + ", which is not a level of " + (codec.equals("h264") ? "ITU-T H.264 Table A-1"
                    : "ITU-T H.265 Table A.8 (levels 1 to 6.2)");
        }
        long w = codedWidth;
        long h = codedHeight;
        boolean beyond;
        String largest;
        if (codec.equals("h264")) {
            long wMbs = w / 16;
            long hMbs = h / 16;
            long side = (long) Math.floor(Math.sqrt(H264_LARGEST_MAX_FS * 8.0));
            beyond = wMbs * hMbs > H264_LARGEST_MAX_FS || wMbs > side || hMbs > side;
            largest = String.format(Locale.ROOT, "level 6.2 allows at most %,d macroblocks, %,d pixels a side",
                    H264_LARGEST_MAX_FS, side * 16);
        } else {
            long side = (long) Math.floor(Math.sqrt(HEVC_LARGEST_MAX_LUMA_PS * 8.0));
            beyond = w * h > HEVC_LARGEST_MAX_LUMA_PS || w > side || h > side;
            largest = String.format(Locale.ROOT, "level 6.2 allows at most %,d luma samples, %,d a side",
                    HEVC_LARGEST_MAX_LUMA_PS, side);
        }
        if (w <= 0 || h <= 0) {
            return what + " claims an empty " + w + "x" + h + " picture";
        }
        if (beyond) {
            return what + " claims a " + w + "x" + h + " picture (level " + level() + "), beyond every " + name
                    + " level (" + largest + ")";
        }
        return null;
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

    /** The SPS and PPS NAL units of an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1). */
    private static List<byte[]> avcCNals(byte[] r) {
        List<byte[]> out = new ArrayList<>();
        try {
            int p = 5;
            int numSps = r[p++] & 0x1F;
            for (int i = 0; i < numSps; i++) {
                int n = ((r[p] & 0xFF) << 8) | (r[p + 1] & 0xFF);
                out.add(Arrays.copyOfRange(r, p + 2, checkedEnd(r, p + 2, n)));
                p += 2 + n;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated avcC record", e);
        }
        return out;
    }

    /** The NAL units of an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1). */
    private static List<byte[]> hvcCNals(byte[] r) {
        List<byte[]> out = new ArrayList<>();
        try {
            int arrays = r[22] & 0xFF;
            int p = 23;
            for (int a = 0; a < arrays; a++) {
                p++; // array_completeness, reserved, NAL_unit_type
                int count = ((r[p] & 0xFF) << 8) | (r[p + 1] & 0xFF);
                p += 2;
                for (int i = 0; i < count; i++) {
                    int n = ((r[p] & 0xFF) << 8) | (r[p + 1] & 0xFF);
                    out.add(Arrays.copyOfRange(r, p + 2, checkedEnd(r, p + 2, n)));
                    p += 2 + n;
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated hvcC record", e);
        }
        return out;
    }

    /**
     * The NAL units between the start codes ({@code 00 00 01}) of Annex B parameter sets (ITU-T H.264 §B.2), as
     * FFmpeg stores them in the extradata of MPEG-TS and raw streams. Trailing zero bytes stay on a unit: the SPS
     * fields read here come long before them.
     */
    private static List<byte[]> annexBNals(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int from = -1;
        for (int i = 0; i + 2 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                if (from >= 0) {
                    out.add(Arrays.copyOfRange(b, from, i));
                }
                from = i + 3;
                i += 2;
            }
        }
        if (from >= 0 && from < b.length) {
            out.add(Arrays.copyOfRange(b, from, b.length));
        }
        return out;
    }

    private static int checkedEnd(byte[] r, int from, int n) {
        if (from + n > r.length) {
            throw new IllegalArgumentException("a parameter set runs past the end of the record");
        }
        return from + n;
    }
}
