package dev.kino.common.state;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that records what it gets; waits are bounded by a generous timeout. */
final class Recorder implements MessageListener {
    static final long WAIT_SECONDS = 15;

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final AtomicInteger subscribed = new AtomicInteger();
    final BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(String channel, String message) {
        threads.add(Thread.currentThread());
        messages.add(channel + ":" + message);
    }

    @Override
    public void onSubscribed(String channel) {
        subscribed.incrementAndGet();
    }

    /** @return the next message as {@code channel:message}, failing after the timeout */
    String next() throws InterruptedException {
        String m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(m, "no message within " + WAIT_SECONDS + " s");
        return m;
    }

    List<String> drained() {
        List<String> all = new java.util.ArrayList<>();
        messages.drainTo(all);
        return all;
    }
}
