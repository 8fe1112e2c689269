package dev.kino.packager.cmaf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Test-only ISO BMFF reader: parses a file into a box tree, checking that every size adds up. */
public final class TestBoxes {
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex",
            "moof", "traf", "sinf", "schi", "edts", "dref", "stsd", "avc1", "encv", "mp4a", "enca");

    /** One box: type, absolute offset, total size, header size, children (for known containers). */
    public record Box(String type, int offset, int size, int headerSize, List<Box> children) {
        /** @return the first descendant on the slash-separated path, or null */
        public Box find(String path) {
            String[] parts = path.split("/", 2);
            for (Box c : children) {
                if (c.type.equals(parts[0])) {
                    if (parts.length == 1) {
                        return c;
                    }
                    Box r = c.find(parts[1]);
                    if (r != null) {
                        return r;
                    }
                }
            }
            return null;
        }

        /** @return all children of that type */
        public List<Box> all(String type) {
            return children.stream().filter(c -> c.type.equals(type)).toList();
        }

        /** @return offset of the first payload byte (after size, type, and for full boxes not included) */
        public int payload() {
            return offset + headerSize;
        }
    }

    private TestBoxes() {
    }

    /** @return a synthetic root whose children are the top-level boxes */
    public static Box parse(byte[] d) {
        return new Box("root", 0, d.length, 0, children(d, 0, d.length));
    }

    private static List<Box> children(byte[] d, int from, int to) {
        List<Box> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(d);
        int p = from;
        while (p < to) {
            if (to - p < 8) {
                throw new AssertionError("trailing " + (to - p) + " bytes at " + p);
            }
            long size = b.getInt(p) & 0xFFFFFFFFL;
            String type = new String(d, p + 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = b.getLong(p + 8);
                header = 16;
            }
            if (size < header || p + size > to) {
                throw new AssertionError("box " + type + " at " + p + " has size " + size + " beyond its parent end "
                        + to);
            }
            int end = (int) (p + size);
            List<Box> kids = List.of();
            if (CONTAINERS.contains(type)) {
                int cs = p + header + switch (type) {
                    case "dref", "stsd" -> 8;
                    case "avc1", "encv" -> 78;
                    case "mp4a", "enca" -> 28;
                    default -> 0;
                };
                kids = children(d, cs, end);
            }
            out.add(new Box(type, p, (int) size, header, kids));
            p = end;
        }
        return out;
    }

    /** @return an indented dump, for failure messages */
    public static String dump(Box box) {
        StringBuilder sb = new StringBuilder();
        dump(box, 0, sb);
        return sb.toString();
    }

    private static void dump(Box box, int depth, StringBuilder sb) {
        sb.append("  ".repeat(depth)).append(box.type).append(" @").append(box.offset).append(" ").append(box.size)
                .append('\n');
        box.children.forEach(c -> dump(c, depth + 1, sb));
    }
}
