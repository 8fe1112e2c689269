package dev.kino.control.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What one playback session amounted to, computed from its raw events. The rules, all here so they are tested in
 * one place ({@code ViewingAggregationTest}):
 *
 * <ul>
 *   <li><b>Watch time</b>: after an event that leaves the player playing ({@link EventType#playingAfter}), the time
 *       to the next event, at most {@link #MAX_GAP} (heartbeats come every 10 s; a longer silence means the player
 *       went away, so only the gap allowance counts). Pauses and stalls are not watch time. Events are taken in
 *       time order; duplicates of an event id count once.</li>
 *   <li><b>Content played</b>: between two events in the playing state, the positions from the first to the second,
 *       but no further than {@link #MAX_SPEED} times the elapsed time (a forged jump plays nothing) and nothing
 *       across a {@link EventType#SEEK}.</li>
 *   <li><b>View threshold</b>: the session qualifies once its watch time reaches 10 s, or half the duration for
 *       items shorter than 20 s ({@link #threshold}); {@code qualifiedAt} is the moment it did. Deduplication (once per
 *       viewer and item per hour) is the rollup's part, across sessions.</li>
 *   <li><b>Completion</b>: content was played at or beyond {@link #COMPLETED} of the duration.</li>
 *   <li><b>Retention buckets</b>: bucket {@code i} (0..99) is the positions {@code [i %, (i+1) %)} of the duration;
 *       a bucket counts as played when any of it was.</li>
 * </ul>
 *
 * @param watchMs playing time in milliseconds
 * @param firstAt the earliest event's time, or null without events
 * @param qualifiedAt when the watch time reached the view threshold, or null when it never did
 * @param completed whether the content was played through {@link #COMPLETED} of the duration
 * @param covered the 1 % buckets of the duration played (empty when the duration is unknown)
 */
public record SessionSummary(long watchMs, Instant firstAt, Instant qualifiedAt, boolean completed, BitSet covered) {
    /** Longest time between two events that counts as playing. */
    public static final Duration MAX_GAP = Duration.ofSeconds(30);
    /** Fastest playback believed (players offer up to 2×): more content than this per second of playing is not. */
    public static final double MAX_SPEED = 2.0;
    /** Watch time that makes a view (for items of at least twice as long). */
    public static final Duration VIEW_AFTER = Duration.ofSeconds(10);
    /** Share of the duration that must have played for a completion. */
    public static final double COMPLETED = 0.9;
    /** Buckets of the retention curve. */
    public static final int BUCKETS = 100;

    /** @return watch time needed for a view of an item this long (null or 0: unknown, 10 s) */
    public static long threshold(Integer durationSeconds) {
        long full = VIEW_AFTER.toMillis();
        if (durationSeconds == null || durationSeconds <= 0) {
            return full;
        }
        return Math.min(full, durationSeconds * 1000L / 2);
    }

    /**
     * @param events the session's events in any order, duplicates allowed
     * @param durationSeconds the item's duration, or null when unknown (no completion or retention then)
     */
    public static SessionSummary of(List<PlaybackEvent> events, Integer durationSeconds) {
        List<PlaybackEvent> sorted = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (PlaybackEvent e : events) {
            if (seen.add(e.id())) {
                sorted.add(e);
            }
        }
        // time order; at equal times, the order the types happen in (a start before its first heartbeat)
        sorted.sort(Comparator.comparing(PlaybackEvent::at).thenComparing(PlaybackEvent::type));
        double duration = durationSeconds == null ? 0 : durationSeconds;
        long threshold = threshold(durationSeconds);
        BitSet covered = new BitSet(BUCKETS);
        long watch = 0;
        Instant qualified = null;
        boolean completed = false;
        boolean playing = false;
        PlaybackEvent prev = null;
        for (PlaybackEvent e : sorted) {
            if (prev != null && playing) {
                long dt = Math.min(Duration.between(prev.at(), e.at()).toMillis(), MAX_GAP.toMillis());
                if (qualified == null && watch + dt >= threshold) {
                    qualified = prev.at().plusMillis(threshold - watch);
                }
                watch += dt;
                if (e.type() != EventType.SEEK && duration > 0) {
                    double from = prev.position();
                    double to = Math.min(e.position(), from + dt / 1000.0 * MAX_SPEED);
                    if (to > from) {
                        mark(covered, from, Math.min(to, duration), duration);
                        if (to >= COMPLETED * duration) {
                            completed = true;
                        }
                    }
                }
            }
            playing = e.type().playingAfter(playing);
            prev = e;
        }
        return new SessionSummary(watch, sorted.isEmpty() ? null : sorted.get(0).at(), qualified, completed, covered);
    }

    /** Marks the buckets that {@code [from, to)} seconds touch. */
    private static void mark(BitSet covered, double from, double to, double duration) {
        if (to <= from) {
            return;
        }
        int first = (int) Math.floor(from / duration * BUCKETS);
        int last = (int) Math.ceil(to / duration * BUCKETS) - 1;
        covered.set(Math.max(0, first), Math.min(BUCKETS - 1, last) + 1);
    }

    /** @return the hour this session's figures are rolled up into: that of its view, else of its first event */
    public Instant rollupHour() {
        Instant t = qualifiedAt != null ? qualifiedAt : firstAt;
        return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    }
}
