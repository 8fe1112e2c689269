package dev.kino.control.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one playback session amounted to, computed from its raw events. The rules, all here so they are tested in
 * one place ({@code AnalyticsRulesTest}, {@code AnalyticsAggregationTest}):
 *
 * <ul>
 *   <li><b>Watch time</b>: after an event that leaves the player playing ({@link EventType#playingAfter}), the time
 *       to the next event, at most {@link #MAX_GAP} (heartbeats come every 10 s; a longer silence means the player
 *       went away, so only the gap allowance counts). Pauses and stalls are not watch time. Events are taken in
 *       time order; a replayed event id counts once (its earliest {@code at}).</li>
 *   <li><b>Plausibility</b>: the whole watch time is capped at {@code maxWatchMs}, the time the server's clock saw
 *       pass between granting the session and receiving its latest event. A client can forge its own events, but
 *       not make them describe more playing than there was time for: a batch of a forged hour of heartbeats sent a
 *       second after the grant is worth at most that second.</li>
 *   <li><b>Content played</b>: between two events in the playing state, the positions from the first to the second,
 *       but no further than {@link #MAX_SPEED} times the elapsed time (a forged jump plays nothing) and nothing
 *       across a {@link EventType#SEEK}.</li>
 *   <li><b>View threshold</b>: the session qualifies once its watch time reaches 10 s, or half the duration for
 *       items shorter than 20 s ({@link #threshold}); {@code qualifiedAt} is the moment it did. Deduplication (once per
 *       viewer and item per hour) is the rollup's part, across sessions.</li>
 *   <li><b>Completion</b>: content was played at or beyond {@link #COMPLETED} of the duration.</li>
 *   <li><b>Retention buckets</b>: bucket {@code i} (0..99) is the positions {@code [i %, (i+1) %)} of the duration;
 *       a bucket counts as played when any of it was.</li>
 *   <li><b>Quality of experience</b>: stall time is the time after a {@code stall-start} that follows the first
 *       frame ({@code start}) to the next event, at most {@link #MAX_GAP}; a stall before the first frame is startup,
 *       measured by the player ({@code startupMs} of {@code start}). Watch and stall time are split by the rendition
 *       in effect (the latest named one), and so is the bitrate ({@code bitrate} in bit/s of any event, in effect
 *       until the next that names one), time-weighted.</li>
 * </ul>
 *
 * @param watchMs playing time in milliseconds
 * @param firstAt the earliest event's time, or null without events
 * @param qualifiedAt when the watch time reached the view threshold, or null when it never did
 * @param completed whether the content was played through {@link #COMPLETED} of the duration
 * @param covered the 1 % buckets of the duration played (empty when the duration is unknown)
 * @param qoe the quality-of-experience figures
 */
public record SessionSummary(long watchMs, Instant firstAt, Instant qualifiedAt, boolean completed, BitSet covered,
                             Qoe qoe) {
    /** Longest time between two events that counts as playing (or stalling). */
    public static final Duration MAX_GAP = Duration.ofSeconds(30);
    /** Fastest playback believed (players offer up to 2×): more content than this per second of playing is not. */
    public static final double MAX_SPEED = 2.0;
    /** Watch time that makes a view (for items of at least twice as long). */
    public static final Duration VIEW_AFTER = Duration.ofSeconds(10);
    /** Share of the duration that must have played for a completion. */
    public static final double COMPLETED = 0.9;
    /** Buckets of the retention curve. */
    public static final int BUCKETS = 100;

    /**
     * Time figures of one rendition in a session.
     *
     * @param watchMs playing time in it
     * @param stallMs rebuffering time in it
     * @param stalls stalls that began in it
     * @param bitrateKbpsMs sum of bitrate (kbit/s) × playing milliseconds, where the bitrate was known
     * @param bitrateMs playing milliseconds with a known bitrate
     */
    public record RenditionTime(long watchMs, long stallMs, int stalls, double bitrateKbpsMs, long bitrateMs) {
        RenditionTime plus(long watch, long stall, int stallCount, double kbpsMs, long kbpsKnownMs) {
            return new RenditionTime(watchMs + watch, stallMs + stall, stalls + stallCount, bitrateKbpsMs + kbpsMs,
                    bitrateMs + kbpsKnownMs);
        }
    }

    /**
     * A session's quality of experience.
     *
     * @param started a first frame was reported ({@code start})
     * @param startupMs the player's time to first frame, or null when it sent none
     * @param stallMs rebuffering time after the first frame
     * @param stalls stalls after the first frame
     * @param switches rendition switches
     * @param errored a fatal error was reported
     * @param firstRendition the rendition named first, or "" when none was
     * @param renditions time figures by rendition ("" for time before any was named)
     */
    public record Qoe(boolean started, Integer startupMs, long stallMs, int stalls, int switches, boolean errored,
                      String firstRendition, Map<String, RenditionTime> renditions) {
    }

    /** @return watch time needed for a view of an item this long (null or 0: unknown, 10 s) */
    public static long threshold(Integer durationSeconds) {
        long full = VIEW_AFTER.toMillis();
        if (durationSeconds == null || durationSeconds <= 0) {
            return full;
        }
        return Math.min(full, durationSeconds * 1000L / 2);
    }

    /** {@link #of(List, Integer, long)} without a plausibility cap (tests of the other rules). */
    public static SessionSummary of(List<PlaybackEvent> events, Integer durationSeconds) {
        return of(events, durationSeconds, Long.MAX_VALUE);
    }

    /**
     * @param events the session's events in any order, duplicates allowed
     * @param durationSeconds the item's duration, or null when unknown (no completion or retention then)
     * @param maxWatchMs the most watch time the server's clock allows (see the class documentation)
     */
    public static SessionSummary of(List<PlaybackEvent> events, Integer durationSeconds, long maxWatchMs) {
        // a replayed id counts once: its earliest time (any other choice would let a replay move the event later)
        Map<UUID, PlaybackEvent> byId = new HashMap<>();
        for (PlaybackEvent e : events) {
            byId.merge(e.id(), e, (a, b) -> !b.at().isBefore(a.at()) ? a : b);
        }
        List<PlaybackEvent> sorted = new ArrayList<>(byId.values());
        // time order; at equal times, the order the types happen in (a start before its first heartbeat), then id
        sorted.sort(Comparator.comparing(PlaybackEvent::at).thenComparing(PlaybackEvent::type)
                .thenComparing(PlaybackEvent::id));
        double duration = durationSeconds == null ? 0 : durationSeconds;
        long threshold = threshold(durationSeconds);
        BitSet covered = new BitSet(BUCKETS);
        long watch = 0;
        Instant qualified = null;
        boolean completed = false;
        boolean playing = false;
        boolean stalled = false;
        boolean started = false;
        Integer startupMs = null;
        long stallTotal = 0;
        int stalls = 0;
        int switches = 0;
        boolean errored = false;
        String rendition = "";
        String firstRendition = null;
        Double kbps = null;
        Map<String, RenditionTime> byRendition = new LinkedHashMap<>();
        PlaybackEvent prev = null;
        for (PlaybackEvent e : sorted) {
            if (prev != null && playing && watch < maxWatchMs) {
                long dt = Math.min(Math.min(Duration.between(prev.at(), e.at()).toMillis(), MAX_GAP.toMillis()),
                        maxWatchMs - watch);
                if (qualified == null && watch + dt >= threshold) {
                    qualified = prev.at().plusMillis(threshold - watch);
                }
                watch += dt;
                byRendition.merge(rendition, new RenditionTime(dt, 0, 0, kbps == null ? 0 : kbps * dt,
                        kbps == null ? 0 : dt), (a, b) -> a.plus(b.watchMs(), 0, 0, b.bitrateKbpsMs(), b.bitrateMs()));
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
            } else if (prev != null && stalled) {
                long dt = Math.min(Duration.between(prev.at(), e.at()).toMillis(), MAX_GAP.toMillis());
                stallTotal += dt;
                byRendition.merge(rendition, new RenditionTime(0, dt, 0, 0, 0),
                        (a, b) -> a.plus(0, b.stallMs(), 0, 0, 0));
            }
            // the event's own facts, after the interval that led to it
            if (e.rendition() != null && !e.rendition().equals(rendition)) {
                rendition = e.rendition();
            }
            if (firstRendition == null && e.rendition() != null) {
                firstRendition = e.rendition();
            }
            Object b = e.detail().get("bitrate");
            if (b instanceof Number n && n.doubleValue() > 0) {
                kbps = n.doubleValue() / 1000.0;
            }
            switch (e.type()) {
                case START -> {
                    if (!started) {
                        started = true;
                        Object s = e.detail().get("startupMs");
                        if (s instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 600_000) {
                            startupMs = (int) Math.round(n.doubleValue());
                        }
                    }
                }
                case STALL_START -> {
                    if (started && !stalled) {
                        stalls++;
                        byRendition.merge(rendition, new RenditionTime(0, 0, 1, 0, 0),
                                (a, x) -> a.plus(0, 0, 1, 0, 0));
                    }
                }
                case SWITCH -> switches++;
                case ERROR -> errored = true;
                default -> {
                }
            }
            playing = e.type().playingAfter(playing);
            // a stall lasts until the next event other than a seek (stall-end, or whatever else the player did)
            stalled = started && (e.type() == EventType.STALL_START || stalled && e.type() == EventType.SEEK);
            prev = e;
        }
        Qoe qoe = new Qoe(started, startupMs, stallTotal, stalls, switches, errored,
                firstRendition == null ? "" : firstRendition, byRendition);
        return new SessionSummary(watch, sorted.isEmpty() ? null : sorted.get(0).at(), qualified, completed, covered,
                qoe);
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
        return t == null ? null : t.truncatedTo(ChronoUnit.HOURS);
    }
}
