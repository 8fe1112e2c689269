package dev.kino.common.state;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * State shared by all Kino nodes: values with an optional time to live, string sets, pub/sub channels,
 * concurrent-stream leases and fixed-window rate limits.
 *
 * <p>Implementations: {@link InProcessSharedState} (one node, memory of this JVM) and {@link RedisSharedState}
 * (many nodes, one Redis); {@link SharedStates#create} chooses by configuration. Both pass the same contract tests.
 *
 * <p>Threading: every implementation is thread-safe, and no method blocks, so all may be called from a Netty
 * event loop. Returned stages may complete on the caller's thread (in-process: they are usually already complete)
 * or on the Redis client's I/O threads: dependent actions must not block either; use the {@code *Async} variants
 * of {@link CompletionStage} with your own executor for anything slow. {@link #blocking(Duration)} gives a
 * blocking view for threads that may block.
 *
 * <p>Errors: invalid arguments throw {@link NullPointerException} or {@link IllegalArgumentException} directly;
 * a failing store completes the stage exceptionally with {@link SharedStateException}; after {@link #close()} the
 * stages complete exceptionally with {@link IllegalStateException}.
 *
 * <p>Time: TTLs, lease expiries and rate-limit windows are measured by one clock per store: the injected
 * {@link java.time.Clock} in process, the Redis server's clock with Redis (nodes' clock skew does not matter).
 * Everything is at millisecond precision; durations under 1 ms or over 36,500 days are rejected.
 */
public interface SharedState extends AutoCloseable {

    // ---- values ---------------------------------------------------------------------------------------------

    /**
     * Sets {@code key} to {@code value} with no expiry, replacing any value (and expiry) it had.
     *
     * @param key non-empty key
     * @param value value, may be empty
     * @return completes when stored
     */
    CompletionStage<Void> put(String key, String value);

    /**
     * Sets {@code key} to {@code value} for {@code ttl}, replacing any value it had; after the TTL the key reads as
     * absent.
     *
     * @param key non-empty key
     * @param value value, may be empty
     * @param ttl time to live, at least 1 ms
     * @return completes when stored
     */
    CompletionStage<Void> put(String key, String value, Duration ttl);

    /**
     * Sets {@code key} to {@code value} for {@code ttl} only when it has no live value (a one-shot flag, a simple
     * lock, a deduplication marker).
     *
     * @param key non-empty key
     * @param value value, may be empty
     * @param ttl time to live, at least 1 ms
     * @return true when stored, false when a live value was already there (left unchanged)
     */
    CompletionStage<Boolean> putIfAbsent(String key, String value, Duration ttl);

    /**
     * @param key non-empty key
     * @return the live value, or empty when absent or expired
     */
    CompletionStage<Optional<String>> get(String key);

    /**
     * @param key non-empty key
     * @return true when a live value was removed
     */
    CompletionStage<Boolean> delete(String key);

    // ---- sets -----------------------------------------------------------------------------------------------

    /**
     * Adds a member to a durable set (no expiry), e.g. the taken-down title ids.
     *
     * @param key non-empty set key
     * @param member member, may be empty
     * @return true when added, false when it was already a member
     */
    CompletionStage<Boolean> addToSet(String key, String member);

    /**
     * @param key non-empty set key
     * @param member member
     * @return true when removed, false when it was not a member; a set left empty no longer exists
     */
    CompletionStage<Boolean> removeFromSet(String key, String member);

    /**
     * @param key non-empty set key
     * @param member member
     * @return true when {@code member} is in the set
     */
    CompletionStage<Boolean> isMember(String key, String member);

    /**
     * @param key non-empty set key
     * @return an immutable snapshot of the members, empty when the set does not exist; no order
     */
    CompletionStage<Set<String>> members(String key);

    // ---- pub/sub --------------------------------------------------------------------------------------------

    /**
     * Sends {@code message} to every listener of {@code channel} on every node, this one included. Fire and
     * forget: nodes not connected at that moment never see it (see {@link MessageListener}).
     *
     * @param channel non-empty channel name
     * @param message message text, may be empty
     * @return completes once the message was handed to the broker (in process: queued for delivery)
     */
    CompletionStage<Void> publish(String channel, String message);

    /**
     * Registers {@code listener} for {@code channel}. Several listeners may share a channel; each gets every
     * message. With Redis the node subscribes once per channel and resubscribes by itself after a reconnection.
     *
     * @param channel non-empty channel name
     * @param listener called on the state's event thread (see {@link MessageListener})
     * @return completes with the subscription once the channel is subscribed, so that a message published after
     *         completion reaches the listener; close the subscription to stop
     */
    CompletionStage<Subscription> subscribe(String channel, MessageListener listener);

    // ---- leases ---------------------------------------------------------------------------------------------

    /**
     * Takes or renews a lease in a group with a limit on concurrent holders, atomically across nodes: e.g. group =
     * account id, holder = playback session id, limit = the plan's concurrent streams, ttl = a little more than the
     * player's licence or key renewal interval.
     *
     * <ul>
     *   <li>Leases whose expiry has passed are dropped first.</li>
     *   <li>A holder with a live lease is always renewed (expiry = now + ttl), even when the group is over a limit
     *       that has since been lowered.</li>
     *   <li>Otherwise the lease is granted when the group has fewer than {@code limit} live holders, else
     *       refused; a refusal changes nothing.</li>
     * </ul>
     *
     * @param group non-empty group key (e.g. the account id)
     * @param holder non-empty holder id (e.g. the playback session id)
     * @param limit most concurrent holders, at least 1
     * @param ttl lease lifetime from now, at least 1 ms
     * @return the outcome, with the number of live holders
     */
    CompletionStage<LeaseResult> acquireLease(String group, String holder, int limit, Duration ttl);

    /**
     * Gives a lease back at once (playback stopped), freeing the slot for another holder.
     *
     * @param group non-empty group key
     * @param holder non-empty holder id
     * @return true when the holder had a lease in the group (an expired one may also count)
     */
    CompletionStage<Boolean> releaseLease(String group, String holder);

    /**
     * @param group non-empty group key
     * @return an immutable snapshot of the holders with a live lease, no order
     */
    CompletionStage<Set<String>> leaseHolders(String group);

    // ---- rate limits ----------------------------------------------------------------------------------------

    /**
     * Counts one hit on {@code key} (e.g. {@code login:account:42}, {@code login:ip:203.0.113.7}) in a fixed
     * window, atomically across nodes. The window opens at the first hit after the previous window closed and
     * lasts {@code window}; the first {@code limit} hits in it are allowed, later ones refused until it closes.
     * Refused hits are counted but do not extend the window. Being a fixed window, up to {@code 2 × limit} hits
     * can pass within one window length around a window boundary.
     *
     * <p>The window length is taken from the call that opens the window; keep {@code limit} and {@code window}
     * constant per key.
     *
     * @param key non-empty counter key
     * @param limit hits allowed per window, at least 1
     * @param window window length, at least 1 ms
     * @return allowed or refused, with the time until the window ends ({@code Retry-After})
     */
    CompletionStage<RateLimitResult> hit(String key, int limit, Duration window);

    /**
     * Forgets the counter of {@code key} (e.g. after a successful login), so the next hit opens a new window.
     *
     * @param key non-empty counter key
     * @return true when a live counter was removed
     */
    CompletionStage<Boolean> resetRateLimit(String key);

    // ---- lifecycle ------------------------------------------------------------------------------------------

    /**
     * Checks the store answers (health checks).
     *
     * @return completes normally when the store is reachable, exceptionally with {@link SharedStateException}
     *         when not
     */
    CompletionStage<Void> ping();

    /**
     * @return a short human-readable description for logs, e.g. {@code in-process} or
     *         {@code redis redis://***@cache:6379/0}; never contains credentials
     */
    String description();

    /**
     * A view of this state whose methods block the calling thread until the result is in. Never use it on an
     * event loop.
     *
     * @param timeout longest wait per call, positive
     * @return the blocking view (closing it closes this state)
     */
    default BlockingSharedState blocking(Duration timeout) {
        return new BlockingSharedState(this, timeout);
    }

    /**
     * Releases everything: subscriptions, connections, threads; messages not yet handed to a listener are
     * dropped. Idempotent. May block briefly (up to a few seconds) while connections close and a listener call in
     * progress finishes; call it at shutdown, not on an event loop. Operations called afterwards fail with
     * {@link IllegalStateException}; stored state (in Redis) is kept.
     */
    @Override
    void close();
}
