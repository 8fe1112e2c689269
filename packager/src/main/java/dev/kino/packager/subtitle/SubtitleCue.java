package dev.kino.packager.subtitle;

/**
 * One subtitle cue on the title timeline.
 *
 * @param startMs start, milliseconds from the title's first video frame (≥ 0)
 * @param endMs end, milliseconds (&gt; start)
 * @param text plain text, lines separated by {@code \n}, no styling
 */
public record SubtitleCue(long startMs, long endMs, String text) {
    /** @throws IllegalArgumentException for a negative start or an end not after the start */
    public SubtitleCue {
        if (startMs < 0 || endMs <= startMs) {
            throw new IllegalArgumentException("bad cue times " + startMs + " --> " + endMs);
        }
    }
}
