package dev.kino.control.analytics;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-session rules, device classes, startup percentiles and CSV cells, without a database. */
class AnalyticsRulesTest {
    static final Instant T = Instant.parse("2025-06-01T12:00:00Z");
    static final UUID MEDIA = UUID.randomUUID();
    static final UUID SESSION = UUID.randomUUID();

    static PlaybackEvent e(String type, double seconds, double position) {
        return new PlaybackEvent(UUID.randomUUID(), EventType.of(type).orElseThrow(), MEDIA, SESSION,
                T.plusMillis((long) (seconds * 1000)), position, "720p", Map.of());
    }

    @Test
    void aForgedJumpPlaysNoMoreThanTwiceTheTimeThatPassed() {
        SessionSummary s = SessionSummary.of(List.of(e("start", 0, 0), e("heartbeat", 10, 95)), 100);
        assertEquals(10_000, s.watchMs());
        assertEquals(20, s.covered().cardinality(), "10 s at most 2x: positions 0 to 20");
        assertFalse(s.completed());
    }

    @Test
    void aSeekPlaysNothingAcrossItAndALongSilenceCountsOnlyTheGapAllowance() {
        SessionSummary s = SessionSummary.of(List.of(e("start", 0, 0), e("heartbeat", 10, 10), e("seek", 11, 80),
                e("heartbeat", 21, 90), e("heartbeat", 600, 95)), 100);
        // 0-10 playing, 10-11 playing (the seek), 11-21 playing from 80 to 90, then 579 s of silence: 30 s allowed
        assertEquals(10_000 + 1_000 + 10_000 + 30_000, s.watchMs());
        assertTrue(s.covered().get(85) && !s.covered().get(50), s.covered().toString());
        assertTrue(s.completed(), "90 % was played (80 to 95)");
    }

    @Test
    void pausesAndStallsAreNotWatchTimeAndAReplayedIdCountsOnce() {
        PlaybackEvent start = e("start", 0, 0);
        List<PlaybackEvent> events = new ArrayList<>(List.of(start, e("pause", 5, 5), e("heartbeat", 20, 5),
                e("stall-start", 25, 10), e("stall-end", 28, 10), e("end", 30, 12)));
        events.add(new PlaybackEvent(start.id(), start.type(), MEDIA, SESSION, T.plusSeconds(3600), 0, null, Map.of()));
        SessionSummary s = SessionSummary.of(events, 100);
        assertEquals(5_000 + 5_000 + 2_000, s.watchMs());
        assertEquals(3_000, s.qoe().stallMs());
        assertEquals(1, s.qoe().stalls());
        assertEquals(T.plusSeconds(25), s.qualifiedAt(), "5 s before the pause and 5 s after it: 10 s as the stall starts");
    }

    @Test
    void theServersClockCapsWatchTime() {
        SessionSummary s = SessionSummary.of(List.of(e("start", 0, 0), e("heartbeat", 10, 10), e("heartbeat", 20, 20)),
                100, 4_000);
        assertEquals(4_000, s.watchMs());
        assertNull(s.qualifiedAt());
    }

    @Test
    void deviceClassesAreCoarse() {
        assertEquals("mobile", DeviceClass.of("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"));
        assertEquals("tablet", DeviceClass.of("Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Safari/537.36"));
        assertEquals("mobile", DeviceClass.of("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"));
        assertEquals("tv", DeviceClass.of("Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36"));
        assertEquals("desktop", DeviceClass.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"));
        assertEquals("other", DeviceClass.of("curl/8.5.0"));
        assertEquals("other", DeviceClass.of(null));
    }

    @Test
    void startupPercentilesAreBucketUpperBounds() {
        long[] hist = new long[QoeFigures.STARTUP_BOUNDS_MS.length + 1];
        for (int ms : new int[] {90, 300, 300, 1100, 40_000}) {
            hist[QoeFigures.startupBucket(ms)]++;
        }
        assertEquals(500, QoeFigures.percentile(hist, 0.5));
        assertEquals(32_000, QoeFigures.percentile(hist, 0.95), "beyond the last bound: the last bound");
        assertEquals(100, QoeFigures.percentile(hist, 0.1));
        assertNull(QoeFigures.percentile(new long[hist.length], 0.5));
    }

    @Test
    void csvCellsAreQuotedAndFormulaeDisarmed() {
        String csv = new String(new Csv("a", "b", "c").row("=HYPERLINK(\"x\")", "x,y", -0.25).bytes(),
                StandardCharsets.UTF_8);
        assertEquals("a,b,c\r\n\"'=HYPERLINK(\"\"x\"\")\",\"x,y\",-0.25\r\n", csv);
        assertTrue(Csv.wanted("text/csv"));
        assertFalse(Csv.wanted("application/json, text/csv"));
        assertFalse(Csv.wanted(null));
    }
}
