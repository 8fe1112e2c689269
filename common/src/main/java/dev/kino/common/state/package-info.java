/**
 * State shared by every Kino node: take-down takedowns, concurrent-stream leases and credential rate
 * limits.
 *
 * <p>{@link dev.kino.common.state.SharedState} is the one interface; {@link dev.kino.common.state.SharedStates#create}
 * picks the implementation from the configuration:
 * <ul>
 *   <li>{@link dev.kino.common.state.InProcessSharedState} when {@code redis.url} is empty: one node, everything in
 *       this JVM's memory, time from an injectable {@link java.time.Clock};</li>
 *   <li>{@link dev.kino.common.state.RedisSharedState} when {@code redis.url} is set: every node talks to the same Redis
 *       (5 or newer) through Lettuce; leases and rate limits are Lua scripts, so they are atomic across nodes and
 *       use the Redis server's clock, never the nodes' clocks.</li>
 * </ul>
 *
 * <p>Conventions of the whole package:
 * <ul>
 *   <li>Every operation is non-blocking and returns a {@link java.util.concurrent.CompletionStage}; it is safe to
 *       call from a Netty event loop. Blocking variants exist only on {@link dev.kino.common.state.BlockingSharedState}
 *       (for worker threads, tests and tools).</li>
 *   <li>Wrong arguments (null, empty key, non-positive duration or limit) are programming errors and throw
 *       {@link java.lang.NullPointerException} / {@link java.lang.IllegalArgumentException} at once. Failures of the
 *       store (Redis down, timeout) complete the stage exceptionally with a
 *       {@link dev.kino.common.state.SharedStateException}; after {@code close()} every operation completes
 *       exceptionally with {@link java.lang.IllegalStateException}.</li>
 *   <li>Durations are {@link java.time.Duration}s used at millisecond precision; anything under one millisecond or over
 *       36,500 days is rejected.</li>
 *   <li>Keys of the four kinds (values, sets, lease groups, rate-limit counters) and pub/sub channels are separate
 *       namespaces: {@code put("x", …)} and {@code addToSet("x", …)} never collide.</li>
 *   <li>No message or log line of this package contains the credentials of the Redis URL
 *       ({@link dev.kino.common.state.SharedStates#maskUrl}).</li>
 * </ul>
 */
package dev.kino.common.state;
