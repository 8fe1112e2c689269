package dev.kino.packager.ladder;

import java.util.List;

/**
 * The ladder planned for one source.
 *
 * @param rungs video renditions, highest first, distinct short sides
 * @param segmentSeconds media segment duration in seconds
 * @param gopSeconds closed-GOP duration in seconds; an IDR starts every GOP and so every segment
 * @param bFrames B-frames between references
 */
public record Ladder(List<Rung> rungs, int segmentSeconds, int gopSeconds, int bFrames) {
    /** Copies the list. */
    public Ladder {
        rungs = List.copyOf(rungs);
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("empty ladder");
        }
    }
}
