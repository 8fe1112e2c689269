package dev.kino.packager;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hostile sources, made in the test from real media: what an attacker uploads to a video service.
 *
 * <ul>
 *   <li>{@link #pngNamedMp4}: a real PNG picture (Java ImageIO) saved under a {@code .mp4} name. FFmpeg, which
 *       probes content rather than trusting the name, opens it with its {@code png_pipe} image demuxer: one video
 *       "frame" of 0 seconds.</li>
 *   <li>{@link #spsClaiming}: a real H.264 MP4 (encoded by FFmpeg's libx264 through JavaCV) whose sequence parameter
 *       set in the {@code avcC} box is rewritten to claim another picture size and level. How: the SPS NAL unit's
 *       RBSP is read bit by bit up to {@code pic_width_in_mbs_minus1} (ITU-T H.264 §7.3.2.1.1); the bits before it
 *       are kept, {@code pic_width_in_mbs_minus1} and {@code pic_height_in_map_units_minus1} are written anew as
 *       Exp-Golomb codes, every bit after them (frame_mbs_only_flag, cropping, VUI) is kept up to the RBSP stop
 *       bit, which is written again with fresh alignment; {@code level_idc} (byte 3) is replaced; emulation
 *       prevention bytes are inserted again (§7.4.1). The new SPS replaces the old in the {@code avcC} record
 *       (whose copy of the level byte is updated too) and the sizes of its ancestor boxes ({@code moov} … {@code avc1})
 *       grow by the difference. The muxer writes {@code moov} after {@code mdat}, so no chunk offset moves. The
 *       slices still decode against the new SPS, into garbage: the file is the one the issue describes.</li>
 * </ul>
 */
public final class HostileMedia {
    private HostileMedia() {
    }

    /**
     * @param out where to write (a name ending in {@code .mp4})
     * @return {@code out}, a 64x48 PNG picture
     */
    public static Path pngNamedMp4(Path out) throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", b)) {
            throw new IllegalStateException("no PNG writer");
        }
        return Files.write(out, b.toByteArray());
    }

    /**
     * @param out where to write
     * @param width the width the SPS is to claim, a multiple of 16
     * @param height the height the SPS is to claim, a multiple of 16
     * @param levelIdc the {@code level_idc} it is to declare
     * @return {@code out}: a 160x96 1 s H.264 + AAC MP4 whose SPS claims {@code width}x{@code height}
     */
    public static Path spsClaiming(Path out, int width, int height, int levelIdc) throws Exception {
        Path clip = out.resolveSibling("honest-" + out.getFileName());
        TestMedia.record(clip, TestMedia.Spec.mp4(160, 96, 25, 1));
        byte[] file = Files.readAllBytes(clip);
        Files.delete(clip);

        List<int[]> chain = new ArrayList<>(); // {offset, size} of moov, trak, ..., avc1, avcC
        int[] moov = null;
        int mdat = -1;
        for (int[] b : children(file, 0, file.length)) {
            String t = type(file, b[0]);
            if (t.equals("moov")) {
                moov = b;
            } else if (t.equals("mdat")) {
                mdat = b[0];
            }
        }
        if (moov == null || mdat < 0 || mdat > moov[0]) {
            throw new IllegalStateException("expected mdat before moov");
        }
        chain.add(moov);
        int[] box = moov;
        for (String t : new String[]{"trak", "mdia", "minf", "stbl", "stsd", "avc1", "avcC"}) {
            String parent = type(file, box[0]);
            int from = box[0] + 8 + (parent.equals("stsd") ? 8 : parent.equals("avc1") ? 78 : 0);
            int[] next = null;
            for (int[] c : children(file, from, box[0] + box[1])) {
                if (type(file, c[0]).equals(t) && (!t.equals("trak") || hasVideo(file, c))) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                throw new IllegalStateException("no " + t + " in " + parent);
            }
            chain.add(next);
            box = next;
        }
        int[] avcC = chain.get(chain.size() - 1);
        int p = avcC[0] + 8;
        byte[] record = Arrays.copyOfRange(file, p, avcC[0] + avcC[1]);
        int spsLen = ((record[6] & 0xFF) << 8) | (record[7] & 0xFF);
        byte[] sps = Arrays.copyOfRange(record, 8, 8 + spsLen);
        byte[] crafted = rewriteSps(sps, width / 16 - 1, height / 16 - 1, levelIdc);

        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.write(record, 0, 6);
        r.write(crafted.length >> 8);
        r.write(crafted.length);
        r.write(crafted);
        r.write(record, 8 + spsLen, record.length - 8 - spsLen);
        byte[] newRecord = r.toByteArray();
        newRecord[3] = (byte) levelIdc; // AVCLevelIndication copies the SPS's level_idc
        int delta = newRecord.length - record.length;

        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(file, 0, p);
        f.write(newRecord);
        f.write(file, avcC[0] + avcC[1], file.length - avcC[0] - avcC[1]);
        byte[] result = f.toByteArray();
        for (int[] b : chain) {
            putU32(result, b[0], b[1] + delta);
        }
        return Files.write(out, result);
    }

    /** Rewrites the picture size fields and the level of an SPS NAL unit (see the class comment). */
    static byte[] rewriteSps(byte[] nal, int widthMbsMinus1, int heightMapUnitsMinus1, int levelIdc) {
        Bits in = new Bits(unescape(Arrays.copyOfRange(nal, 1, nal.length)));
        int profile = in.u(8);
        in.u(16);
        in.ue();
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244) {
            int chroma = in.ue();
            if (chroma == 3) {
                in.u(1);
            }
            in.ue();
            in.ue();
            in.u(1);
            if (in.u(1) == 1) {
                throw new IllegalStateException("scaling matrices are not handled here");
            }
        }
        in.ue();
        int poc = in.ue();
        if (poc == 0) {
            in.ue();
        } else if (poc == 1) {
            throw new IllegalStateException("pic_order_cnt_type 1 is not handled here");
        }
        in.ue();
        in.u(1);
        int before = in.pos;
        in.ue();
        in.ue();
        int after = in.pos;
        int stop = in.lastOne();

        Bits out = new Bits(new byte[in.d.length + 16]);
        for (int i = 0; i < before; i++) {
            out.put(in.bit(i));
        }
        out.putUe(widthMbsMinus1);
        out.putUe(heightMapUnitsMinus1);
        for (int i = after; i < stop; i++) {
            out.put(in.bit(i));
        }
        out.put(1); // rbsp_stop_one_bit
        while (out.pos % 8 != 0) {
            out.put(0);
        }
        byte[] rbsp = Arrays.copyOf(out.d, out.pos / 8);
        rbsp[2] = (byte) levelIdc; // profile_idc, constraint flags, level_idc
        byte[] escaped = escape(rbsp);
        byte[] result = new byte[escaped.length + 1];
        result[0] = nal[0];
        System.arraycopy(escaped, 0, result, 1, escaped.length);
        return result;
    }

    private static boolean hasVideo(byte[] d, int[] trak) {
        for (int i = trak[0]; i + 12 < trak[0] + trak[1]; i++) {
            if (d[i] == 'h' && d[i + 1] == 'd' && d[i + 2] == 'l' && d[i + 3] == 'r') {
                return d[i + 12] == 'v' && d[i + 13] == 'i' && d[i + 14] == 'd' && d[i + 15] == 'e';
            }
        }
        return false;
    }

    private static List<int[]> children(byte[] d, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int p = from;
        while (p + 8 <= to) {
            int size = (int) u32(d, p);
            if (size < 8 || p + size > to) {
                break;
            }
            out.add(new int[]{p, size});
            p += size;
        }
        return out;
    }

    private static String type(byte[] d, int off) {
        return new String(d, off + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static long u32(byte[] d, int p) {
        return ((d[p] & 0xFFL) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
    }

    private static void putU32(byte[] d, int p, int v) {
        d[p] = (byte) (v >>> 24);
        d[p + 1] = (byte) (v >>> 16);
        d[p + 2] = (byte) (v >>> 8);
        d[p + 3] = (byte) v;
    }

    /** Removes emulation prevention bytes: {@code 00 00 03} → {@code 00 00}. */
    private static byte[] unescape(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int zeros = 0;
        for (byte x : b) {
            if (zeros >= 2 && x == 3) {
                zeros = 0;
                continue;
            }
            out.write(x);
            zeros = x == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    /** Inserts emulation prevention bytes: {@code 00 00} followed by 00–03 gets a 03 in between. */
    private static byte[] escape(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int zeros = 0;
        for (byte x : b) {
            if (zeros >= 2 && (x & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(x);
            zeros = x == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    /** A bit buffer over RBSP bytes (no emulation prevention), for reading and writing. */
    private static final class Bits {
        final byte[] d;
        int pos;

        Bits(byte[] d) {
            this.d = d;
        }

        int bit(int i) {
            return (d[i / 8] >> (7 - i % 8)) & 1;
        }

        int u(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 1) | bit(pos++);
            }
            return v;
        }

        int ue() {
            int lz = 0;
            while (u(1) == 0) {
                lz++;
            }
            return (1 << lz) - 1 + u(lz);
        }

        /** @return the index of the last 1 bit: the rbsp_stop_one_bit */
        int lastOne() {
            for (int i = d.length * 8 - 1; i >= 0; i--) {
                if (bit(i) == 1) {
                    return i;
                }
            }
            throw new IllegalStateException("no stop bit");
        }

        void put(int b) {
            if (b != 0) {
                d[pos / 8] |= (byte) (0x80 >> (pos % 8));
            }
            pos++;
        }

        void putUe(int v) {
            int x = v + 1;
            int len = 32 - Integer.numberOfLeadingZeros(x);
            for (int i = 0; i < len - 1; i++) {
                put(0);
            }
            for (int i = len - 1; i >= 0; i--) {
                put((x >> i) & 1);
            }
        }
    }
}
