package dev.kino.common.state;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedState} in Redis (5 or newer) through Lettuce, for several nodes sharing one Redis.
 *
 * <p>Connections: one multiplexed command connection and one pub/sub connection per instance, both reconnecting
 * by themselves; the pub/sub connection resubscribes its channels after a reconnection and then calls
 * {@link MessageListener#onSubscribed} again. While disconnected, commands wait in Lettuce's queue until the
 * connection is back or the command timeout passes (5 s unless the URL sets {@code ?timeout=}), then fail with
 * {@link SharedStateException}.
 *
 * <p>Data layout, all under a key prefix ({@code kino:} by default) so that several deployments or other
 * applications can share a Redis:
 * <ul>
 *   <li>{@code <prefix>v:<key>}: string values ({@code SET … PX});</li>
 *   <li>{@code <prefix>s:<key>}: sets ({@code SADD}/{@code SREM}/{@code SMEMBERS});</li>
 *   <li>{@code <prefix>l:<group>}: leases, a sorted set of holders scored by expiry in epoch milliseconds of the
 *       Redis server's clock; the key itself expires with its last lease;</li>
 *   <li>{@code <prefix>r:<key>}: rate-limit counters ({@code INCR}, {@code PEXPIRE} on the first hit);</li>
 *   <li>{@code <prefix>c:<channel>}: pub/sub channels.</li>
 * </ul>
 * Each lease and rate-limit operation is one Lua script over one key ({@code EVALSHA}, falling back to
 * {@code EVAL} after a server restart), so it is atomic across nodes and works on a Redis Cluster. Lease scripts
 * read the time with {@code redis.call('TIME')}: every node sees the same clock whatever its own clock says.
 *
 * <p>Thread-safety: thread-safe and non-blocking except {@link #connect} and {@link #close()}. Returned stages
 * complete on Lettuce's I/O threads. Listeners run on one daemon thread of this instance.
 *
 * <p>Secrets: the URL's credentials appear in no log line and no exception message of this class
 * ({@link SharedStates#maskUrl}).
 */
public final class RedisSharedState implements SharedState {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSharedState.class);

    /** Key prefix used by {@link #connect(String)}. */
    public static final String DEFAULT_PREFIX = "kino:";
    /** Command timeout used when the URL does not set {@code timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Client name shown by {@code CLIENT LIST} when the URL does not set {@code clientName}. */
    public static final String DEFAULT_CLIENT_NAME = "kino-state";

    private static final Script LEASE_ACQUIRE = new Script("""
            local key = KEYS[1]
            local holder = ARGV[1]
            local limit = tonumber(ARGV[2])
            local ttl = tonumber(ARGV[3])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
            local count = redis.call('ZCARD', key)
            local outcome
            if redis.call('ZSCORE', key, holder) then
              outcome = 1
            elseif count < limit then
              outcome = 0
              count = count + 1
            else
              local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
              return {2, count, tonumber(first[2]) - now}
            end
            redis.call('ZADD', key, now + ttl, holder)
            local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
            redis.call('PEXPIRE', key, tonumber(last[2]) - now)
            return {outcome, count, 0}
            """);

    private static final Script LEASE_HOLDERS = new Script("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
            """);

    private static final Script RATE_HIT = new Script("""
            local count = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {count, ttl}
            """);

    private final String maskedUrl;
    private final List<String> secrets;
    private final String prefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final EventThread events = new EventThread("kino-state-events");
    private final Object subscriptionLock = new Object();
    /** Channels (without prefix) this node subscribes to; changed under {@link #subscriptionLock}. */
    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RedisSharedState(String url, RedisURI uri, RedisClient client, String prefix) {
        this.maskedUrl = SharedStates.maskUrl(url);
        this.secrets = secretsOf(url, uri);
        this.prefix = prefix;
        this.client = client;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                LOG.debug("Redis connection up: {}", maskedUrl);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (!closed) {
                    LOG.warn("Redis connection lost, reconnecting: {}", maskedUrl);
                }
            }
        });
        StatefulRedisConnection<String, String> conn = null;
        StatefulRedisPubSubConnection<String, String> sub = null;
        try {
            conn = client.connect(StringCodec.UTF8, uri);
            sub = client.connectPubSub(StringCodec.UTF8, uri);
        } catch (RuntimeException e) {
            closed = true;
            closeQuietly(sub, conn);
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            events.shutdown(0);
            throw new SharedStateException("cannot connect to Redis at " + maskedUrl + ": " + redact(e.getMessage()),
                    safeCause(e));
        }
        this.connection = conn;
        this.commands = conn.async();
        this.pubsub = sub;
        pubsub.addListener(new PubSubListener());
    }

    /**
     * Connects with the defaults: own Lettuce resources, key prefix {@value #DEFAULT_PREFIX}.
     *
     * @param url {@code redis://[[user]:password@]host[:port][/db][?timeout=…]} or {@code rediss://…}
     * @return a connected state; blocks until both connections are up (start-up only)
     * @throws SharedStateException when Redis cannot be reached or refuses the credentials
     * @throws IllegalArgumentException when the URL is invalid
     */
    public static RedisSharedState connect(String url) {
        return connect(url, null, DEFAULT_PREFIX);
    }

    /**
     * Connects to Redis. Blocks until both connections are up: call at start-up, not on an event loop.
     *
     * @param url {@code redis://[[user]:password@]host[:port][/db][?timeout=…&clientName=…]} or
     *            {@code rediss://…} (Lettuce's URI syntax); the command timeout is {@link #DEFAULT_TIMEOUT}
     *            unless given
     * @param resources Lettuce resources (event loops) to share with other clients, not shut down by
     *                  {@link #close()}; null to create and own them
     * @param keyPrefix prefix of every key and channel, e.g. {@code kino:}; may be empty
     * @return a connected state
     * @throws SharedStateException when Redis cannot be reached or refuses the credentials
     * @throws IllegalArgumentException when the URL is invalid
     */
    public static RedisSharedState connect(String url, ClientResources resources, String keyPrefix) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid Redis URL " + SharedStates.maskUrl(url));
        }
        if (!url.contains("timeout=")) {
            uri.setTimeout(DEFAULT_TIMEOUT);
        }
        if (uri.getClientName() == null) {
            uri.setClientName(DEFAULT_CLIENT_NAME);
        }
        RedisClient client = resources == null ? RedisClient.create() : RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled())
                .build());
        RedisSharedState state = new RedisSharedState(url, uri, client, keyPrefix);
        LOG.debug("Connected to Redis at {} (key prefix '{}')", state.maskedUrl, keyPrefix);
        return state;
    }

    // ---- values ---------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> put(String key, String value) {
        String k = valueKey(key);
        Args.value(value, "value");
        return call("SET", () -> commands.set(k, value), r -> null);
    }

    @Override
    public CompletionStage<Void> put(String key, String value, Duration ttl) {
        String k = valueKey(key);
        Args.value(value, "value");
        long ms = Args.millis(ttl, "ttl");
        return call("SET", () -> commands.set(k, value, SetArgs.Builder.px(ms)), r -> null);
    }

    @Override
    public CompletionStage<Boolean> putIfAbsent(String key, String value, Duration ttl) {
        String k = valueKey(key);
        Args.value(value, "value");
        long ms = Args.millis(ttl, "ttl");
        return call("SET NX", () -> commands.set(k, value, SetArgs.Builder.nx().px(ms)), "OK"::equals);
    }

    @Override
    public CompletionStage<Optional<String>> get(String key) {
        String k = valueKey(key);
        return call("GET", () -> commands.get(k), Optional::ofNullable);
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        String k = valueKey(key);
        return call("DEL", () -> commands.del(k), n -> n > 0);
    }

    // ---- sets -----------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Boolean> addToSet(String key, String member) {
        String k = setKey(key);
        Args.value(member, "member");
        return call("SADD", () -> commands.sadd(k, member), n -> n > 0);
    }

    @Override
    public CompletionStage<Boolean> removeFromSet(String key, String member) {
        String k = setKey(key);
        Args.value(member, "member");
        return call("SREM", () -> commands.srem(k, member), n -> n > 0);
    }

    @Override
    public CompletionStage<Boolean> isMember(String key, String member) {
        String k = setKey(key);
        Args.value(member, "member");
        return call("SISMEMBER", () -> commands.sismember(k, member), Boolean.TRUE::equals);
    }

    @Override
    public CompletionStage<Set<String>> members(String key) {
        String k = setKey(key);
        return call("SMEMBERS", () -> commands.smembers(k), Set::copyOf);
    }

    // ---- pub/sub --------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> publish(String channel, String message) {
        String c = prefix + "c:" + Args.key(channel, "channel");
        Args.value(message, "message");
        return call("PUBLISH", () -> commands.publish(c, message), n -> null);
    }

    @Override
    public CompletionStage<Subscription> subscribe(String channel, MessageListener listener) {
        Args.key(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            return closedFuture();
        }
        Registration registration = new Registration(channel, listener);
        CompletableFuture<Void> ready;
        boolean alreadyActive;
        synchronized (subscriptionLock) {
            ChannelState state = channels.get(channel);
            if (state == null) {
                state = new ChannelState();
                state.listeners.add(registration);
                channels.put(channel, state);
                // Issued under the lock: SUBSCRIBE/UNSUBSCRIBE of a channel reach Redis in the order decided here.
                state.ready = this.<Void, Void>call("SUBSCRIBE", () -> pubsub.async().subscribe(prefix + "c:" + channel), v -> null)
                        .toCompletableFuture();
                alreadyActive = false;
            } else {
                state.listeners.add(registration);
                alreadyActive = state.confirmed;
            }
            ready = state.ready;
        }
        if (alreadyActive) {
            events.run("channel " + channel, registration::subscribed);
        }
        return ready.handle((v, error) -> {
            if (error != null) {
                registration.close();
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            }
            return registration;
        });
    }

    /** One channel this node subscribes to and its local listeners. */
    private static final class ChannelState {
        final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ready;
        /** Redis confirmed a SUBSCRIBE of this channel at least once; guarded by the subscription lock. */
        boolean confirmed;
    }

    private final class Registration extends ListenerRegistration {
        Registration(String channel, MessageListener listener) {
            super(channel, listener);
        }

        @Override
        public void close() {
            deactivate();
            synchronized (subscriptionLock) {
                ChannelState state = channels.get(channel());
                if (state != null && state.listeners.remove(this) && state.listeners.isEmpty()) {
                    channels.remove(channel());
                    if (!closed) {
                        RedisSharedState.this.<Void, Void>call("UNSUBSCRIBE", () -> pubsub.async().unsubscribe(prefix + "c:" + channel()), v -> null)
                                .whenComplete((v, e) -> {
                                    if (e != null && !closed) {
                                        LOG.debug("UNSUBSCRIBE {} failed: {}", channel(), e.getMessage());
                                    }
                                });
                    }
                }
            }
        }
    }

    /** Runs on Lettuce's I/O thread: hands everything to the event thread at once. */
    private final class PubSubListener extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String channel, String message) {
            String name = unprefixed(channel);
            ChannelState state = name == null ? null : channels.get(name);
            if (state == null) {
                return;
            }
            for (Registration r : state.listeners) {
                events.run("channel " + name, () -> r.deliver(message));
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            String name = unprefixed(channel);
            if (name == null) {
                return;
            }
            List<Registration> snapshot;
            synchronized (subscriptionLock) {
                ChannelState state = channels.get(name);
                if (state == null) {
                    return;
                }
                state.confirmed = true;
                snapshot = List.copyOf(state.listeners);
            }
            for (Registration r : snapshot) {
                events.run("channel " + name, r::subscribed);
            }
        }

        private String unprefixed(String channel) {
            String p = prefix + "c:";
            return channel.startsWith(p) ? channel.substring(p.length()) : null;
        }
    }

    // ---- leases ---------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<LeaseResult> acquireLease(String group, String holder, int limit, Duration ttl) {
        String k = leaseKey(group);
        Args.key(holder, "holder");
        Args.limit(limit);
        long ms = Args.millis(ttl, "ttl");
        return this.<List<Object>, LeaseResult>script("lease acquire", LEASE_ACQUIRE, ScriptOutputType.MULTI, k,
                reply -> {
                    long outcome = (Long) reply.get(0);
                    int holders = (int) (long) (Long) reply.get(1);
                    long wait = (Long) reply.get(2);
                    return switch ((int) outcome) {
                        case 0 -> new LeaseResult(LeaseResult.Outcome.GRANTED, holders, limit, Duration.ZERO);
                        case 1 -> new LeaseResult(LeaseResult.Outcome.RENEWED, holders, limit, Duration.ZERO);
                        default -> new LeaseResult(LeaseResult.Outcome.REFUSED, holders, limit,
                                Duration.ofMillis(Math.max(1, wait)));
                    };
                }, holder, Integer.toString(limit), Long.toString(ms));
    }

    @Override
    public CompletionStage<Boolean> releaseLease(String group, String holder) {
        String k = leaseKey(group);
        Args.key(holder, "holder");
        return call("ZREM", () -> commands.zrem(k, holder), n -> n > 0);
    }

    @Override
    public CompletionStage<Set<String>> leaseHolders(String group) {
        String k = leaseKey(group);
        return this.<List<Object>, Set<String>>script("lease holders", LEASE_HOLDERS, ScriptOutputType.MULTI, k,
                reply -> {
                    List<String> holders = new ArrayList<>(reply.size());
                    for (Object o : reply) {
                        holders.add((String) o);
                    }
                    return Set.copyOf(holders);
                });
    }

    // ---- rate limits ----------------------------------------------------------------------------------------

    @Override
    public CompletionStage<RateLimitResult> hit(String key, int limit, Duration window) {
        String k = rateKey(key);
        Args.limit(limit);
        long ms = Args.millis(window, "window");
        return this.<List<Object>, RateLimitResult>script("rate limit", RATE_HIT, ScriptOutputType.MULTI, k,
                reply -> {
                    long count = (Long) reply.get(0);
                    long ttl = (Long) reply.get(1);
                    int c = (int) Math.min(Integer.MAX_VALUE, count);
                    return new RateLimitResult(count <= limit, c, limit, Duration.ofMillis(Math.max(1, ttl)));
                }, Long.toString(ms));
    }

    @Override
    public CompletionStage<Boolean> resetRateLimit(String key) {
        String k = rateKey(key);
        return call("DEL", () -> commands.del(k), n -> n > 0);
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> ping() {
        return call("PING", commands::ping, r -> null);
    }

    @Override
    public String description() {
        return "redis " + maskedUrl;
    }

    /**
     * Closes both connections and the client (and its resources when owned), drops pending listener deliveries.
     * Blocks up to a few seconds. Idempotent.
     */
    @Override
    public void close() {
        synchronized (subscriptionLock) {
            if (closed) {
                return;
            }
            closed = true;
            for (ChannelState state : channels.values()) {
                for (Registration r : state.listeners) {
                    r.deactivate();
                }
            }
            channels.clear();
        }
        closeQuietly(pubsub, connection);
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debug("Redis client shutdown: {}", redact(e.getMessage()));
        }
        events.shutdown(5_000);
        LOG.debug("Closed Redis shared state {}", maskedUrl);
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    private String valueKey(String key) {
        return prefix + "v:" + Args.key(key, "key");
    }

    private String setKey(String key) {
        return prefix + "s:" + Args.key(key, "key");
    }

    private String leaseKey(String group) {
        return prefix + "l:" + Args.key(group, "group");
    }

    private String rateKey(String key) {
        return prefix + "r:" + Args.key(key, "key");
    }

    /** Sends one command and maps its reply; failures become {@link SharedStateException}. */
    private <R, T> CompletableFuture<T> call(String op, Supplier<RedisFuture<R>> command, Function<R, T> map) {
        if (closed) {
            return closedFuture();
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        RedisFuture<R> future;
        try {
            future = command.get();
        } catch (RuntimeException e) {
            out.completeExceptionally(failure(op, e));
            return out;
        }
        future.whenComplete((reply, error) -> complete(out, op, reply, error, map));
        return out;
    }

    /** Runs a script by digest, loading it with EVAL when the server does not know it (first use, restart). */
    private <R, T> CompletableFuture<T> script(String op, Script script, ScriptOutputType type, String key,
                                               Function<R, T> map, String... args) {
        if (closed) {
            return closedFuture();
        }
        String[] keys = {key};
        CompletableFuture<T> out = new CompletableFuture<>();
        try {
            commands.<R>evalsha(script.sha, type, keys, args).whenComplete((reply, error) -> {
                if (error != null && isNoScript(error) && !closed) {
                    try {
                        commands.<R>eval(script.source, type, keys, args)
                                .whenComplete((r2, e2) -> complete(out, op, r2, e2, map));
                    } catch (RuntimeException e) {
                        out.completeExceptionally(failure(op, e));
                    }
                } else {
                    complete(out, op, reply, error, map);
                }
            });
        } catch (RuntimeException e) {
            out.completeExceptionally(failure(op, e));
        }
        return out;
    }

    private <R, T> void complete(CompletableFuture<T> out, String op, R reply, Throwable error, Function<R, T> map) {
        if (error != null) {
            out.completeExceptionally(failure(op, error));
            return;
        }
        try {
            out.complete(map.apply(reply));
        } catch (RuntimeException e) {
            out.completeExceptionally(new SharedStateException("unexpected Redis reply to " + op, e));
        }
    }

    private static boolean isNoScript(Throwable error) {
        Throwable t = unwrap(error);
        return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
    }

    private RuntimeException failure(String op, Throwable error) {
        Throwable t = unwrap(error);
        if (closed) {
            return new IllegalStateException("shared state is closed");
        }
        return new SharedStateException("Redis " + op + " failed (" + maskedUrl + "): "
                + redact(t.getClass().getSimpleName() + ": " + t.getMessage()), safeCause(t));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new IllegalStateException("shared state is closed"));
    }

    /** @return the strings that must never appear in a message: the password and the raw user info */
    private static List<String> secretsOf(String url, RedisURI uri) {
        List<String> s = new ArrayList<>();
        char[] password = uri.getPassword();
        if (password != null && password.length > 0) {
            s.add(new String(password));
        }
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme >= 0 && at > scheme + 3) {
            s.add(url.substring(scheme + 3, at));
        }
        s.sort((a, b) -> b.length() - a.length());
        return List.copyOf(s);
    }

    private String redact(String text) {
        if (text == null) {
            return "";
        }
        String r = text;
        for (String secret : secrets) {
            r = r.replace(secret, "***");
        }
        return r;
    }

    /**
     * @return {@code t} itself when no message in its cause chain holds a secret, else a stand-in with redacted
     *         messages and the original stack trace
     */
    private Throwable safeCause(Throwable t) {
        boolean leaks = false;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (!redact(c.getMessage()).equals(c.getMessage() == null ? "" : c.getMessage())) {
                leaks = true;
                break;
            }
        }
        if (!leaks) {
            return t;
        }
        SharedStateException standIn = new SharedStateException(
                t.getClass().getName() + ": " + redact(t.getMessage()) + " (cause chain redacted)");
        standIn.setStackTrace(t.getStackTrace());
        return standIn;
    }

    private static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("Closing a Redis connection failed", e);
            }
        }
    }

    /** A Lua script and its SHA-1 digest. */
    private static final class Script {
        final String source;
        final String sha;

        Script(String source) {
            this.source = source;
            try {
                this.sha = HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
