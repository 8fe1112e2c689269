package dev.kino.protocol.dash;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentTimelineTest {

    private static SegmentTimeline.Entry e(Long t, long d, int r) {
        return new SegmentTimeline.Entry(t, d, r);
    }

    @Test
    void runLengthCompression() {
        assertEquals(List.of(e(0L, 2, 2), e(null, 1, 0)), SegmentTimeline.of(0, 2, 2, 2, 1).entries());
        assertEquals(List.of(e(10L, 5, 0)), SegmentTimeline.of(10, 5).entries());
        assertEquals(List.of(e(0L, 3, 3)), SegmentTimeline.of(0, 3, 3, 3, 3).entries());
        assertEquals(List.of(e(0L, 1, 0), e(null, 2, 0), e(null, 1, 0)), SegmentTimeline.of(0, 1, 2, 1).entries());
        assertEquals(List.of(e(7L, 4, 1), e(null, 9, 1), e(null, 4, 0)),
                SegmentTimeline.of(7, 4, 4, 9, 9, 4).entries());
    }

    @Test
    void expandingEntriesGivesBackTheDurations() {
        long[] d = {180000, 180000, 179999, 180001, 180001, 180001, 90000};
        SegmentTimeline tl = SegmentTimeline.of(1234, d);
        long count = 0;
        int i = 0;
        for (SegmentTimeline.Entry en : tl.entries()) {
            for (int k = 0; k <= en.r(); k++) {
                assertEquals(d[i++], en.d());
                count++;
            }
        }
        assertEquals(d.length, count);
        assertEquals(7, tl.segmentCount());
        assertEquals(2 * 180000 + 179999 + 3 * 180001 + 90000, tl.totalDuration());
        assertEquals(1234 + tl.totalDuration(), tl.endTime());
    }

    @Test
    void writerOmitsRZeroAndTAfterTheFirst() {
        String xml = MpdWriter.write(SampleMpds.clear());
        assertTrue(xml.contains("<S t=\"0\" d=\"180000\" r=\"14\"/>\n          <S d=\"45000\"/>"), xml);
    }

    @Test
    void validation() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SegmentTimeline.of(0))
                .getMessage().contains("SegmentTimeline.durations"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SegmentTimeline.of(0, 1, 0, 1))
                .getMessage().contains("durations[1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SegmentTimeline.of(-1, 1))
                .getMessage().contains("startTime"));
        assertThrows(ArithmeticException.class, () -> SegmentTimeline.of(Long.MAX_VALUE, 1));
        assertThrows(NullPointerException.class, () -> new SegmentTimeline(0, null));
    }
}
