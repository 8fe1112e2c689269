package dev.kino.control.analytics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write-behind queue between {@code POST /api/v1/playback/events} and the {@link EventSink}: the route only
 * {@link #offer}s validated events (bounded; all of a batch or none) and answers; one background thread
 * ({@code kino-analytics-writer}) writes them in batches of up to {@link #BATCH} and marks their sessions for the
 * rollup job. A write that fails is retried {@value #ATTEMPTS} times, then the batch is dropped and logged: events
 * are statistics, and the queue must not grow without bound while the database is away.
 */
final class EventWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);
    /** Events per write. */
    static final int BATCH = 1000;
    private static final int ATTEMPTS = 3;

    /** A queued event and the truncated network of the client that sent it. */
    record Item(PlaybackEvent event, String clientNet) {
    }

    private final ArrayBlockingQueue<Item> queue;
    private final EventSink sink;
    private final SessionStore sessions;
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicLong written = new AtomicLong();
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

    /** Writes everything queued now, on the caller's thread, after any write in progress (tests, shutdown). */
    void flush() {
        writing.lock();
        try {
            while (!queue.isEmpty()) {
                writeSome();
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
                    write(batch);
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

    private void writeSome() {
        List<Item> batch = new ArrayList<>(BATCH);
        queue.drainTo(batch, BATCH);
        write(batch);
    }

    private void write(List<Item> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<PlaybackEvent> events = new ArrayList<>(batch.size());
        Map<UUID, Instant> latest = new HashMap<>();
        Map<UUID, String> nets = new HashMap<>();
        for (Item i : batch) {
            PlaybackEvent e = i.event();
            events.add(e);
            latest.merge(e.sessionId(), e.at(), (a, b) -> a.isAfter(b) ? a : b);
            if (i.clientNet() != null) {
                nets.putIfAbsent(e.sessionId(), i.clientNet());
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                sink.write(events);
                sessions.touched(latest, nets);
                written.addAndGet(events.size());
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    LOG.warn("analytics writer: dropped {} playback events after {} attempts: {}", events.size(),
                            attempt, e.toString());
                    return;
                }
                try {
                    Thread.sleep(Duration.ofMillis(200L * attempt).toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops the thread after writing what is queued. */
    @Override
    public void close() {
        running = false;
        // no interrupt: it would break a JDBC write in progress; the poll returns within 200 ms
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("analytics writer: events lost at shutdown: {}", e.toString());
        }
    }
}
