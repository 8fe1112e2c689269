package dev.kino.control.analytics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write-behind queue between {@code POST /api/v1/playback/events} and the {@link EventSink}: the route only
 * {@link #offer}s validated events (bounded; all of a batch or none, so the client knows what to send again) and
 * answers; one background thread ({@code kino-analytics-writer}) writes them in batches of up to {@link #BATCH} and
 * marks their sessions for the rollup job.
 *
 * <p>What was acknowledged is not dropped quietly:
 * <ul>
 *   <li>while the database is unreachable (a transient error: SQLState classes 08, 53, 57, 40, or a pool timeout)
 *       the writer keeps the batch and retries with a growing pause (at most {@link #MAX_BACKOFF_MS} ms); the queue
 *       fills meanwhile and the route answers 503 with {@code Retry-After} rather than acknowledge what it could not
 *       keep;</li>
 *   <li>a batch the database refuses for its data is written again event by event, so only the events it refuses
 *       are lost, each logged and counted in {@link #dropped()};</li>
 *   <li>the queue lives in memory: a crash of the process loses what it held (at most {@link Analytics#QUEUE_CAPACITY}
 *       events, a few seconds' worth); {@link #close()} writes it out first on an orderly shutdown.</li>
 * </ul>
 */
final class EventWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);
    /** Events per write. */
    static final int BATCH = 1000;
    /** Longest pause between two attempts while the database is away. */
    static final long MAX_BACKOFF_MS = 5000;

    /**
     * A queued event and what the request told about its client.
     *
     * @param clientNet truncated network of the client, or null
     * @param receivedAt when the server received it (server clock)
     * @param deviceClass coarse device class from the User-Agent
     */
    record Item(PlaybackEvent event, String clientNet, Instant receivedAt, String deviceClass) {
    }

    private final ArrayBlockingQueue<Item> queue;
    private final EventSink sink;
    private final SessionStore sessions;
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    EventWriter(EventSink sink, SessionStore sessions, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sink = sink;
        this.sessions = sessions;
        this.thread = new Thread(this::run, "kino-analytics-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return true when every item was queued; false (and none queued) when the queue has no room for all */
    synchronized boolean offer(List<Item> items) {
        if (queue.remainingCapacity() < items.size()) {
            return false;
        }
        items.forEach(queue::add);
        return true;
    }

    /** @return events written so far */
    long written() {
        return written.get();
    }

    /** @return events the database refused for their data (logged each) */
    long dropped() {
        return dropped.get();
    }

    /** @return events the queue has room for now */
    int remaining() {
        return queue.remainingCapacity();
    }

    /** @return events waiting to be written */
    int queued() {
        return queue.size();
    }

    /** Writes everything queued now, on the caller's thread, after any write in progress (tests, shutdown). */
    void flush() {
        writing.lock();
        try {
            while (!queue.isEmpty()) {
                List<Item> batch = new ArrayList<>(BATCH);
                queue.drainTo(batch, BATCH);
                write(batch, false);
            }
        } finally {
            writing.unlock();
        }
    }

    private void run() {
        while (running) {
            try {
                Item first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writing.lock();
                try {
                    List<Item> batch = new ArrayList<>(BATCH);
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    write(batch, true);
                } finally {
                    writing.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("analytics writer: {}", e.toString());
            }
        }
    }

    /**
     * @param retryForever keep retrying transient failures (the writer thread); false: give up after one (flush at
     *                     shutdown, where the loss is then logged with its size)
     */
    private void write(List<Item> batch, boolean retryForever) {
        if (batch.isEmpty()) {
            return;
        }
        long pause = 100;
        while (true) {
            try {
                store(batch);
                return;
            } catch (RuntimeException e) {
                if (!transient_(e)) {
                    if (batch.size() == 1) {
                        dropped.incrementAndGet();
                        LOG.warn("analytics writer: playback event {} of session {} refused by the database: {}",
                                batch.get(0).event().id(), batch.get(0).event().sessionId(), e.toString());
                        return;
                    }
                    // find the bad ones: one by one, so the good ones of the batch are kept
                    for (Item i : batch) {
                        write(List.of(i), retryForever);
                    }
                    return;
                }
                if (!retryForever || !running) {
                    dropped.addAndGet(batch.size());
                    LOG.error("analytics writer: {} playback events lost, the database is unreachable: {}",
                            batch.size(), e.toString());
                    return;
                }
                LOG.warn("analytics writer: database unreachable, retrying {} events in {} ms: {}", batch.size(),
                        pause, e.toString());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
                pause = Math.min(MAX_BACKOFF_MS, pause * 2);
            }
        }
    }

    private void store(List<Item> batch) {
        List<PlaybackEvent> events = new ArrayList<>(batch.size());
        // in session order: two nodes' writers updating the same sessions then lock them in the same order
        Map<UUID, SessionStore.Touch> touches = new java.util.TreeMap<>();
        for (Item i : batch) {
            PlaybackEvent e = i.event();
            events.add(e);
            touches.merge(e.sessionId(), new SessionStore.Touch(e.at(), i.receivedAt(), i.clientNet(), i.deviceClass()),
                    SessionStore.Touch::merge);
        }
        // events first: a crash between the two leaves them stored and the session not yet marked, which the next
        // write of the session (or a replay, which the sink ignores but still marks) repairs
        sink.write(events);
        sessions.touched(touches);
        written.addAndGet(events.size());
        storedListener.accept(events.size());
    }

    /** @return whether the failure says the database is away rather than that the data is wrong */
    static boolean transient_(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String c = s.getSQLState();
                return c.startsWith("08") || c.startsWith("53") || c.startsWith("57") || c.startsWith("40");
            }
        }
        return false;
    }

    /** Told the number of events of each batch once it is stored (the ingest counter of {@code /metrics}). */
    volatile java.util.function.IntConsumer storedListener = n -> { };

    /** Stops the thread after writing what is queued. */
    @Override
    public void close() {
        running = false;
        // no interrupt: it would break a JDBC write in progress; the poll returns within 200 ms
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
