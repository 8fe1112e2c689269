package dev.kino.control.analytics;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where raw playback events go and come back from: the one seam between viewing analytics and its event storage
 * ({@link PostgresEventSink} today; see the package documentation for a column store). Everything else (sessions,
 * summaries, rollups, reports) works on what this returns, so replacing the sink replaces no rule.
 *
 * <p>Called from the write-behind thread ({@link #write}) and the rollup job, never from an event loop; every method
 * may block.
 */
public interface EventSink {
    /**
     * Stores events. Idempotent: an event with the id and time of a stored one is ignored, so a batch may be written
     * again after a failure or a client's replay.
     *
     * @param events validated events of known sessions
     */
    void write(List<PlaybackEvent> events);

    /**
     * @param sessions session ids
     * @return each session's stored events (any order; sessions without events are absent)
     */
    Map<UUID, List<PlaybackEvent>> eventsOf(Collection<UUID> sessions);

    /** Makes room for events with times in {@code [from, to)} (PostgreSQL: creates the day partitions ahead). */
    void prepare(Instant from, Instant to);

    /**
     * Retention: forgets every event older than {@code cutoff} (PostgreSQL: drops whole day partitions that end at
     * or before it, so a partition is kept while any of its day is younger).
     *
     * @return how many storage units (partitions) were dropped
     */
    int dropBefore(Instant cutoff);

    /** Forgets the events of these sessions (an account's deletion). */
    void delete(Collection<UUID> sessions);
}
