package dev.kino.packager.transcode;

import dev.kino.packager.PackagingException;
import dev.kino.packager.ladder.Ladder;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.source.MediaInfo;
import dev.kino.packager.source.SourceProbe;
import dev.kino.packager.source.VideoStreamInfo;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Decides which rungs can take the source's H.264 video packets as they are (remux) instead of an encode, and
 * converts those packets to samples.
 *
 * <p>A rung is remuxed when all of these hold, else it is encoded and a note says why:
 * <ul>
 *   <li>the source video is H.264 Main or High, 8-bit {@code yuv420p}, progressive, square pixels (or none
 *       declared), not rotated, and its parameter sets are known (extradata) and never change in-band;</li>
 *   <li>the rung has the source's size and frame rate (not a half-rate rung);</li>
 *   <li>the source's average video bitrate is within the rung's peak ({@link Rung#maxBitrate()}), so the rung's
 *       place in the ladder holds;</li>
 *   <li>a pre-scan of the video packets (demux only, no decode) finds every packet timed, none flagged for
 *       discard, the first packet an IDR, and at every segment boundary (each multiple of the segment duration)
 *       the first frame at or after it in presentation order an IDR access unit (NAL type 5). An IDR closes its
 *       GOP in H.264, so such a segment decodes on its own and starts at the same presentation time as the
 *       encoded rungs' segments (which get forced IDRs at the same frames).</li>
 * </ul>
 *
 * <p>Samples keep the source's bytes: NAL units as stored, with 4-byte lengths (Annex B start codes and shorter
 * length fields are rewritten), SPS/PPS/AUD NAL units left to the {@code avcC} (the source's own, re-emitted with
 * 4-byte lengths). For an MP4 source with 4-byte lengths and parameter sets out of band the samples are
 * byte-identical to the source's packets.
 */
final class SourceRemux {
    private static final int TICKS = RungEncoder.TIMESCALE;

    /** What the scan found. */
    record Plan(List<Rung> remuxed, List<String> notes, byte[] avcC, int nalLengthSize, long originPts,
                long packets, long bitrate) {
        boolean remuxes(Rung r) {
            return remuxed.contains(r);
        }

        static Plan none(List<String> notes) {
            return new Plan(List.of(), notes, null, 0, AV_NOPTS_VALUE, 0, 0);
        }
    }

    private SourceRemux() {
    }

    /**
     * @param source the probed source
     * @param ladder the ladder
     * @param enabled false to encode every rung (no scan, no notes)
     * @return which rungs to remux and the notes for the job log
     */
    static Plan plan(MediaInfo source, Ladder ladder, boolean enabled) {
        VideoStreamInfo v = source.primaryVideo().orElseThrow();
        List<Rung> same = ladder.rungs().stream()
                .filter(r -> r.width() == v.width() && r.height() == v.height() && v.rotation() == 0)
                .toList();
        if (!enabled || same.isEmpty()) {
            return Plan.none(List.of());
        }
        String names = String.join(", ", same.stream().map(Rung::name).toList());
        AVFormatContext fmt = SourceProbe.open(source.file());
        try {
            AVStream st = fmt.streams(v.index());
            AVCodecParameters par = st.codecpar();
            String why = staticReason(v, par, same.get(0));
            if (why != null) {
                return Plan.none(List.of(names + ": encoded, not remuxed: " + why));
            }
            long declared = par.bit_rate();
            if (declared > 0 && same.stream().allMatch(r -> declared > r.maxBitrate())) {
                // the container's own figure (for MP4, the sample sizes over the duration) settles it: no scan
                return Plan.none(same.stream().map(r -> r.name() + ": encoded, not remuxed: the source's video"
                        + " bitrate " + declared / 1000 + " kb/s is above the rung's peak " + r.maxBitrate() / 1000
                        + " kb/s").toList());
            }
            byte[] extra = new byte[par.extradata_size()];
            par.extradata().get(extra);
            byte[] avcC;
            int lengthSize;
            Set<String> paramSets = new HashSet<>();
            if (extra[0] == 1) {
                lengthSize = (extra[4] & 3) + 1;
                avcC = withFourByteLengths(extra, paramSets);
            } else {
                lengthSize = 0; // Annex B
                avcC = H264.avcC(extra);
                withFourByteLengths(avcC, paramSets);
            }
            Scan scan = scan(fmt, st, lengthSize, paramSets, ladder.segmentSeconds(),
                    dev.kino.packager.SourceRefusedException.name(source.file()));
            if (scan.problem != null) {
                return Plan.none(List.of(names + ": encoded, not remuxed: " + scan.problem));
            }
            List<Rung> ok = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (Rung r : same) {
                if (scan.bitrate > r.maxBitrate()) {
                    notes.add(r.name() + ": encoded, not remuxed: the source's video bitrate "
                            + String.format(Locale.ROOT, "%.0f", scan.bitrate / 1000) + " kb/s is above the rung's peak "
                            + r.maxBitrate() / 1000 + " kb/s");
                } else {
                    ok.add(r);
                    notes.add(r.name() + ": remuxed from the source's H.264 (" + scan.packets + " packets, "
                            + String.format(Locale.ROOT, "%.0f", scan.bitrate / 1000) + " kb/s, IDR at every "
                            + ladder.segmentSeconds() + " s segment boundary), not re-encoded");
                }
            }
            return new Plan(ok, notes, avcC, lengthSize, scan.origin, scan.packets, Math.round(scan.bitrate));
        } finally {
            avformat_close_input(fmt);
        }
    }

    private static String staticReason(VideoStreamInfo v, AVCodecParameters par, Rung rung) {
        if (!v.codec().equals("h264")) {
            return "the source video is " + v.codec() + ", not H.264";
        }
        int profile = par.profile();
        if (profile != AV_PROFILE_H264_MAIN && profile != AV_PROFILE_H264_HIGH) {
            return "the source is not H.264 Main or High (profile " + profile + ")";
        }
        if (!"yuv420p".equals(v.pixelFormat())) {
            return "the source's pixel format is " + v.pixelFormat() + ", not yuv420p";
        }
        if (par.field_order() != AV_FIELD_PROGRESSIVE && par.field_order() != AV_FIELD_UNKNOWN) {
            return "the source is interlaced";
        }
        AVRational sar = par.sample_aspect_ratio();
        if (sar.num() != 0 && sar.num() != sar.den()) {
            return "the source's pixels are not square (" + sar.num() + ":" + sar.den() + ")";
        }
        if (rung.halfRate()) {
            return "the rung runs at half the source's frame rate";
        }
        if (par.extradata() == null || par.extradata_size() < 8) {
            return "the source carries its parameter sets in-band only";
        }
        return null;
    }

    /** Parses an avcC, collecting its SPS/PPS (hex) and returning it with lengthSizeMinusOne = 3. */
    private static byte[] withFourByteLengths(byte[] avcC, Set<String> paramSets) {
        byte[] out = avcC.clone();
        out[4] = (byte) (out[4] | 3);
        int i = 5;
        int nSps = avcC[i++] & 0x1f;
        for (int k = 0; k < nSps; k++) {
            int len = ((avcC[i] & 0xff) << 8) | (avcC[i + 1] & 0xff);
            paramSets.add(hex(avcC, i + 2, len));
            i += 2 + len;
        }
        int nPps = avcC[i++] & 0xff;
        for (int k = 0; k < nPps; k++) {
            int len = ((avcC[i] & 0xff) << 8) | (avcC[i + 1] & 0xff);
            paramSets.add(hex(avcC, i + 2, len));
            i += 2 + len;
        }
        return out;
    }

    private static String hex(byte[] b, int off, int len) {
        return java.util.HexFormat.of().formatHex(b, off, off + len);
    }

    private record Scan(String problem, long origin, long packets, double bitrate) {
    }

    private static Scan scan(AVFormatContext fmt, AVStream st, int lengthSize, Set<String> paramSets,
                             int segmentSeconds, String file) {
        for (int i = 0; i < fmt.nb_streams(); i++) {
            if (i != st.index()) {
                fmt.streams(i).discard(AVDISCARD_ALL);
            }
        }
        AVRational tb = st.time_base();
        AVRational ticks = av_make_q(1, TICKS);
        long[] pts = new long[1024];
        boolean[] idr = new boolean[1024];
        int n = 0;
        long bytes = 0;
        long minPts = Long.MAX_VALUE;
        long maxPts = Long.MIN_VALUE;
        long lastDuration = 0;
        AVPacket pkt = av_packet_alloc();
        try {
            while (av_read_frame(fmt, pkt) >= 0) {
                try {
                    if (pkt.stream_index() != st.index()) {
                        continue;
                    }
                    if (pkt.pts() == AV_NOPTS_VALUE || pkt.dts() == AV_NOPTS_VALUE) {
                        return new Scan("a source packet has no timestamp", 0, 0, 0);
                    }
                    if ((pkt.flags() & AV_PKT_FLAG_DISCARD) != 0) {
                        return new Scan("the source's edit list discards packets", 0, 0, 0);
                    }
                    boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
                    boolean isIdr = false;
                    byte[] data = null;
                    if (key || n == 0) {
                        data = new byte[pkt.size()];
                        pkt.data().get(data);
                        String bad = null;
                        for (byte[] nal : nals(data, lengthSize)) {
                            int t = H264.nalType(nal);
                            if (t == H264.NAL_IDR) {
                                isIdr = true;
                            } else if ((t == H264.NAL_SPS || t == H264.NAL_PPS)
                                    && !paramSets.contains(hex(nal, 0, nal.length))) {
                                bad = "the source's parameter sets change in-band";
                            }
                        }
                        if (bad != null) {
                            return new Scan(bad, 0, 0, 0);
                        }
                    }
                    if (n == 0 && !isIdr) {
                        return new Scan("the source's first video packet is not an IDR", 0, 0, 0);
                    }
                    if (n == pts.length) {
                        pts = Arrays.copyOf(pts, n * 2);
                        idr = Arrays.copyOf(idr, n * 2);
                    }
                    pts[n] = pkt.pts();
                    idr[n] = isIdr;
                    n++;
                    bytes += pkt.size();
                    minPts = Math.min(minPts, pkt.pts());
                    if (pkt.pts() >= maxPts) {
                        maxPts = pkt.pts();
                        lastDuration = pkt.duration();
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
        } catch (IllegalArgumentException e) {
            return new Scan("a source packet is not well-formed H.264 (" + e.getMessage() + ")", 0, 0, 0);
        } finally {
            av_packet_free(pkt);
        }
        if (n == 0) {
            throw new PackagingException(file + ": the video stream has no packets");
        }
        // presentation order, title time
        long[][] order = new long[n][];
        for (int i = 0; i < n; i++) {
            order[i] = new long[]{av_rescale_q(pts[i] - minPts, tb, ticks), idr[i] ? 1 : 0};
        }
        Arrays.sort(order, (a, b) -> Long.compare(a[0], b[0]));
        long seg = (long) segmentSeconds * TICKS;
        long next = seg;
        for (int i = 0; i < n; i++) {
            if (order[i][0] >= next) {
                if (order[i][1] == 0) {
                    return new Scan(String.format(Locale.ROOT, "the source has no IDR at the %d s segment boundary "
                            + "(the first frame after it, at %.3f s, is not a keyframe); its keyframes do not line up "
                            + "with %d s segments", next / TICKS, order[i][0] / (double) TICKS, segmentSeconds), 0, 0, 0);
                }
                next = (order[i][0] / seg + 1) * seg;
            }
        }
        double seconds = av_rescale_q(maxPts - minPts + Math.max(0, lastDuration), tb, ticks) / (double) TICKS;
        double bitrate = seconds > 0 ? bytes * 8.0 / seconds : Double.MAX_VALUE;
        return new Scan(null, minPts, n, bitrate);
    }

    /** @return the NAL units of a packet (lengthSize 0: Annex B) */
    static List<byte[]> nals(byte[] data, int lengthSize) {
        if (lengthSize == 0 || (lengthSize != 4 && H264.isAnnexB(data))) {
            return H264.splitAnnexB(data);
        }
        if (lengthSize == 4) {
            return H264.splitAvcc(data);
        }
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i + lengthSize <= data.length) {
            int len = 0;
            for (int k = 0; k < lengthSize; k++) {
                len = (len << 8) | (data[i + k] & 0xff);
            }
            i += lengthSize;
            if (i + len > data.length) {
                throw new IllegalArgumentException("NAL length " + len + " runs past the packet end");
            }
            out.add(Arrays.copyOfRange(data, i, i + len));
            i += len;
        }
        return out;
    }

    /**
     * @param data a source packet
     * @param lengthSize the source's NAL length size (0: Annex B)
     * @return the sample as stored in {@code mdat}: the packet itself when it already has 4-byte lengths and no
     *         SPS/PPS/AUD, else its NAL units re-framed with 4-byte lengths, without SPS/PPS/AUD
     */
    static byte[] sample(byte[] data, int lengthSize) {
        if (lengthSize == 4) {
            boolean clean = true;
            int i = 0;
            while (i + 4 <= data.length) {
                int len = ((data[i] & 0xff) << 24) | ((data[i + 1] & 0xff) << 16) | ((data[i + 2] & 0xff) << 8)
                        | (data[i + 3] & 0xff);
                if (len <= 0 || i + 4 + len > data.length) {
                    clean = false;
                    break;
                }
                int t = data[i + 4] & 0x1f;
                if (t == H264.NAL_SPS || t == H264.NAL_PPS || t == H264.NAL_AUD) {
                    clean = false;
                    break;
                }
                i += 4 + len;
            }
            if (clean && i == data.length) {
                return data;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
        for (byte[] nal : nals(data, lengthSize)) {
            int t = H264.nalType(nal);
            if (t == H264.NAL_SPS || t == H264.NAL_PPS || t == H264.NAL_AUD) {
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

    /** @return true when the sample (4-byte lengths) holds an IDR slice */
    static boolean hasIdr(byte[] sample) {
        int i = 0;
        while (i + 4 < sample.length) {
            int len = ((sample[i] & 0xff) << 24) | ((sample[i + 1] & 0xff) << 16) | ((sample[i + 2] & 0xff) << 8)
                    | (sample[i + 3] & 0xff);
            if ((sample[i + 4] & 0x1f) == H264.NAL_IDR) {
                return true;
            }
            i += 4 + Math.max(0, len);
        }
        return false;
    }
}
