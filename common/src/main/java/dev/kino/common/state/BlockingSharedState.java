package dev.kino.common.state;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking view of a {@link SharedState}, from {@link SharedState#blocking(Duration)}: each method waits for the
 * corresponding asynchronous operation, at most the configured timeout. For worker threads (JDBC-style request
 * handlers, tools, tests), never for event loops. Thread-safe.
 *
 * <p>Errors: argument errors as in {@link SharedState}; a store failure throws the {@link SharedStateException}
 * itself; a timeout or an interrupt throws {@link SharedStateException} (the interrupt flag is kept); after close,
 * {@link IllegalStateException}.
 */
public final class BlockingSharedState implements AutoCloseable {
    private final SharedState state;
    private final Duration timeout;

    /**
     * @param state the asynchronous state
     * @param timeout longest wait per call, positive
     */
    public BlockingSharedState(SharedState state, Duration timeout) {
        this.state = Objects.requireNonNull(state, "state");
        this.timeout = Args.positive(timeout, "timeout");
    }

    /** @return the asynchronous state this view waits on */
    public SharedState async() {
        return state;
    }

    /**
     * Blocking {@link SharedState#put(String, String)}.
     *
     * @param key non-empty key
     * @param value value
     */
    public void put(String key, String value) {
        await(state.put(key, value));
    }

    /**
     * Blocking {@link SharedState#put(String, String, Duration)}.
     *
     * @param key non-empty key
     * @param value value
     * @param ttl time to live, at least 1 ms
     */
    public void put(String key, String value, Duration ttl) {
        await(state.put(key, value, ttl));
    }

    /**
     * Blocking {@link SharedState#putIfAbsent}.
     *
     * @param key non-empty key
     * @param value value
     * @param ttl time to live, at least 1 ms
     * @return true when stored
     */
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return await(state.putIfAbsent(key, value, ttl));
    }

    /**
     * Blocking {@link SharedState#get}.
     *
     * @param key non-empty key
     * @return the live value or empty
     */
    public Optional<String> get(String key) {
        return await(state.get(key));
    }

    /**
     * Blocking {@link SharedState#delete}.
     *
     * @param key non-empty key
     * @return true when a live value was removed
     */
    public boolean delete(String key) {
        return await(state.delete(key));
    }

    /**
     * Blocking {@link SharedState#addToSet}.
     *
     * @param key non-empty key
     * @param member member
     * @return true when added
     */
    public boolean addToSet(String key, String member) {
        return await(state.addToSet(key, member));
    }

    /**
     * Blocking {@link SharedState#removeFromSet}.
     *
     * @param key non-empty key
     * @param member member
     * @return true when removed
     */
    public boolean removeFromSet(String key, String member) {
        return await(state.removeFromSet(key, member));
    }

    /**
     * Blocking {@link SharedState#isMember}.
     *
     * @param key non-empty key
     * @param member member
     * @return true when a member
     */
    public boolean isMember(String key, String member) {
        return await(state.isMember(key, member));
    }

    /**
     * Blocking {@link SharedState#members}.
     *
     * @param key non-empty key
     * @return immutable snapshot
     */
    public Set<String> members(String key) {
        return await(state.members(key));
    }

    /**
     * Blocking {@link SharedState#publish}.
     *
     * @param channel non-empty channel
     * @param message message text
     */
    public void publish(String channel, String message) {
        await(state.publish(channel, message));
    }

    /**
     * Blocking {@link SharedState#subscribe}.
     *
     * @param channel non-empty channel
     * @param listener called on the state's event thread
     * @return the active subscription
     */
    public Subscription subscribe(String channel, MessageListener listener) {
        return await(state.subscribe(channel, listener));
    }

    /**
     * Blocking {@link SharedState#acquireLease}.
     *
     * @param group non-empty group key
     * @param holder non-empty holder id
     * @param limit at least 1
     * @param ttl time to live, at least 1 ms
     * @return the outcome
     */
    public LeaseResult acquireLease(String group, String holder, int limit, Duration ttl) {
        return await(state.acquireLease(group, holder, limit, ttl));
    }

    /**
     * Blocking {@link SharedState#releaseLease}.
     *
     * @param group non-empty group key
     * @param holder non-empty holder id
     * @return true when the holder had a lease
     */
    public boolean releaseLease(String group, String holder) {
        return await(state.releaseLease(group, holder));
    }

    /**
     * Blocking {@link SharedState#leaseHolders}.
     *
     * @param group non-empty group key
     * @return immutable snapshot
     */
    public Set<String> leaseHolders(String group) {
        return await(state.leaseHolders(group));
    }

    /**
     * Blocking {@link SharedState#hit}.
     *
     * @param key non-empty key
     * @param limit at least 1
     * @param window window length, at least 1 ms
     * @return allowed or refused
     */
    public RateLimitResult hit(String key, int limit, Duration window) {
        return await(state.hit(key, limit, window));
    }

    /**
     * Blocking {@link SharedState#resetRateLimit}.
     *
     * @param key non-empty key
     * @return true when a counter was removed
     */
    public boolean resetRateLimit(String key) {
        return await(state.resetRateLimit(key));
    }

    /**
     * Blocking {@link SharedState#ping}.
     *
     */
    public void ping() {
        await(state.ping());
    }

    /** Closes the underlying state ({@link SharedState#close()}). */
    @Override
    public void close() {
        state.close();
    }

    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new SharedStateException("shared state operation failed", cause);
        } catch (TimeoutException e) {
            throw new SharedStateException("shared state operation timed out after " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SharedStateException("interrupted while waiting for the shared state", e);
        }
    }
}
