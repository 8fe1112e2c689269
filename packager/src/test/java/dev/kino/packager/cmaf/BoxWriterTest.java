package dev.kino.packager.cmaf;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BoxWriterTest {
    @Test
    void nestedFullAndLargeBoxes() {
        BoxWriter w = new BoxWriter(0);
        w.start("moov").startFull("mvhd", 1, 0x0A0B0C).u64(-2).end().startLarge("mdat").zeros(100).end().end();
        byte[] b = w.toByteArray();
        ByteBuffer bb = ByteBuffer.wrap(b);
        assertEquals(b.length, bb.getInt(0));
        assertEquals(20, bb.getInt(8), "mvhd: 8 header + 4 version/flags + 8");
        assertEquals(0x010A0B0C, bb.getInt(16));
        assertEquals(-2, bb.getLong(20));
        assertEquals(1, bb.getInt(28), "large box size field is 1");
        assertEquals(16 + 100, bb.getLong(36), "largesize");
        TestBoxes.Box root = TestBoxes.parse(b);
        assertEquals(116, root.find("moov/mdat").size());
        assertThrows(IllegalStateException.class, () -> new BoxWriter(8).end());
        assertThrows(IllegalStateException.class, () -> new BoxWriter(8).start("free").toByteArray());
        assertThrows(IllegalArgumentException.class, () -> new BoxWriter(8).start("toolong"));
    }
}
