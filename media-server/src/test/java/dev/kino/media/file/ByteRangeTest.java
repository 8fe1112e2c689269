package dev.kino.media.file;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ByteRangeTest {
    private static ByteRange.Partial partial(String h, long size) {
        return (ByteRange.Partial) ByteRange.parse(h, size);
    }

    @Test
    void singleRanges() {
        assertEquals(new ByteRange.Partial(0, 99, 1000), partial("bytes=0-99", 1000));
        assertEquals(new ByteRange.Partial(990, 999, 1000), partial("bytes=990-", 1000));
        assertEquals(new ByteRange.Partial(900, 999, 1000), partial("bytes=-100", 1000));
        assertEquals(new ByteRange.Partial(0, 999, 1000), partial("bytes=-5000", 1000));
        assertEquals(new ByteRange.Partial(995, 999, 1000), partial("bytes=995-99999999999999999999", 1000));
        assertEquals(new ByteRange.Partial(5, 5, 1000), partial("BYTES = 5-5".replace(" = ", "="), 1000));
        assertEquals("bytes 10-19/1000", partial("bytes=10-19", 1000).contentRange());
        assertEquals(10, partial("bytes=10-19", 1000).length());
    }

    @Test
    void unsatisfiable() {
        assertEquals(new ByteRange.Unsatisfiable(1000), ByteRange.parse("bytes=1000-", 1000));
        assertEquals(new ByteRange.Unsatisfiable(1000), ByteRange.parse("bytes=5000-6000", 1000));
        assertEquals(new ByteRange.Unsatisfiable(1000), ByteRange.parse("bytes=-0", 1000));
        assertEquals(new ByteRange.Unsatisfiable(0), ByteRange.parse("bytes=0-", 0));
        assertEquals("bytes */1000", new ByteRange.Unsatisfiable(1000).contentRange());
    }

    @Test
    void ignoredHeadersAndMultipleRangesGiveTheWholeEntity() {
        assertSame(ByteRange.FULL, ByteRange.parse(null, 1000));
        assertSame(ByteRange.FULL, ByteRange.parse("items=0-5", 1000));
        assertSame(ByteRange.FULL, ByteRange.parse("bytes=5-1", 1000));
        assertSame(ByteRange.FULL, ByteRange.parse("bytes=a-b", 1000));
        assertSame(ByteRange.FULL, ByteRange.parse("bytes=", 1000));
        assertSame(ByteRange.FULL, ByteRange.parse("bytes=-", 1000));
        assertSame(ByteRange.FULL, ByteRange.parse("bytes=0-1,5-6", 1000));
        assertEquals(new ByteRange.Partial(0, 1, 1000), ByteRange.parse("bytes=0-1, ,", 1000));
    }
}
