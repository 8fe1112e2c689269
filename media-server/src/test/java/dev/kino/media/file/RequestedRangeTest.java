package dev.kino.media.file;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class RequestedRangeTest {
    private static RequestedRange.Partial partial(String h, long size) {
        return (RequestedRange.Partial) RequestedRange.parse(h, size);
    }

    @Test
    void singleRanges() {
        assertEquals(new RequestedRange.Partial(0, 99, 1000), partial("bytes=0-99", 1000));
        assertEquals(new RequestedRange.Partial(990, 999, 1000), partial("bytes=990-", 1000));
        assertEquals(new RequestedRange.Partial(900, 999, 1000), partial("bytes=-100", 1000));
        assertEquals(new RequestedRange.Partial(0, 999, 1000), partial("bytes=-5000", 1000));
        assertEquals(new RequestedRange.Partial(995, 999, 1000), partial("bytes=995-99999999999999999999", 1000));
        assertEquals(new RequestedRange.Partial(5, 5, 1000), partial("BYTES = 5-5".replace(" = ", "="), 1000));
        assertEquals("bytes 10-19/1000", partial("bytes=10-19", 1000).contentRange());
        assertEquals(10, partial("bytes=10-19", 1000).length());
    }

    @Test
    void unsatisfiable() {
        assertEquals(new RequestedRange.Unsatisfiable(1000), RequestedRange.parse("bytes=1000-", 1000));
        assertEquals(new RequestedRange.Unsatisfiable(1000), RequestedRange.parse("bytes=5000-6000", 1000));
        assertEquals(new RequestedRange.Unsatisfiable(1000), RequestedRange.parse("bytes=-0", 1000));
        assertEquals(new RequestedRange.Unsatisfiable(0), RequestedRange.parse("bytes=0-", 0));
        assertEquals("bytes */1000", new RequestedRange.Unsatisfiable(1000).contentRange());
    }

    @Test
    void ignoredHeadersAndMultipleRangesGiveTheWholeEntity() {
        assertSame(RequestedRange.FULL, RequestedRange.parse(null, 1000));
        assertSame(RequestedRange.FULL, RequestedRange.parse("items=0-5", 1000));
        assertSame(RequestedRange.FULL, RequestedRange.parse("bytes=5-1", 1000));
        assertSame(RequestedRange.FULL, RequestedRange.parse("bytes=a-b", 1000));
        assertSame(RequestedRange.FULL, RequestedRange.parse("bytes=", 1000));
        assertSame(RequestedRange.FULL, RequestedRange.parse("bytes=-", 1000));
        assertSame(RequestedRange.FULL, RequestedRange.parse("bytes=0-1,5-6", 1000));
        assertEquals(new RequestedRange.Partial(0, 1, 1000), RequestedRange.parse("bytes=0-1, ,", 1000));
    }
}
