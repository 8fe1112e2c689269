/**
 * Viewing analytics (issue 16): playback events from the players, bound to playback sessions; per-session summaries,
 * hourly rollups and daily viewers computed by a background job; the admin reports over them.
 *
 * <h2>Flow</h2>
 * {@code POST /api/v1/playback} grants a playback session ({@link dev.kino.control.analytics.Analytics#sessionStarted});
 * the player reports events for it to {@code POST /api/v1/playback/events}, which validates each event
 * ({@code Ingest}) and queues the good ones in a bounded write-behind queue ({@code EventWriter}); one thread writes
 * them in batches to the {@link dev.kino.control.analytics.EventSink}. The rollup job ({@code Rollups}) turns each
 * session's events into a {@link dev.kino.control.analytics.SessionSummary} and recomputes the hourly cells
 * {@code (hour, media item)} of views and of QoE; the reports ({@code Reports}, {@code QoeReports}) read only the
 * rollups; engagement and subscriptions ({@code EngagementReports}) read the features' own tables.
 *
 * <h2>Storage</h2>
 * Raw events: {@code playback_events}, partitioned by day, kept {@code analytics.rawRetention} (default 90 days),
 * then dropped a partition at a time. Sessions: {@code analytics_sessions} (binding and summary), kept as long.
 * Aggregates: {@code analytics_hourly} (per hour and item) and {@code analytics_daily_viewers} (who viewed which
 * title on which day, for unique viewers over any period), kept.
 *
 * <h2>Moving the events to a column store</h2>
 * One PostgreSQL holds a few thousand events per second and a few hundred million rows comfortably; beyond that the
 * raw events move, and nothing else does:
 * <ol>
 *   <li>Write a second {@link dev.kino.control.analytics.EventSink} for the store (ClickHouse: a
 *       {@code ReplacingMergeTree} ordered by {@code (session_id, at, event_id)} and partitioned by
 *       {@code toYYYYMMDD(at)}, which gives the same idempotency per event id and time; retention becomes the
 *       table's {@code TTL at + INTERVAL 90 DAY}). {@code write} sends batches as they are (the writer already
 *       batches up to a thousand); {@code eventsOf} reads a batch of sessions; {@code prepare} does nothing;
 *       {@code dropBefore} drops partitions; {@code delete} is a lightweight delete by session.</li>
 *   <li>Dual-write for one retention period (a sink that writes to both), then read from the new one.</li>
 *   <li>Sessions and rollups stay in PostgreSQL: they are small (one row per session, per hour and item, per viewer
 *       and day) and the binding check needs them transactionally next to the accounts. When the rollups outgrow it
 *       too, the hourly cells become a materialised view in the column store, fed by the same summaries.</li>
 * </ol>
 *
 * <h2>Privacy</h2>
 * No IP address is stored, only its network (IPv4 /24, IPv6 /48) per session, and of the User-Agent only a coarse
 * device class. A guest's viewer key (unique viewers, view deduplication) is a hash of that network and device class.
 * An account's sessions, events and daily-viewer rows go with its row ({@code on delete cascade}) and with its
 * erasure ({@code AccountDeletion} calls {@link dev.kino.control.analytics.Analytics#deleteAccount});
 * {@link dev.kino.control.analytics.Analytics#exportAccount} is the {@code viewing} section of
 * {@code GET /api/v1/me/export}. The hourly aggregates name nobody and are kept.
 */
package dev.kino.control.analytics;
