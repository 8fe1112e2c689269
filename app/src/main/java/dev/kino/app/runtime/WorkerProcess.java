package dev.kino.app.runtime;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.db.Database;
import dev.kino.control.jobs.JobQueue;
import dev.kino.control.jobs.JobWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.kino.common.config.ValueType.formatSize;

/**
 * Runs the packaging jobs of {@code serve} and {@code demo} in a supervised child process
 * ({@code packager.isolation.mode: process}), so that one hostile file cannot take the API's memory with it.
 *
 * <p>The child is {@code ./kino worker --supervised} on the same {@code java} and class path, with its own heap
 * ({@code -Xmx} = {@code packager.isolation.heap}) under a native {@link MemoryCeiling}
 * ({@code packager.isolation.memoryLimit}). It loads the same configuration from the same {@link ConfigInputs},
 * passed through its environment (never its command line, where {@code ps} would show a secret), so it resolves the
 * same secrets from the same {@code data.dir}; with the embedded PostgreSQL it is pointed at this process's server
 * ({@link #databaseEnvironment}). It takes jobs from the database queue like any {@code ./kino worker}.
 *
 * <p>Its log events arrive on its stderr, one line each ({@code kino-worker-logback.xml}), and are logged here at
 * their level under their logger, prefixed {@code [worker PID]}, so there is one log. When it dies it is started
 * again after a backoff (1 s, doubling to 1 min; back to 1 s once a child has lived a minute), and the jobs it held
 * are settled at once rather than left to their two-minute lease:
 * <ul>
 *   <li>it ran out of memory (it said so before exiting, the JVM exited for {@code OutOfMemoryError}, or the
 *       cgroup's OOM killer ended it): the job it was packaging fails for good with "the packaging worker ran out of
 *       memory (limit …)" — the same source would exhaust the same ceiling again; other jobs it held are queued
 *       again (an attempt each);</li>
 *   <li>any other death (a crash, a signal): each job held is queued again while attempts remain, else failed
 *       with "the packaging worker process stopped unexpectedly".</li>
 * </ul>
 * A child that is stuck rather than dead is killed first: one that said it ran out of memory but is still running
 * {@link #OUT_OF_MEMORY_GRACE} later (a native library may wait for ever after a failed allocation), or one holding
 * a job whose lease ran out (its worker stopped reporting progress).
 * {@link #close()} sends SIGTERM (the worker cancels its runs, which publish nothing, and leaves the jobs to their
 * lease, as every worker does at shutdown), waits up to {@link #STOP_GRACE}, then kills it: no orphan is left. A
 * child whose parent dies without closing it sees its stdin close and stops by itself.
 */
public final class WorkerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
    /** Stack-trace lines of the child: kino.log only (see config/logback.xml). */
    private static final Logger TRACE = LoggerFactory.getLogger("kino.worker.trace");
    private static final Logger RAW = LoggerFactory.getLogger("kino.worker");

    /**
     * Exit status of a worker process that ran out of memory: the JVM's {@code -XX:+ExitOnOutOfMemoryError} and the
     * worker's own guard ({@code WorkerCommand}) both use it.
     */
    public static final int EXIT_OUT_OF_MEMORY = 3;
    /** What a supervised worker writes on stderr before it exits for memory, followed by the packaged title id. */
    public static final String OUT_OF_MEMORY_LINE = "@out-of-memory ";
    /** System property telling the child its address-space ceiling, bytes (the guard's evidence of exhaustion). */
    public static final String ADDRESS_SPACE_PROPERTY = "kino.worker.addressSpaceLimit";

    /** First wait before a dead worker is started again; doubles up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /** A worker that lived this long resets the backoff. */
    static final Duration STABLE = Duration.ofMinutes(1);
    /** Time a worker gets to cancel its runs after SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /** Messages of the JVM and of x264 (which writes to stderr itself) that mean the child ran out of memory. */
    private static final List<String> OUT_OF_MEMORY_TEXT = List.of("OutOfMemoryError",
            "insufficient memory for the Java Runtime Environment", "Cannot allocate memory",
            "Could not reserve enough space", "Could not allocate compressed class space", "unable to create native thread",
            "malloc of size");
    /**
     * Time a child that said it ran out of memory gets to exit by itself before it is killed: a native library whose
     * allocation failed does not always return an error (x264 can wait for ever on a thread that died).
     */
    static final Duration OUT_OF_MEMORY_GRACE = Duration.ofSeconds(10);
    /** How often the supervisor checks that the jobs its child holds still have a live lease. */
    static final Duration LEASE_CHECK = Duration.ofSeconds(30);

    private final KinoConfig config;
    private final ConfigInputs inputs;
    private final Map<String, String> databaseEnvironment;
    private final int jobs;
    private final JobQueue queue;
    private final Catalog catalog;
    private final MemoryCeiling ceiling;
    private final Thread supervisor;
    private final AtomicInteger starts = new AtomicInteger();
    private volatile Process current;
    private volatile boolean closing;

    private WorkerProcess(KinoConfig config, ConfigInputs inputs, Database db, JobQueue queue, Catalog catalog,
                          int jobs) {
        this.config = config;
        this.inputs = inputs;
        this.databaseEnvironment = databaseEnvironment(db);
        this.jobs = jobs;
        this.queue = queue;
        this.catalog = catalog;
        this.ceiling = MemoryCeiling.choose(config.packager().isolation().memoryLimitBytes(),
                "kino-worker-" + ProcessHandle.current().pid());
        this.supervisor = new Thread(this::supervise, "kino-worker-supervisor");
        this.supervisor.setDaemon(true);
    }

    /**
     * Starts the supervised worker process (returns at once: the child takes jobs once its JVM is up).
     *
     * @param config the effective configuration ({@code packager.isolation.*}, {@code data.dir})
     * @param inputs what that configuration was loaded from; the child loads the same
     * @param db the database of this process (the embedded server, or the external URL of the configuration)
     * @param queue the job queue, to settle the jobs of a worker that died
     * @param catalog the catalogue, for the source file names of those jobs
     * @param jobs packaging jobs the child runs at once, at least 1
     * @return the running supervisor
     */
    public static WorkerProcess start(KinoConfig config, ConfigInputs inputs, Database db, JobQueue queue,
                                      Catalog catalog, int jobs) {
        WorkerProcess w = new WorkerProcess(config, inputs, db, queue, catalog, Math.max(1, jobs));
        LOG.info("packaging runs in a worker process ({} job(s) at once, heap {}, memory ceiling {})", w.jobs,
                formatSize(config.packager().isolation().heapBytes()), w.ceiling.describe());
        w.supervisor.start();
        return w;
    }

    /**
     * The environment that points a child at this process's database: the embedded PostgreSQL's URL and credentials
     * (the child inherits them; it runs as the same operating-system user, who can read the secrets anyway); an
     * external database is already named by the configuration the child loads.
     *
     * @param db this process's database
     * @return {@code KINO_DATABASE_*} variables, empty for an external database
     */
    static Map<String, String> databaseEnvironment(Database db) {
        if (!db.embedded()) {
            return Map.of();
        }
        return Map.of("KINO_DATABASE_URL", db.server().jdbcUrl(), "KINO_DATABASE_USER", db.server().user(),
                "KINO_DATABASE_PASSWORD", db.server().password());
    }

    /** @return the pid of the running worker process, or -1 between two */
    public long pid() {
        Process p = current;
        return p == null ? -1 : p.pid();
    }

    /** @return how many worker processes were started so far (1 + restarts) */
    public int starts() {
        return starts.get();
    }

    /** @return how the native memory ceiling is applied: {@code ADDRESS_SPACE}, {@code CGROUP} or {@code NONE} */
    public String ceilingKind() {
        return ceiling.kind().name();
    }

    /** The command line of one child: no configuration value on it, only where the classes are and the heap. */
    List<String> command() {
        var iso = config.packager().isolation();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + iso.heapBytes());
        cmd.add("-XX:+UseSerialGC"); // a small heap: fewer GC threads and reservations than G1
        // address-space reservations the worker never uses would count against RLIMIT_AS (1 GiB and 240 MiB by default)
        cmd.add("-XX:CompressedClassSpaceSize=64m");
        cmd.add("-XX:ReservedCodeCacheSize=64m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-XX:ErrorFile=" + config.dataDir().resolve("logs").resolve("hs_err_worker_%p.log"));
        cmd.add("-Dlogback.configurationFile=kino-worker-logback.xml");
        String logDir = System.getProperty("kino.logDir");
        if (logDir != null) {
            cmd.add("-Dkino.logDir=" + logDir);
        }
        if (iso.memoryLimitBytes() > 0) {
            // JavaCPP checks the process's resident memory against maxPhysicalBytes whenever it allocates a native
            // object, and its own allocations against maxBytes; both default to multiples of -Xmx. Give them the
            // configured ceiling instead: no earlier stop than configured, and a soft bound on resident memory
            // where the kernel applies none (MemoryCeiling.Kind.NONE).
            cmd.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=" + iso.memoryLimitBytes());
            cmd.add("-Dorg.bytedeco.javacpp.maxBytes=" + iso.memoryLimitBytes());
        }
        if (ceiling.kind() == MemoryCeiling.Kind.ADDRESS_SPACE) {
            cmd.add("-D" + ADDRESS_SPACE_PROPERTY + "=" + ceiling.bytes());
        }
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.add("dev.kino.app.Main");
        cmd.add("worker");
        cmd.add("--supervised");
        cmd.add("--jobs");
        cmd.add(Integer.toString(jobs));
        return ceiling.wrap(cmd);
    }

    private static String absoluteClassPath() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                out.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    /** @return one child, ready to start: its command, its environment, its stderr merged into its stdout */
    ProcessBuilder processBuilder() {
        ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        Map<String, String> wanted = inputs.childEnvironment(System.getenv());
        env.clear();
        env.putAll(wanted);
        env.putAll(databaseEnvironment);
        // glibc gives each thread that allocates an arena reserving 64 MiB of address space: bound their number
        env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        return pb;
    }

    private Process launch() throws IOException {
        Files.createDirectories(config.dataDir().resolve("logs"));
        return processBuilder().start();
    }

    /** What a child's output said about its end. */
    private static final class Output {
        volatile boolean outOfMemory;
        /** When the first sign of exhaustion was read, System.nanoTime(). */
        volatile long outOfMemorySince;
        final Set<String> outOfMemoryTitles = ConcurrentHashMap.newKeySet();

        void outOfMemory() {
            if (!outOfMemory) {
                outOfMemorySince = System.nanoTime();
                outOfMemory = true;
            }
        }
    }

    private void supervise() {
        Duration backoff = FIRST_BACKOFF;
        while (!closing) {
            Process p;
            try {
                synchronized (this) {
                    if (closing) {
                        return;
                    }
                    p = launch();
                    current = p;
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot start the packaging worker process: {}; trying again in {} s", e.toString(),
                        backoff.toSeconds(), e);
                p = null;
            }
            if (p != null) {
                starts.incrementAndGet();
                Instant started = Instant.now();
                LOG.info("packaging worker process {} started", p.pid());
                Output output = new Output();
                Process proc = p;
                Thread pump = new Thread(() -> pump(proc, output), "kino-worker-log-" + p.pid());
                pump.setDaemon(true);
                pump.start();
                boolean hung = watch(p, output);
                int status = waitFor(p);
                join(pump);
                current = null;
                if (status == 130 || status == 143) {
                    // Ctrl-C reaches the whole process group: the child may stop a moment before our own shutdown
                    awaitClosing(Duration.ofSeconds(3));
                }
                if (closing) {
                    LOG.info("packaging worker process {} stopped (exit status {})", p.pid(), status);
                    return;
                }
                if (Duration.between(started, Instant.now()).compareTo(STABLE) >= 0) {
                    backoff = FIRST_BACKOFF;
                }
                boolean memory = status == EXIT_OUT_OF_MEMORY || output.outOfMemory || ceiling.killedForMemory();
                String how = memory ? "ran out of memory (ceiling " + ceiling.describe() + ")"
                        : hung ? "stopped renewing the lease of its job and was killed" : describeExit(status);
                LOG.warn("packaging worker process {} {}; starting another in {} s", p.pid(), how, backoff.toSeconds());
                settle(p.pid(), memory, hung ? "stopped responding: no progress within the job's lease of "
                        + JobWorkers.LEASE.toMinutes() + " min" : describeExit(status), output.outOfMemoryTitles);
            }
            awaitClosing(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private synchronized void awaitClosing(Duration atMost) {
        long until = System.nanoTime() + atMost.toNanos();
        while (!closing && System.nanoTime() < until) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, until - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String describeExit(int status) {
        if (status > 128 && status < 160) {
            int signal = status - 128;
            String name = switch (signal) {
                case 2 -> "SIGINT";
                case 6 -> "SIGABRT";
                case 9 -> "SIGKILL";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> "signal " + signal;
            };
            return "was stopped by " + name;
        }
        return "exited with status " + status;
    }

    /**
     * Waits while the child runs, and kills it when it is stuck: it said it ran out of memory but has not exited
     * within {@link #OUT_OF_MEMORY_GRACE}, or a job it holds has outlived its lease (its worker thread stopped
     * reporting progress, as a dead worker would).
     *
     * @return true when it was killed for holding a job past its lease
     */
    private boolean watch(Process p, Output output) {
        long nextLeaseCheck = System.nanoTime() + LEASE_CHECK.toNanos();
        while (p.isAlive() && !closing) {
            try {
                if (p.waitFor(500, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.interrupted(); // only close() stops the supervisor, through the child's exit
            }
            if (output.outOfMemory && System.nanoTime() - output.outOfMemorySince > OUT_OF_MEMORY_GRACE.toNanos()) {
                LOG.warn("packaging worker process {} ran out of memory and has not exited within {} s; killing it",
                        p.pid(), OUT_OF_MEMORY_GRACE.toSeconds());
                p.toHandle().destroyForcibly();
                return false;
            }
            if (System.nanoTime() - nextLeaseCheck > 0) {
                nextLeaseCheck = System.nanoTime() + LEASE_CHECK.toNanos();
                if (holdsAnExpiredLease(p.pid())) {
                    LOG.warn("packaging worker process {} holds a job past its lease (no progress for {} min);"
                            + " killing it", p.pid(), JobWorkers.LEASE.toMinutes());
                    p.toHandle().destroyForcibly();
                    return true;
                }
            }
        }
        return false;
    }

    private boolean holdsAnExpiredLease(long pid) {
        try {
            Instant now = Instant.now();
            return queue.heldBy(JobWorkers.workerIdPrefix(pid)).stream()
                    .map(h -> queue.get(h.job().id()).leaseExpiresAt())
                    .anyMatch(expires -> expires != null && expires.isBefore(now));
        } catch (RuntimeException e) {
            LOG.debug("cannot check the leases of packaging worker process {}: {}", pid, e.toString());
            return false;
        }
    }

    /**
     * Settles the jobs a dead worker process held, so editors see them move now rather than after the lease.
     *
     * @param memory it ran out of memory
     * @param how otherwise, how it ended ("was stopped by SIGKILL")
     */
    private void settle(long pid, boolean memory, String how, Set<String> outOfMemoryTitles) {
        List<JobQueue.Held> held;
        try {
            held = queue.heldBy(JobWorkers.workerIdPrefix(pid));
        } catch (RuntimeException e) {
            LOG.warn("cannot read the jobs of packaging worker process {} (they will be retried when their lease"
                    + " expires): {}", pid, e.toString());
            return;
        }
        for (JobQueue.Held h : held) {
            var media = catalog.media(h.job().mediaId()).orElse(null);
            String file = media == null || media.sourcePath() == null ? "the source"
                    : String.valueOf(Path.of(media.sourcePath()).getFileName());
            String title = media == null ? null : media.packagedTitleId();
            boolean culprit = memory && (title != null && outOfMemoryTitles.contains(title)
                    || outOfMemoryTitles.isEmpty() && held.size() == 1);
            String error;
            if (culprit) {
                error = file + ": the packaging worker ran out of memory (limit " + limitText()
                        + "); the source needs more than packager.isolation allows";
            } else if (memory) {
                error = "the packaging worker ran out of memory (limit " + limitText() + ") while packaging another"
                        + " source";
            } else {
                error = "the packaging worker process stopped unexpectedly (" + how + ")";
            }
            if (title != null) {
                removeTemporaryFolders(title); // before the job reads as failed: whoever sees it failed sees no leftovers
            }
            try {
                queue.fail(h.job(), h.worker(), error, culprit);
                LOG.warn("job {} of packaging worker process {}: {}", h.job().id(), pid, error);
            } catch (RuntimeException e) {
                LOG.warn("cannot settle job {} of packaging worker process {}: {}", h.job().id(), pid, e.toString());
            }
        }
    }

    /** @return the ceiling as editors read it: {@code 4g} (address space, or memory under a cgroup), or the heap */
    private String limitText() {
        var iso = config.packager().isolation();
        return switch (ceiling.kind()) {
            case ADDRESS_SPACE -> formatSize(ceiling.bytes()) + " of address space";
            case CGROUP -> formatSize(ceiling.bytes());
            case NONE -> formatSize(iso.heapBytes()) + " of Java heap";
        };
    }

    /**
     * Removes the packager's temporary folders of a title ({@code <media.root>/.tmp-<title>-<random>}): a worker
     * killed mid-run could not. A title has one live job at a time, so no other run uses them.
     */
    private void removeTemporaryFolders(String titleId) {
        Path root = config.media().root();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path tmp : entries.filter(p -> p.getFileName().toString().startsWith(".tmp-" + titleId + "-")).toList()) {
                try (Stream<Path> walk = Files.walk(tmp)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the temporary folders of {} under {}: {}", titleId, root, e.toString());
        }
    }

    /** Logs the child's output: its events at their level, its stack traces to the file, anything else as WARN. */
    private void pump(Process p, Output output) {
        String prefix = "[worker " + p.pid() + "] ";
        Level traceLevel = Level.INFO;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("@kino ")) {
                    String[] parts = line.split(" ", 4);
                    Level level = level(parts.length > 1 ? parts[1] : "");
                    traceLevel = level;
                    Logger logger = parts.length > 2 ? LoggerFactory.getLogger(parts[2]) : RAW;
                    logger.atLevel(level).log(prefix + (parts.length > 3 ? parts[3] : ""));
                } else if (line.startsWith("@trace ")) {
                    TRACE.atLevel(traceLevel).log(prefix + line.substring(7));
                } else if (line.startsWith(OUT_OF_MEMORY_LINE)) {
                    output.outOfMemoryTitles.add(line.substring(OUT_OF_MEMORY_LINE.length()).trim());
                    output.outOfMemory();
                } else if (!line.isBlank()) {
                    if (OUT_OF_MEMORY_TEXT.stream().anyMatch(line::contains)) {
                        output.outOfMemory();
                    }
                    RAW.warn("{}{}", prefix, line);
                }
            }
        } catch (IOException e) {
            LOG.debug("output of packaging worker process {} ended: {}", p.pid(), e.toString());
        }
    }

    private static Level level(String name) {
        try {
            return Level.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Level.WARN;
        }
    }

    private static int waitFor(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // the supervisor is a daemon thread stopped by close(): keep waiting for the exit it causes
                Thread.interrupted();
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the worker process: SIGTERM, up to {@link #STOP_GRACE} to cancel its runs, then SIGKILL; waits for it
     * and for the supervisor, so nothing is left running.
     */
    @Override
    public void close() {
        Process p;
        synchronized (this) {
            closing = true;
            notifyAll();
            p = current;
        }
        if (p != null) {
            // NOTE: ProcessHandle, not Process.destroy(), which also closes our end of the pipes: the worker's
            // last log lines (its runs cancelled, its pool closed) would be lost, and its stdin would close at once
            p.toHandle().destroy();
            try {
                if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("packaging worker process {} did not stop within {} s; killing it", p.pid(),
                            STOP_GRACE.toSeconds());
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.toHandle().destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.toHandle().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        join(supervisor);
        ceiling.close();
    }
}
