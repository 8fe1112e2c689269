package dev.kino.packager.ladder;

import java.util.Comparator;
import java.util.List;

/**
 * What ladder a title may get, before looking at the source.
 *
 * <p>The default follows the spirit of Apple's HLS Authoring Specification (§1.1 and §2): H.264 High,
 * 1080p 5000k, 720p 3000k, 480p 1500k, 360p 800k, 240p 400k, 6-second segments, one IDR per segment.
 *
 * @param rungs the rungs, any order (the planner sorts them, highest first)
 * @param segmentSeconds media segment duration in seconds: 6 by default, 4 allowed, any whole number 2..10
 * @param gopSeconds closed-GOP duration in seconds; must divide {@code segmentSeconds} (default: equal to it)
 * @param includeSourceRung add a rung at the source's own short side when it falls strictly between two rungs
 *                          and is at least 15% above the lower one (bitrate interpolated); see
 *                          {@link LadderPlanner}
 * @param bFrames B-frames between references (0 disables them; 2 by default)
 */
public record LadderSpec(List<RungSpec> rungs, int segmentSeconds, int gopSeconds, boolean includeSourceRung,
                         int bFrames) {
    /** The default rungs. */
    public static final List<RungSpec> APPLE_STYLE = List.of(
            new RungSpec(1080, 5_000_000), new RungSpec(720, 3_000_000), new RungSpec(480, 1_500_000),
            new RungSpec(360, 800_000), new RungSpec(240, 400_000));

    /** @throws IllegalArgumentException for an empty ladder, a bad segment duration or a GOP that does not divide it */
    public LadderSpec {
        if (rungs == null || rungs.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one rung");
        }
        rungs = rungs.stream().sorted(Comparator.comparingInt(RungSpec::height).reversed()).toList();
        for (int i = 1; i < rungs.size(); i++) {
            if (rungs.get(i).height() == rungs.get(i - 1).height()) {
                throw new IllegalArgumentException("two rungs with height " + rungs.get(i).height());
            }
        }
        if (segmentSeconds < 2 || segmentSeconds > 10) {
            throw new IllegalArgumentException("segment duration must be 2..10 seconds (6 by default, 4 allowed), not "
                    + segmentSeconds);
        }
        if (gopSeconds <= 0 || segmentSeconds % gopSeconds != 0) {
            throw new IllegalArgumentException("GOP of " + gopSeconds + " s does not divide the " + segmentSeconds
                    + " s segment");
        }
        if (bFrames < 0 || bFrames > 3) {
            throw new IllegalArgumentException("bFrames must be 0..3, not " + bFrames);
        }
    }

    /** @return the default spec: Apple-style rungs, 6 s segments and GOPs, source rung on, 2 B-frames */
    public static LadderSpec defaults() {
        return new LadderSpec(APPLE_STYLE, 6, 6, true, 2);
    }

    /** @param seconds segment (and GOP) duration @return a copy with that duration */
    public LadderSpec withSegmentSeconds(int seconds) {
        return new LadderSpec(rungs, seconds, seconds, includeSourceRung, bFrames);
    }

    /**
     * @param seconds closed-GOP duration, seconds
     * @return a copy with that GOP
     * @throws IllegalArgumentException when it does not divide the segment duration
     */
    public LadderSpec withGopSeconds(int seconds) {
        return new LadderSpec(rungs, segmentSeconds, seconds, includeSourceRung, bFrames);
    }

    /** @param newRungs rungs @return a copy with those rungs */
    public LadderSpec withRungs(List<RungSpec> newRungs) {
        return new LadderSpec(newRungs, segmentSeconds, gopSeconds, includeSourceRung, bFrames);
    }
}
