package dev.kino.protocol.dash;

import dev.kino.protocol.internal.Require;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@code SegmentTimeline} (ISO/IEC 23009-1 §5.3.9.6): the exact start and duration of every segment, in
 * {@link SegmentTemplate#timescale() timescale} ticks. Kino's segments are contiguous, so the model is the start
 * time of the first segment plus the list of durations; the writer run-length compresses it into {@code <S>}
 * elements ({@link #entries()}): one {@code S} per run of equal durations, {@code @t} on the first only,
 * {@code @r} = number of repeats after the first (omitted when 0).
 *
 * <p>Example: start 0, durations {@code [2,2,2,1]} → {@code <S t="0" d="2" r="2"/><S d="1"/>}.
 *
 * @param startTime presentation time of the first segment, in ticks, &gt;= 0 (written as the first {@code S@t})
 * @param durations duration of each segment in ticks, in order; at least one, each &gt; 0
 */
public record SegmentTimeline(long startTime, List<Long> durations) {

    /**
     * One {@code <S>} element.
     *
     * @param t the start time in ticks, or null when it follows on from the previous entry
     * @param d the duration of each segment of the run, in ticks
     * @param r the number of further segments with the same duration (the run has {@code r + 1} segments)
     */
    public record Entry(Long t, long d, int r) {
    }

    /**
     * Creates the SegmentTimeline, validating the components as described on the type.
     *
     * @param startTime see {@link #startTime()}
     * @param durations see {@link #durations()}
     * @throws IllegalArgumentException if {@code startTime} is negative, there are no durations or one is not positive, or the end time overflows
     */
    public SegmentTimeline {
        Require.nonNegative("SegmentTimeline.startTime", startTime);
        durations = List.copyOf(Objects.requireNonNull(durations, "SegmentTimeline.durations must not be null"));
        if (durations.isEmpty()) {
            throw new IllegalArgumentException("SegmentTimeline.durations must not be empty");
        }
        long end = startTime;
        for (int i = 0; i < durations.size(); i++) {
            long d = Require.positive("SegmentTimeline.durations[" + i + "]", durations.get(i));
            end = Math.addExact(end, d);
        }
    }

    /**
     * @param startTime start of the first segment, ticks
     * @param durations segment durations, ticks
     * @return the timeline
     */
    public static SegmentTimeline of(long startTime, long... durations) {
        return new SegmentTimeline(startTime, Arrays.stream(durations).boxed().toList());
    }

    /**
     * @return the number of segments
     */
    public int segmentCount() {
        return durations.size();
    }

    /**
     * @return the sum of the durations, in ticks
     */
    public long totalDuration() {
        long sum = 0;
        for (long d : durations) {
            sum += d;
        }
        return sum;
    }

    /**
     * @return {@code startTime + totalDuration()}, the end of the last segment in ticks
     */
    public long endTime() {
        return startTime + totalDuration();
    }

    /**
     * @return the run-length compressed {@code <S>} entries, as the writer emits them
     */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        long current = durations.get(0);
        int repeats = 0;
        boolean first = true;
        for (int i = 1; i <= durations.size(); i++) {
            if (i < durations.size() && durations.get(i) == current) {
                repeats++;
                continue;
            }
            out.add(new Entry(first ? startTime : null, current, repeats));
            first = false;
            if (i < durations.size()) {
                current = durations.get(i);
                repeats = 0;
            }
        }
        return out;
    }
}
