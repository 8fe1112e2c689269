package dev.kino.control.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a burst's time goes, for the benchmark's reaction cases (enabled with {@code -Dbench.profile=DIR}):
 * <ul>
 *   <li>a JFR recording of the test JVM (the control API and the HTTP client) with the {@code profile} settings,
 *   written to {@code DIR/<case>.jfr} (read it with {@code jfr print --events jdk.ExecutionSample} or
 *   {@code jfr summary});</li>
 *   <li>CPU time used during the burst by this JVM and by all PostgreSQL processes ({@code /proc/<pid>/stat},
 *   utime + stime, in clock ticks of 10 ms), so the split between Java and the database is known;</li>
 *   <li>what the database's backends were doing, sampled every millisecond from {@code pg_stat_activity}:
 *   running ({@code active} with no wait event), waiting on a lock ({@code Lock}), waiting for the client
 *   ({@code idle in transaction}: the JVM is between two statements), flushing WAL ({@code IO}/{@code LWLock}).</li>
 * </ul>
 * Not a test: prints what it saw.
 */
final class BurstProfile implements AutoCloseable {
    private static final Path DIR = System.getProperty("bench.profile") == null ? null
            : Path.of(System.getProperty("bench.profile"));
    /** {@code -Dbench.profile.light=true}: CPU split only (no recording, no sampling: they cost CPU themselves). */
    private static final boolean LIGHT = Boolean.getBoolean("bench.profile.light");

    private final String name;
    private final Recording recording;
    private final long jvmTicks;
    private final long pgTicks;
    private final long startNanos;
    private final ProcessHandle postmaster;
    private final Map<String, Integer> states = new TreeMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;
    private int samples;
    /** Taken last in the constructor, so that setting the profile up (on "main") is not counted. */
    private final Map<Long, Long> threadCpu0;
    /** JIT compilation and garbage collection so far, ms (their threads are not in the per-thread CPU). */
    private final long jit0;
    private final long gc0;

    private BurstProfile(String name, Jdbi jdbi) throws IOException, java.text.ParseException {
        this.name = name;
        this.recording = new Recording(Configuration.getConfiguration("profile"));
        recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(2));
        recording.enable("jdk.JavaMonitorEnter").withThreshold(java.time.Duration.ofMillis(1));
        recording.enable("jdk.ThreadPark").withThreshold(java.time.Duration.ofMillis(1));
        recording.enable("jdk.SocketRead").withThreshold(java.time.Duration.ofMillis(0));
        this.sampler = new Thread(() -> sample(jdbi), "burst-sampler");
        // this build's PostgreSQL only (other builds on the machine run their own): the parent of a backend
        int backend = jdbi.withHandle(h -> h.createQuery("select pg_backend_pid()").mapTo(Integer.class).one());
        this.postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent).orElseThrow();
        this.jvmTicks = ticks(ProcessHandle.current().pid());
        this.pgTicks = postgresTicks();
        if (!LIGHT) {
            sampler.start();
            recording.start();
        }
        this.threadCpu0 = threadCpu();
        this.jit0 = jitMillis();
        this.gc0 = gcMillis();
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts the Flight Recorder once, before anything is measured, when profiling is on (nothing otherwise). Its
     * start-up makes the JIT compiler's code not entrant at once (8,000 methods in a JIT log of the benchmark), so
     * done lazily it landed in the first profiled burst, which then ran on recompiling code (2026-12-06).
     */
    static void prepare() throws java.text.ParseException, IOException {
        if (DIR != null) {
            new Recording(Configuration.getConfiguration("profile")).close();
        }
    }

    /** @return a profile of what follows until {@link #close()}, or null when profiling is off */
    static BurstProfile start(String name, Jdbi jdbi) throws Exception {
        return DIR == null ? null : new BurstProfile(name, jdbi);
    }

    private void sample(Jdbi jdbi) {
        try (Handle h = jdbi.open()) {
            int self = h.createQuery("select pg_backend_pid()").mapTo(Integer.class).one();
            while (running.get()) {
                h.createQuery("""
                                select state, coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-')
                                  from pg_stat_activity where backend_type = 'client backend' and pid <> :self
                                   and datname = current_database()""")
                        .bind("self", self)
                        .map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2))
                        .forEach(s -> states.merge(s, 1, Integer::sum));
                samples++;
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws Exception {
        double wall = (System.nanoTime() - startNanos) / 1e6;
        long jvm0 = ticks(ProcessHandle.current().pid()) - jvmTicks;
        printThreadCpu();
        long pg0 = postgresTicks() - pgTicks;
        Path file = DIR.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".jfr");
        if (LIGHT) {
            System.out.printf("PROFILE %s: wall %.0f ms; CPU: JVM %d ms, PostgreSQL %d ms (clock ticks of 10 ms)%n",
                    name, wall, jvm0 * 10, pg0 * 10);
            recording.close();
            return;
        }
        recording.stop();
        running.set(false);
        sampler.join();
        Files.createDirectories(DIR);
        recording.dump(file);
        recording.close();
        long jvm = ticks(ProcessHandle.current().pid()) - jvmTicks;
        long pg = postgresTicks() - pgTicks;
        System.out.printf("PROFILE %s: wall %.0f ms; CPU: JVM %d ms, PostgreSQL %d ms (clock ticks of 10 ms); %s%n",
                name, wall, jvm * 10, pg * 10, file);
        System.out.printf("PROFILE %s: database backends per sample (%d samples, state wait_event_type:wait_event):%n",
                name, samples);
        states.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> System.out.printf("PROFILE     %6.2f  %s%n", e.getValue() / (double) samples, e.getKey()));
    }

    private static long jitMillis() {
        var c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }

    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** @return CPU time by live thread id, ns */
    private static Map<Long, Long> threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            out.put(id, mx.getThreadCpuTime(id));
        }
        return out;
    }

    /**
     * Prints the CPU time the burst cost each kind of Java thread (thread names without their numbers); threads that
     * ended meanwhile are not counted (the benchmark's voter threads of earlier bursts), nor the JIT compiler's and
     * the collector's (hidden from the thread bean): their time is printed apart.
     */
    private void printThreadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byKind = new TreeMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long now = mx.getThreadCpuTime(info.getThreadId());
            long used = now - threadCpu0.getOrDefault(info.getThreadId(), 0L);
            byKind.merge(info.getThreadName().replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-N-"), used, Long::sum);
        }
        System.out.printf("PROFILE     JIT compilation %d ms, GC %d ms (elapsed, all compiler/collector threads)%n",
                jitMillis() - jit0, gcMillis() - gc0);
        byKind.entrySet().stream().filter(e -> e.getValue() > 5_000_000).sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> System.out.printf("PROFILE     thread CPU %7.1f ms  %s%n", e.getValue() / 1e6, e.getKey()));
    }

    private long postgresTicks() {
        return ticks(postmaster.pid()) + postmaster.descendants().mapToLong(p -> ticks(p.pid())).sum();
    }

    /** @return utime + stime of a process, in clock ticks; 0 when it is gone */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            return 0;
        }
    }
}
