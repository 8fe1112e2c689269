package dev.kino.packager.crypto;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ISO BMFF (ISO/IEC 14496-12) box walker over a whole file in memory, for the output checks (the
 * protection an initialization segment declares) and the tests' {@code cenc} decryptor. Boxes are
 * {@code int[]{offset, size}}; 64-bit sizes are read, a size of 0 runs to the end of the parent. Knows where the
 * children of {@code stsd} and of the {@code avc1}/{@code encv}/{@code mp4a}/{@code enca} sample entries start.
 * Stateless.
 */
public final class Mp4Boxes {
    private Mp4Boxes() {
    }

    /** @return the big-endian 32-bit value at {@code p} */
    public static int u32(byte[] d, int p) {
        return ((d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
    }

    /** @return the big-endian 16-bit value at {@code p} */
    public static int u16(byte[] d, int p) {
        return ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
    }

    /** @return the four-character type of {@code box} */
    public static String type(byte[] d, int[] box) {
        return new String(d, box[0] + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * @param from where the first child starts
     * @param to where the parent ends
     * @return the boxes between, in order
     * @throws IllegalArgumentException when a box's size runs past {@code to} or is below 8
     */
    public static List<int[]> children(byte[] d, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int p = from;
        while (p + 8 <= to) {
            long size = u32(d, p) & 0xFFFFFFFFL;
            if (size == 1) {
                size = ((long) u32(d, p + 8) << 32) | (u32(d, p + 12) & 0xFFFFFFFFL);
            } else if (size == 0) {
                size = to - p;
            }
            if (size < 8 || p + size > to) {
                throw new IllegalArgumentException("malformed box at byte " + p);
            }
            out.add(new int[] {p, (int) size});
            p += (int) size;
        }
        return out;
    }

    /** Offset of a box's children: after the header, the full-box fields and the sample-entry fields. */
    private static int childStart(byte[] d, int[] box) {
        String t = type(d, box);
        int h = box[0] + 8;
        return switch (t) {
            case "stsd" -> h + 8;
            case "encv", "avc1" -> h + 78;
            case "enca", "mp4a" -> h + 28;
            default -> h;
        };
    }

    /**
     * @param path slash-separated types, {@code *} matching any one box
     * @return the first box on that path, or null
     * @throws IllegalArgumentException when a top-level box is malformed
     */
    public static int[] find(byte[] d, String path) {
        return find(d, 0, d.length, path.split("/"), 0);
    }

    private static int[] find(byte[] d, int from, int to, String[] path, int i) {
        for (int[] b : children(d, from, to)) {
            if (path[i].equals("*") || type(d, b).equals(path[i])) {
                if (i == path.length - 1) {
                    return b;
                }
                try {
                    int[] r = find(d, childStart(d, b), b[0] + b[1], path, i + 1);
                    if (r != null) {
                        return r;
                    }
                } catch (IllegalArgumentException e) {
                    // not a container
                }
            }
        }
        return null;
    }
}
