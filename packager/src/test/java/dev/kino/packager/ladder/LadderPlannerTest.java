package dev.kino.packager.ladder;

import dev.kino.packager.PackagingException;
import dev.kino.protocol.media.FrameRate;
import dev.kino.packager.source.VideoStreamInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LadderPlannerTest {
    private static VideoStreamInfo src(int w, int h, int rotation, FrameRate fps) {
        return new VideoStreamInfo(0, "h264", w, h, rotation, fps, fps, "yuv420p");
    }

    private static final FrameRate F25 = new FrameRate(25, 1);

    private static List<String> sizes(Ladder l) {
        return l.rungs().stream().map(r -> r.width() + "x" + r.height()).toList();
    }

    @Test
    void fullHdGetsWholeDefaultLadder() {
        Ladder l = LadderPlanner.plan(src(1920, 1080, 0, F25), LadderSpec.defaults());
        assertEquals(List.of("1920x1080", "1280x720", "854x480", "640x360", "426x240"), sizes(l));
        assertEquals(5_000_000, l.rungs().get(0).bitrate());
        assertEquals(7_500_000, l.rungs().get(0).maxBitrate());
        assertEquals(6, l.segmentSeconds());
        l.rungs().forEach(r -> assertEquals(0, r.width() % 2));
    }

    @Test
    void neverUpscales() {
        Ladder l = LadderPlanner.plan(src(640, 360, 0, F25), LadderSpec.defaults());
        assertEquals(List.of("640x360", "426x240"), sizes(l));
        Ladder uhd = LadderPlanner.plan(src(3840, 2160, 0, F25), LadderSpec.defaults());
        assertEquals("1920x1080", sizes(uhd).get(0));
    }

    @Test
    void sourceRungBetweenStandardRungs() {
        Ladder l = LadderPlanner.plan(src(1600, 900, 0, F25), LadderSpec.defaults());
        assertEquals("1600x900", sizes(l).get(0));
        Rung top = l.rungs().get(0);
        assertTrue(top.bitrate() > 3_000_000 && top.bitrate() < 5_000_000, "interpolated: " + top.bitrate());
        // 738p is within 15% of 720p: no extra rung
        Ladder near = LadderPlanner.plan(src(1312, 738, 0, F25), LadderSpec.defaults());
        assertEquals("1280x720", sizes(near).get(0));
        // can be switched off
        LadderSpec off = new LadderSpec(LadderSpec.APPLE_STYLE, 6, 6, false, 2);
        assertEquals("1280x720", sizes(LadderPlanner.plan(src(1600, 900, 0, F25), off)).get(0));
    }

    @Test
    void portraitAppliesToShortSide() {
        Ladder l = LadderPlanner.plan(src(1080, 1920, 0, F25), LadderSpec.defaults());
        assertEquals(List.of("1080x1920", "720x1280", "480x854", "360x640", "240x426"), sizes(l));
        assertEquals("video-720p", l.rungs().get(1).name());
        Ladder rotated = LadderPlanner.plan(src(1920, 1080, 90, F25), LadderSpec.defaults());
        assertEquals(sizes(l), sizes(rotated));
    }

    @Test
    void oddAspectGivesEvenSizes() {
        Ladder l = LadderPlanner.plan(src(1998, 1080, 0, F25), LadderSpec.defaults());
        for (Rung r : l.rungs()) {
            assertEquals(0, r.width() % 2);
            assertEquals(0, r.height() % 2);
        }
        assertEquals("1332x720", sizes(l).get(1));
    }

    @Test
    void tinySourceGetsOneRungAtItsOwnSize() {
        Ladder l = LadderPlanner.plan(src(192, 108, 0, F25), LadderSpec.defaults());
        assertEquals(List.of("192x108"), sizes(l));
        assertTrue(l.rungs().get(0).bitrate() >= 100_000);
        assertThrows(PackagingException.class, () -> LadderPlanner.plan(src(16, 16, 0, F25), LadderSpec.defaults()));
    }

    @Test
    void highFrameRateHalvedOnLowRungs() {
        Ladder l = LadderPlanner.plan(src(1280, 720, 0, new FrameRate(50, 1)), LadderSpec.defaults());
        assertEquals(50, l.rungs().get(0).frameRate().fps(), 0.001);
        assertFalse(l.rungs().get(0).halfRate());
        for (Rung r : l.rungs().subList(1, l.rungs().size())) {
            assertEquals(25, r.frameRate().fps(), 0.001);
            assertTrue(r.halfRate());
        }
        Ladder ntsc = LadderPlanner.plan(src(854, 480, 0, new FrameRate(60000, 1001)), LadderSpec.defaults());
        assertEquals(new FrameRate(30000, 1001), ntsc.rungs().get(0).frameRate());
        Ladder film = LadderPlanner.plan(src(854, 480, 0, new FrameRate(24000, 1001)), LadderSpec.defaults());
        assertFalse(film.rungs().get(0).halfRate());
    }

    @Test
    void customSpecValidated() {
        LadderSpec s = new LadderSpec(List.of(new RungSpec(360, 700_000, 1_000_000), new RungSpec(180, 250_000)),
                4, 2, true, 0);
        Ladder l = LadderPlanner.plan(src(640, 360, 0, F25), s);
        assertEquals(List.of("640x360", "320x180"), sizes(l));
        assertEquals(1_000_000, l.rungs().get(0).maxBitrate());
        assertEquals(4, l.segmentSeconds());
        assertEquals(2, l.gopSeconds());
        assertThrows(IllegalArgumentException.class, () -> new LadderSpec(List.of(new RungSpec(360, 800_000)), 6, 4, true, 2));
        assertThrows(IllegalArgumentException.class, () -> new LadderSpec(List.of(), 6, 6, true, 2));
        assertThrows(IllegalArgumentException.class, () -> new LadderSpec(List.of(new RungSpec(360, 800_000)), 30, 6, true, 2));
        assertThrows(IllegalArgumentException.class, () -> new RungSpec(361, 800_000));
        assertThrows(IllegalArgumentException.class, () -> new RungSpec(360, 800_000, 500_000));
    }
}
