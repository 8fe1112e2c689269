package dev.kino.media.qoe;

import dev.kino.common.metrics.Family;
import dev.kino.common.metrics.Histogram;
import dev.kino.common.metrics.PrometheusText;
import dev.kino.protocol.cmcd.Cmcd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Folds the CMCD of media requests into Prometheus series, off the event loop. The media port only captures the raw
 * strings of a request that carries CMCD and {@link #offer}s them: a bounded queue, no parsing, no blocking; when the
 * queue is full the sample is dropped and counted ({@code kino_cmcd_dropped_total}), so a flood of CMCD can cost the
 * origin nothing but that counter. One daemon thread parses ({@link Cmcd#parse}) and folds.
 *
 * <p>Labels are bounded on purpose: {@code band} (the encoded bitrate {@code br} in one of {@link #BANDS}),
 * {@code device} ({@link DeviceClass}) and {@code ot} (the object type token, {@code unknown} when absent). Session
 * and content ids are parsed but never labels: one series per viewer or title would grow without bound (per-title QoE
 * is the analytics store's, from playback events).
 *
 * <pre>
 * kino_cmcd_requests_total{ot,band,device}                    media requests carrying CMCD
 * kino_cmcd_encoded_bitrate_kbps{ot,device}                  br: bitrate of the requested object's rendition
 * kino_cmcd_buffer_length_seconds{band,device}                bl: buffer when the request was made
 * kino_cmcd_measured_throughput_kbps{band,device}             mtp: throughput the player measured
 * kino_cmcd_startup_requests_total{band,device}               su: requests made at start-up, seek or after a stall
 * kino_cmcd_buffer_starvation_total{band,device}              bs: the buffer ran dry since the previous request
 * kino_cmcd_streams_total{sf,st}                              streaming format and stream type of the requests
 * kino_media_time_to_first_byte_seconds{ot}                   origin: request read to response head written
 * kino_cmcd_malformed_total                                   requests whose CMCD had pairs refused
 * kino_cmcd_dropped_total                                     samples dropped because the queue was full
 * kino_cmcd_queue_depth                                       samples waiting to be folded
 * </pre>
 */
public final class CmcdAggregator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CmcdAggregator.class);
    /** Samples that may wait at once; beyond it new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 16_384;
    /** Upper bounds of the bitrate bands, kbps (Kino's default ladder is 400, 800, 1500, 3000, 5000 kbps). */
    static final int[] BAND_BOUNDS = {600, 1200, 2500, 5000, 8000};
    /** Every value of the {@code band} label. */
    public static final String[] BANDS =
        {"0-600", "600-1200", "1200-2500", "2500-5000", "5000-8000", "8000+", "unknown"};
    static final double[] KBPS = {100, 250, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 12000, 20000,
        50000, 100000};
    static final double[] BUFFER_SECONDS = {0.5, 1, 2, 4, 6, 8, 10, 15, 20, 30, 45, 60, 120};
    static final double[] TTFB_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    /** What the event loop keeps of a request carrying CMCD: references to strings it already has. */
    private record Sample(String query, String object, String request, String session, String status,
                          String userAgent, long ttfbNanos) {
    }

    private final ArrayBlockingQueue<Sample> queue;
    private final Thread thread;
    private volatile boolean closed;

    private final LongAdder dropped = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder folded = new LongAdder();
    private final Family<LongAdder> requests = new Family<>(LongAdder::new, "ot", "band", "device");
    private final Family<Histogram> bitrate = new Family<>(() -> new Histogram(KBPS), "ot", "device");
    private final Family<Histogram> buffer = new Family<>(() -> new Histogram(BUFFER_SECONDS), "band", "device");
    private final Family<Histogram> throughput = new Family<>(() -> new Histogram(KBPS), "band", "device");
    private final Family<LongAdder> startups = new Family<>(LongAdder::new, "band", "device");
    private final Family<LongAdder> starvations = new Family<>(LongAdder::new, "band", "device");
    private final Family<LongAdder> streams = new Family<>(LongAdder::new, "sf", "st");
    private final Family<Histogram> ttfb = new Family<>(() -> new Histogram(TTFB_SECONDS), "ot");

    /** @param capacity samples that may wait at once */
    public CmcdAggregator(int capacity) {
        this(capacity, true);
    }

    /** @param fold false: no aggregation thread (tests fill the queue, then {@link #drain()} it) */
    CmcdAggregator(int capacity, boolean fold) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "kino-cmcd");
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY - 1);
        if (fold) {
            thread.start();
        }
    }

    /** Folds what is queued now on the calling thread (tests of an aggregator made without its thread). */
    void drain() {
        for (Sample s; (s = queue.poll()) != null; ) {
            fold(s);
        }
    }

    /**
     * Enqueues one request's CMCD (event loop: never blocks, never parses). Null for what the request did not send.
     *
     * @param query the raw {@code CMCD} query parameter value ({@link Cmcd#rawQueryValue})
     * @param object {@code CMCD-Object}
     * @param request {@code CMCD-Request}
     * @param session {@code CMCD-Session}
     * @param status {@code CMCD-Status}
     * @param userAgent {@code User-Agent}, for the device class
     * @param ttfbNanos time from the request read to the response head written, nanoseconds
     * @return false when the queue was full and the sample was dropped (counted)
     */
    public boolean offer(String query, String object, String request, String session, String status, String userAgent,
                         long ttfbNanos) {
        if (closed || !queue.offer(new Sample(query, object, request, session, status, userAgent, ttfbNanos))) {
            dropped.increment();
            return false;
        }
        return true;
    }

    /** @return samples folded so far (tests wait for this) */
    public long folded() {
        return folded.sum();
    }

    /** @return samples dropped because the queue was full */
    public long dropped() {
        return dropped.sum();
    }

    private void run() {
        while (!closed) {
            try {
                Sample s = queue.poll(1, TimeUnit.SECONDS);
                if (s != null) {
                    fold(s);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("CMCD sample not folded: {}", e.toString()); // one bad sample, not the thread
            }
        }
    }

    private void fold(Sample s) {
        String decoded = s.query == null ? null : Cmcd.decodeQueryValue(s.query);
        Cmcd c = Cmcd.parse(decoded, s.object, s.request, s.session, s.status);
        if (c.malformed() > 0 || (s.query != null && decoded == null)) {
            malformed.increment();
        }
        String ot = c.objectType() == null ? "unknown" : c.objectType().token();
        String band = band(c.encodedBitrateKbps());
        String device = DeviceClass.of(s.userAgent);
        requests.get(ot, band, device).increment();
        if (c.encodedBitrateKbps() >= 0) {
            bitrate.get(ot, device).observe(c.encodedBitrateKbps());
        }
        if (c.bufferLengthMs() >= 0) {
            buffer.get(band, device).observe(c.bufferLengthMs() / 1000.0);
        }
        if (c.measuredThroughputKbps() >= 0) {
            throughput.get(band, device).observe(c.measuredThroughputKbps());
        }
        if (c.startup()) {
            startups.get(band, device).increment();
        }
        if (c.bufferStarvation()) {
            starvations.get(band, device).increment();
        }
        if (c.streamingFormat() != null || c.streamType() != null) {
            streams.get(c.streamingFormat() == null ? "unknown" : c.streamingFormat().token(),
                    c.streamType() == null ? "unknown" : c.streamType().token()).increment();
        }
        ttfb.get(ot).observe(s.ttfbNanos / 1e9);
        folded.increment();
    }

    /** @return the {@code band} label of an encoded bitrate in kbps (-1: absent) */
    static String band(int kbps) {
        if (kbps < 0) {
            return "unknown";
        }
        for (int i = 0; i < BAND_BOUNDS.length; i++) {
            if (kbps < BAND_BOUNDS[i]) {
                return BANDS[i];
            }
        }
        return BANDS[BAND_BOUNDS.length];
    }

    /** @param out receives every family (written at each scrape, on the scraping thread) */
    public void write(PrometheusText out) {
        out.counters("kino_cmcd_requests_total",
                "Media requests carrying CMCD, by object type, bitrate band (br) and device class.", requests);
        out.histograms("kino_cmcd_encoded_bitrate_kbps",
                "CMCD br: encoded bitrate of the requested object, kbps, by object type and device class.", bitrate);
        out.histograms("kino_cmcd_buffer_length_seconds",
                "CMCD bl: the player's buffer when it made the request, seconds.", buffer);
        out.histograms("kino_cmcd_measured_throughput_kbps",
                "CMCD mtp: throughput the player measured, kbps.", throughput);
        out.counters("kino_cmcd_startup_requests_total",
                "CMCD su: requests needed urgently (start-up, seek, recovery from a stall).", startups);
        out.counters("kino_cmcd_buffer_starvation_total",
                "CMCD bs: requests after the buffer ran dry (a stall) since the previous one.", starvations);
        out.counters("kino_cmcd_streams_total", "CMCD sf and st: streaming format and stream type.", streams);
        out.histograms("kino_media_time_to_first_byte_seconds",
                "Origin time to first byte of requests carrying CMCD (request read to head written), by object type.",
                ttfb);
        out.counter("kino_cmcd_malformed_total", "Requests whose CMCD had pairs refused (served anyway).",
                malformed.sum());
        out.counter("kino_cmcd_dropped_total", "CMCD samples dropped because the aggregation queue was full.",
                dropped.sum());
        out.gauge("kino_cmcd_queue_depth", "CMCD samples waiting to be folded.", queue.size());
    }

    /** Stops the thread; samples still queued are discarded. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
