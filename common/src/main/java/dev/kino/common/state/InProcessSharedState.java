package dev.kino.common.state;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link SharedState} in this JVM's memory, for a single node (the default when {@code redis.url} is empty).
 * Nothing survives a restart and nothing is seen by other processes.
 *
 * <p>Time comes from the {@link Clock} given at construction (millisecond precision), so tests can move time
 * instead of sleeping: a value, lease or window is expired once {@code clock.millis() >= expiry}. Expired entries
 * are dropped lazily on access and by a sweep every minute of real time ({@link #purgeExpired()}).
 *
 * <p>Thread-safety: all methods are thread-safe and never block; leases and rate limits are atomic per group or
 * key ({@link ConcurrentHashMap#compute}). Returned stages are already complete. Listeners run on one daemon
 * thread owned by this instance.
 */
public final class InProcessSharedState implements SharedState {
    private static final long SWEEP_SECONDS = 60;

    private final Clock clock;
    private final ConcurrentHashMap<String, Expiring> values = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> sets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Map<String, Long>> leases = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<Registration>> channels = new ConcurrentHashMap<>();
    private final EventThread events = new EventThread("kino-state-events");
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    private record Expiring(String value, long expiresAt) {
        boolean live(long now) {
            return now < expiresAt;
        }
    }

    private record Window(int count, long endsAt) {
    }

    /** A state on the system clock (UTC). */
    public InProcessSharedState() {
        this(Clock.systemUTC());
    }

    /** @param clock source of time for TTLs, leases and windows */
    public InProcessSharedState(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kino-state-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::purgeExpired, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    // ---- values ---------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> put(String key, String value) {
        Args.key(key, "key");
        Args.value(value, "value");
        return run(() -> {
            values.put(key, new Expiring(value, Long.MAX_VALUE));
            return null;
        });
    }

    @Override
    public CompletionStage<Void> put(String key, String value, Duration ttl) {
        Args.key(key, "key");
        Args.value(value, "value");
        long ms = Args.millis(ttl, "ttl");
        return run(() -> {
            values.put(key, new Expiring(value, now() + ms));
            return null;
        });
    }

    @Override
    public CompletionStage<Boolean> putIfAbsent(String key, String value, Duration ttl) {
        Args.key(key, "key");
        Args.value(value, "value");
        long ms = Args.millis(ttl, "ttl");
        return run(() -> {
            boolean[] stored = {false};
            values.compute(key, (k, old) -> {
                long now = now();
                if (old != null && old.live(now)) {
                    return old;
                }
                stored[0] = true;
                return new Expiring(value, now + ms);
            });
            return stored[0];
        });
    }

    @Override
    public CompletionStage<Optional<String>> get(String key) {
        Args.key(key, "key");
        return run(() -> {
            Expiring e = values.get(key);
            if (e == null) {
                return Optional.empty();
            }
            if (!e.live(now())) {
                values.remove(key, e);
                return Optional.empty();
            }
            return Optional.of(e.value());
        });
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        Args.key(key, "key");
        return run(() -> {
            Expiring e = values.remove(key);
            return e != null && e.live(now());
        });
    }

    // ---- sets -----------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Boolean> addToSet(String key, String member) {
        Args.key(key, "key");
        Args.value(member, "member");
        return run(() -> {
            boolean[] added = {false};
            sets.compute(key, (k, set) -> {
                Set<String> s = set == null ? ConcurrentHashMap.newKeySet() : set;
                added[0] = s.add(member);
                return s;
            });
            return added[0];
        });
    }

    @Override
    public CompletionStage<Boolean> removeFromSet(String key, String member) {
        Args.key(key, "key");
        Args.value(member, "member");
        return run(() -> {
            boolean[] removed = {false};
            sets.computeIfPresent(key, (k, set) -> {
                removed[0] = set.remove(member);
                return set.isEmpty() ? null : set;
            });
            return removed[0];
        });
    }

    @Override
    public CompletionStage<Boolean> isMember(String key, String member) {
        Args.key(key, "key");
        Args.value(member, "member");
        return run(() -> {
            Set<String> set = sets.get(key);
            return set != null && set.contains(member);
        });
    }

    @Override
    public CompletionStage<Set<String>> members(String key) {
        Args.key(key, "key");
        return run(() -> {
            Set<String> set = sets.get(key);
            return set == null ? Set.of() : Set.copyOf(set);
        });
    }

    // ---- pub/sub --------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> publish(String channel, String message) {
        Args.key(channel, "channel");
        Args.value(message, "message");
        return run(() -> {
            CopyOnWriteArrayList<Registration> listeners = channels.get(channel);
            if (listeners != null) {
                for (Registration r : listeners) {
                    events.run("channel " + channel, () -> r.deliver(message));
                }
            }
            return null;
        });
    }

    @Override
    public CompletionStage<Subscription> subscribe(String channel, MessageListener listener) {
        Args.key(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        return run(() -> {
            Registration r = new Registration(channel, listener);
            channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(r);
            events.run("channel " + channel, r::subscribed);
            return r;
        });
    }

    private final class Registration extends ListenerRegistration {
        Registration(String channel, MessageListener listener) {
            super(channel, listener);
        }

        @Override
        public void close() {
            deactivate();
            channels.computeIfPresent(channel(), (c, list) -> {
                list.remove(this);
                return list.isEmpty() ? null : list;
            });
        }
    }

    // ---- leases ---------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<LeaseResult> acquireLease(String group, String holder, int limit, Duration ttl) {
        Args.key(group, "group");
        Args.key(holder, "holder");
        Args.limit(limit);
        long ms = Args.millis(ttl, "ttl");
        return run(() -> {
            LeaseResult[] result = new LeaseResult[1];
            leases.compute(group, (g, held) -> {
                long now = now();
                Map<String, Long> live = held == null ? new HashMap<>() : held;
                live.values().removeIf(expiry -> expiry <= now);
                if (live.containsKey(holder)) {
                    live.put(holder, now + ms);
                    result[0] = new LeaseResult(LeaseResult.Outcome.RENEWED, live.size(), limit, Duration.ZERO);
                } else if (live.size() < limit) {
                    live.put(holder, now + ms);
                    result[0] = new LeaseResult(LeaseResult.Outcome.GRANTED, live.size(), limit, Duration.ZERO);
                } else {
                    long earliest = live.values().stream().mapToLong(Long::longValue).min().orElse(now + 1);
                    result[0] = new LeaseResult(LeaseResult.Outcome.REFUSED, live.size(), limit,
                            Duration.ofMillis(Math.max(1, earliest - now)));
                }
                return live.isEmpty() ? null : live;
            });
            return result[0];
        });
    }

    @Override
    public CompletionStage<Boolean> releaseLease(String group, String holder) {
        Args.key(group, "group");
        Args.key(holder, "holder");
        return run(() -> {
            boolean[] removed = {false};
            leases.computeIfPresent(group, (g, held) -> {
                removed[0] = held.remove(holder) != null;
                return held.isEmpty() ? null : held;
            });
            return removed[0];
        });
    }

    @Override
    public CompletionStage<Set<String>> leaseHolders(String group) {
        Args.key(group, "group");
        return run(() -> {
            List<Set<String>> holders = new ArrayList<>(1);
            leases.computeIfPresent(group, (g, held) -> {
                long now = now();
                held.values().removeIf(expiry -> expiry <= now);
                holders.add(Set.copyOf(held.keySet()));
                return held.isEmpty() ? null : held;
            });
            return holders.isEmpty() ? Set.<String>of() : holders.get(0);
        });
    }

    // ---- rate limits ----------------------------------------------------------------------------------------

    @Override
    public CompletionStage<RateLimitResult> hit(String key, int limit, Duration window) {
        Args.key(key, "key");
        Args.limit(limit);
        long ms = Args.millis(window, "window");
        return run(() -> {
            long[] now = {0};
            Window w = windows.compute(key, (k, old) -> {
                now[0] = now();
                if (old == null || old.endsAt() <= now[0]) {
                    return new Window(1, now[0] + ms);
                }
                return new Window(old.count() == Integer.MAX_VALUE ? old.count() : old.count() + 1, old.endsAt());
            });
            return new RateLimitResult(w.count() <= limit, w.count(), limit, Duration.ofMillis(w.endsAt() - now[0]));
        });
    }

    @Override
    public CompletionStage<Boolean> resetRateLimit(String key) {
        Args.key(key, "key");
        return run(() -> {
            Window w = windows.remove(key);
            return w != null && w.endsAt() > now();
        });
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> ping() {
        return run(() -> null);
    }

    @Override
    public String description() {
        return "in-process";
    }

    /**
     * Drops every expired value, lease and rate-limit window now. Runs by itself every minute; public for tests
     * and for callers that want memory back at once. Thread-safe.
     */
    public void purgeExpired() {
        long now = now();
        values.entrySet().removeIf(e -> !e.getValue().live(now));
        windows.entrySet().removeIf(e -> e.getValue().endsAt() <= now);
        for (String group : leases.keySet()) {
            leases.computeIfPresent(group, (g, held) -> {
                held.values().removeIf(expiry -> expiry <= now);
                return held.isEmpty() ? null : held;
            });
        }
    }

    /**
     * Stops the sweeper and the listener thread; messages not yet handed to a listener are dropped. Waits up to
     * 5 s for a listener call in progress.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sweeper.shutdownNow();
        for (CopyOnWriteArrayList<Registration> list : channels.values()) {
            for (Registration r : list) {
                r.close();
            }
        }
        events.shutdown(5_000);
        try {
            // shutdownNow() only interrupts the sweeper: wait for its thread to end, so close() leaves no thread.
            if (!sweeper.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                org.slf4j.LoggerFactory.getLogger(InProcessSharedState.class)
                        .warn("the shared-state sweeper did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return true once {@link #close()} stopped the listener thread (tests) */
    boolean terminated() {
        return events.terminated() && sweeper.isTerminated();
    }

    private long now() {
        return clock.millis();
    }

    private <T> CompletionStage<T> run(Supplier<T> op) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("shared state is closed"));
        }
        try {
            return CompletableFuture.completedFuture(op.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new SharedStateException("in-process shared state failed", e));
        }
    }
}
