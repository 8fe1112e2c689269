package dev.kino.control.notifications;

import dev.kino.common.state.MessageListener;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.Subscription;
import dev.kino.control.http.Json;
import dev.kino.control.http.Response;
import dev.kino.control.notifications.NotificationStore.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers notifications to the Server-Sent Events streams connected to this node.
 *
 * <p>The durable table is the truth; pub/sub only says "account A has something new" so that the node holding A's
 * stream looks now rather than at its next catch-up. A stream remembers the last id it sent; when woken it reads
 * everything after that id from the table and sends it in order, so a missed or duplicated message costs nothing:
 * <ul>
 *   <li>{@link #published} announces a stored notification on {@value #CHANNEL} (Redis pub/sub across nodes when
 *   {@code redis.url} is set, in process otherwise);</li>
 *   <li>every {@code catchUp} interval the node compares each connected account's newest id with what its streams
 *   sent and wakes those behind: delivery goes on with pub/sub down (Redis stopped) and after a resubscription;</li>
 *   <li>one reader thread serves every woken stream of the node with one query per batch of streams; writes go
 *   to each connection's event loop; a slow client is disconnected rather than buffered for (it resumes with
 *   {@code Last-Event-ID});</li>
 *   <li>a comment line every {@code heartbeat} keeps proxies and the idle timeout from closing quiet streams; a
 *   stream ends after {@link #MAX_AGE} so that a client proves again that it may listen.</li>
 * </ul>
 */
public final class NotificationHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationHub.class);
    /** The pub/sub channel; messages are {@code <account id> <notification id>}. */
    static final String CHANNEL = "kino:notifications";
    /** Longest life of one stream: the client reconnects with a new ticket (its access is checked again). */
    static final Duration MAX_AGE = Duration.ofMinutes(30);
    /** Events read per stream per round. */
    static final int PER_STREAM = 100;
    /** Streams served by one query. */
    static final int PER_QUERY = 500;
    /** The client's reconnection delay ({@code retry:}), ms. */
    static final int RETRY_MS = 3000;

    private final NotificationStore store;
    private final SharedState state;
    private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Stream> woken = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer;
    private final Thread reader;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Subscription subscription;

    /**
     * @param heartbeat how often a quiet stream gets a comment line
     * @param catchUp how often connected accounts are compared with the table (the fallback when pub/sub misses)
     */
    public NotificationHub(NotificationStore store, SharedState state, Duration heartbeat, Duration catchUp) {
        this.store = store;
        this.state = state;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kino-notifications-timer");
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::readLoop, "kino-notifications-reader");
        reader.setDaemon(true);
        reader.start();
        timer.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::catchUp, catchUp.toMillis(), catchUp.toMillis(), TimeUnit.MILLISECONDS);
        try {
            subscription = state.subscribe(CHANNEL, new MessageListener() {
                @Override
                public void onMessage(String channel, String message) {
                    received(message);
                }

                @Override
                public void onSubscribed(String channel) {
                    timer.execute(NotificationHub.this::catchUp); // what was published while unsubscribed
                }
            }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // pub/sub is the fast path only: the catch-up timer delivers without it
            LOG.warn("notifications: cannot subscribe to {} ({}); delivering by catch-up every {} ms", CHANNEL,
                    e.toString(), catchUp.toMillis());
        }
    }

    /** Announces a stored notification to every node (fire and forget: the catch-up covers a lost message). */
    void published(UUID account, long id) {
        if (streams.containsKey(account)) {
            wake(account, id); // this node need not wait for the broker
        }
        try {
            state.publish(CHANNEL, account + " " + id).exceptionally(e -> {
                LOG.debug("notifications: publish failed ({}); streams catch up", e.toString());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("notifications: publish failed ({}); streams catch up", e.toString());
        }
    }

    private void received(String message) {
        int space = message.indexOf(' ');
        if (space < 0) {
            return;
        }
        try {
            wake(UUID.fromString(message.substring(0, space)), Long.parseLong(message.substring(space + 1)));
        } catch (IllegalArgumentException e) {
            LOG.debug("notifications: ignoring message {}", message);
        }
    }

    private void wake(UUID account, long id) {
        Set<Stream> set = streams.get(account);
        if (set != null) {
            for (Stream s : set) {
                s.wake(id);
            }
        }
    }

    /** @return streams connected to this node */
    public int connected() {
        return streams.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * Serves one stream: replays what came after {@code lastEventId}, then sends each new notification as it is
     * stored, until the client goes, {@link #MAX_AGE} passes or the hub closes.
     *
     * @param lastEventId the last id the client has (its {@code Last-Event-ID}); 0 for everything retained
     */
    public Response.EventStream open(UUID account, long lastEventId) {
        return sink -> {
            Stream s = new Stream(account, lastEventId, sink);
            streams.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet()).add(s);
            sink.onClose(() -> streams.computeIfPresent(account, (a, set) -> {
                set.remove(s);
                return set.isEmpty() ? null : set;
            }));
            if (closed.get()) {
                sink.close();
                return;
            }
            sink.send("retry: " + RETRY_MS + "\n\n");
            s.wake(Long.MAX_VALUE);
        };
    }

    private void heartbeat() {
        Instant now = Instant.now();
        for (Set<Stream> set : streams.values()) {
            for (Stream s : set) {
                if (now.isAfter(s.opened.plus(MAX_AGE))) {
                    s.sink.close();
                } else {
                    s.sink.send(": keep-alive\n\n");
                }
            }
        }
    }

    private void catchUp() {
        try {
            List<UUID> accounts = new ArrayList<>(streams.keySet());
            for (int i = 0; i < accounts.size(); i += 5000) {
                Map<UUID, Long> last = store.lastIds(accounts.subList(i, Math.min(accounts.size(), i + 5000)));
                last.forEach(this::wake);
            }
        } catch (RuntimeException e) {
            LOG.warn("notifications: catch-up failed: {}", e.toString());
        }
    }

    private void readLoop() {
        List<Stream> batch = new ArrayList<>();
        while (!closed.get()) {
            try {
                batch.clear();
                batch.add(woken.take());
                woken.drainTo(batch, PER_QUERY - 1);
                serve(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("notifications: reading for {} streams failed: {}", batch.size(), e.toString());
                for (Stream s : batch) {
                    s.failed();
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void serve(List<Stream> batch) {
        Map<Stream, List<Row>> rows = new java.util.HashMap<>();
        Map<UUID, Long> from = new java.util.HashMap<>();
        for (Stream s : batch) {
            from.merge(s.account, s.sent, Math::min);
        }
        Map<UUID, List<Row>> byAccount = store.afterMany(from, PER_STREAM);
        for (Stream s : batch) {
            List<Row> mine = new ArrayList<>();
            for (Row r : byAccount.getOrDefault(s.account, List.of())) {
                if (r.id() > s.sent) {
                    mine.add(r);
                }
            }
            rows.put(s, mine);
        }
        rows.forEach(Stream::deliver);
    }

    /** Ends every stream (clients reconnect elsewhere and replay) and stops the threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (RuntimeException e) {
                LOG.debug("notifications: unsubscribing failed: {}", e.toString());
            }
        }
        timer.shutdownNow();
        reader.interrupt();
        for (Set<Stream> set : streams.values()) {
            for (Stream s : set) {
                s.sink.close();
            }
        }
    }

    /** One connected client. {@code sent} is written on its event loop only. */
    private final class Stream {
        final UUID account;
        final Response.EventSink sink;
        final Instant opened = Instant.now();
        final AtomicBoolean queued = new AtomicBoolean();
        volatile long sent;
        volatile long wanted;

        Stream(UUID account, long lastEventId, Response.EventSink sink) {
            this.account = account;
            this.sent = lastEventId;
            this.sink = sink;
        }

        void wake(long upTo) {
            if (upTo > wanted) {
                wanted = upTo;
            }
            if (upTo <= sent || !sink.isOpen()) {
                return;
            }
            if (queued.compareAndSet(false, true)) {
                woken.add(this);
            }
        }

        void failed() {
            queued.set(false);
        }

        void deliver(List<Row> rows) {
            sink.executor().execute(() -> {
                for (Row r : rows) {
                    if (r.id() <= sent) {
                        continue;
                    }
                    if (r.inApp() && !sink.send(event(r))) {
                        queued.set(false);
                        return;
                    }
                    sent = r.id();
                }
                queued.set(false);
                if (rows.size() >= PER_STREAM || (wanted > sent && wanted != Long.MAX_VALUE)) {
                    wake(Long.MAX_VALUE); // more to read
                } else if (wanted == Long.MAX_VALUE) {
                    wanted = sent;
                }
            });
        }
    }

    /** @return one event: {@code id:}, {@code event: notification}, the JSON view as {@code data:} */
    static String event(Row r) {
        return "id: " + r.id() + "\nevent: notification\ndata: " + NotificationStore.json(NotificationView.of(r)) + "\n\n";
    }
}
