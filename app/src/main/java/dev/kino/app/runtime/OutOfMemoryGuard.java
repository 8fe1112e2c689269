package dev.kino.app.runtime;

import dev.kino.packager.job.CancellationSignal;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.job.PackagingRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The packager as a supervised worker process runs it ({@code ./kino worker --supervised}): a run that ran out of
 * memory ends the process, after one line naming the title ({@link WorkerProcess#OUT_OF_MEMORY_LINE}), with status
 * {@link WorkerProcess#EXIT_OUT_OF_MEMORY}. The supervisor then fails that job for good with the memory ceiling in its
 * message and starts a fresh process; carrying on in a process where allocations have started to fail would only
 * spread the failure to the next job.
 *
 * <p>Under {@code RLIMIT_AS} exhaustion does not always say so: FFmpeg answers {@code ENOMEM} ("Cannot allocate
 * memory (-12)"), but x264 reports a generic error, and JavaCPP throws {@link OutOfMemoryError}. So a failed run also
 * counts as out of memory when the process's peak address space ({@code VmPeak} in {@code /proc/self/status}) came
 * within {@link #NEAR} of the ceiling: the allocation that failed was what crossed it.
 */
public final class OutOfMemoryGuard implements PackagingRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OutOfMemoryGuard.class);
    /** How close to the address-space ceiling the peak must have come, bytes (a few of the largest frame buffers). */
    static final long NEAR = 128L << 20;

    private final PackagingRunner packager;
    private final long addressSpaceLimit;
    private final PrintStream supervisor;

    /**
     * @param packager the packager
     * @param addressSpaceLimit the process's {@code RLIMIT_AS}, bytes, or 0 when unknown
     * @param supervisor where the supervisor reads this process's output (stderr)
     */
    public OutOfMemoryGuard(PackagingRunner packager, long addressSpaceLimit, PrintStream supervisor) {
        this.packager = packager;
        this.addressSpaceLimit = addressSpaceLimit;
        this.supervisor = supervisor;
    }

    /** @return a guard for this process, its ceiling read from {@value WorkerProcess#ADDRESS_SPACE_PROPERTY} */
    public static OutOfMemoryGuard forThisProcess(PackagingRunner packager) {
        return new OutOfMemoryGuard(packager, Long.getLong(WorkerProcess.ADDRESS_SPACE_PROPERTY, 0L), System.err);
    }

    @Override
    public PackagingResult run(PackagingRequest request, PackagingListener listener, CancellationSignal cancel) {
        try {
            return packager.run(request, listener, cancel);
        } catch (OutOfMemoryError e) {
            throw exit(request, e);
        } catch (RuntimeException e) {
            if (outOfMemory(e, peakAddressSpace(), addressSpaceLimit)) {
                throw exit(request, e);
            }
            throw e;
        }
    }

    /**
     * @param failure how a run failed
     * @param peak the process's peak address space, bytes (0 when unknown)
     * @param limit its address-space ceiling, bytes (0 when none)
     * @return true when the run failed for want of memory
     */
    static boolean outOfMemory(Throwable failure, long peak, long limit) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (t instanceof OutOfMemoryError
                    || m != null && (m.contains("Cannot allocate memory") || m.contains("(-12)"))) {
                return true;
            }
        }
        return limit > 0 && peak > 0 && peak >= limit - NEAR;
    }

    private RuntimeException exit(PackagingRequest request, Throwable e) {
        try {
            LOG.error("packaging {} ran out of memory (peak address space {} MiB of {}): {}; this worker process exits",
                    request.titleId(), peakAddressSpace() >> 20,
                    addressSpaceLimit == 0 ? "no ceiling" : (addressSpaceLimit >> 20) + " MiB", e.toString(), e);
        } finally {
            supervisor.println(WorkerProcess.OUT_OF_MEMORY_LINE + request.titleId());
            supervisor.flush();
            // no shutdown hooks: they would wait on the other runs in a process whose allocations fail
            Runtime.getRuntime().halt(WorkerProcess.EXIT_OUT_OF_MEMORY);
        }
        return new IllegalStateException("unreachable");
    }

    /** @return {@code VmPeak} of this process, bytes, or 0 where {@code /proc} is not available */
    static long peakAddressSpace() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmPeak:")) {
                    return Long.parseLong(line.substring(7).replace("kB", "").trim()) << 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
