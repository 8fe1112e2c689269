package dev.kino.packager.crypto;

import java.util.ArrayList;
import java.util.List;

/** A minimal ISO BMFF box walker for {@link CencDecryptor}: boxes are {@code int[]{offset, size}}. */
final class Mp4Boxes {
    private Mp4Boxes() {
    }

    static int u32(byte[] d, int p) {
        return ((d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
    }

    static int u16(byte[] d, int p) {
        return ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
    }

    static String type(byte[] d, int[] box) {
        return new String(d, box[0] + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static List<int[]> children(byte[] d, int from, int to) {
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
     */
    static int[] find(byte[] d, String path) {
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
