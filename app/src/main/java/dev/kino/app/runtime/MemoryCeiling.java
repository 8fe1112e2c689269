package dev.kino.app.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.kino.common.config.ValueType.formatSize;

/**
 * The native memory ceiling of a packaging worker process ({@code packager.isolation.memoryLimit}). The JVM's
 * {@code -Xmx} bounds only the Java heap; FFmpeg and x264 allocate with {@code malloc} and {@code mmap} beside it,
 * so the bound must come from the kernel. In order of preference:
 * <ol>
 *   <li>{@link Kind#ADDRESS_SPACE}: util-linux's {@code prlimit --as=BYTES -- java …} sets {@code RLIMIT_AS}
 *       (setrlimit(2)) and then execs the JVM, so the limit holds from its first instruction. An allocation beyond
 *       it fails ({@code ENOMEM}); the worker notices and exits, or the JVM itself stops. The limit counts address
 *       space, not resident memory: the JVM's reservations count, so it must sit well above the heap.</li>
 *   <li>{@link Kind#CGROUP}: a cgroup v2 child of this process's own cgroup with {@code memory.max} (and
 *       {@code memory.swap.max} 0), entered by a {@code /bin/sh} that writes its pid to {@code cgroup.procs} and
 *       execs the JVM. Beyond the limit the kernel's OOM killer ends the worker ({@code memory.events}
 *       {@code oom_kill}). Only possible where this process may create cgroups with the memory controller
 *       (a delegated systemd unit, a container with a writable cgroup).</li>
 *   <li>{@link Kind#NONE}: neither is available (or the limit is 0): the worker still has its own heap and process,
 *       so it cannot take the API down with it, but only the machine bounds its native memory.</li>
 * </ol>
 */
final class MemoryCeiling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryCeiling.class);
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    /** How the ceiling is applied. */
    enum Kind {
        /** {@code RLIMIT_AS} through {@code prlimit}. */
        ADDRESS_SPACE,
        /** cgroup v2 {@code memory.max}. */
        CGROUP,
        /** No ceiling. */
        NONE
    }

    private final Kind kind;
    private final long bytes;
    private final Path prlimit;
    private final Path cgroup;
    private long oomKillsBefore;

    private MemoryCeiling(Kind kind, long bytes, Path prlimit, Path cgroup) {
        this.kind = kind;
        this.bytes = bytes;
        this.prlimit = prlimit;
        this.cgroup = cgroup;
    }

    /**
     * Chooses how to bound a worker process to {@code bytes}.
     *
     * @param bytes the ceiling; 0 for none
     * @param name a name for the cgroup, unique on this machine
     * @return the ceiling, {@link Kind#NONE} when no mechanism is available (logged as a warning)
     */
    static MemoryCeiling choose(long bytes, String name) {
        if (bytes == 0) {
            LOG.warn("packaging worker process: packager.isolation.memoryLimit is 0, so its native memory has no"
                    + " ceiling (its Java heap still has one)");
            return new MemoryCeiling(Kind.NONE, 0, null, null);
        }
        Optional<Path> prlimit = onPath("prlimit");
        if (prlimit.isPresent()) {
            return new MemoryCeiling(Kind.ADDRESS_SPACE, bytes, prlimit.get(), null);
        }
        Optional<Path> cgroup = createCgroup(bytes, name);
        if (cgroup.isPresent()) {
            return new MemoryCeiling(Kind.CGROUP, bytes, null, cgroup.get());
        }
        LOG.warn("packaging worker process: no memory ceiling of {} can be applied (no prlimit from util-linux on the"
                + " PATH, and no writable cgroup v2 with the memory controller): only its Java heap is bounded;"
                + " install util-linux to bound FFmpeg's native memory too", formatSize(bytes));
        return new MemoryCeiling(Kind.NONE, bytes, null, null);
    }

    Kind kind() {
        return kind;
    }

    /** @return the ceiling in bytes, 0 for none */
    long bytes() {
        return kind == Kind.NONE ? 0 : bytes;
    }

    /** @return the ceiling as the log and job messages name it, e.g. {@code 4g of address space (RLIMIT_AS)} */
    String describe() {
        return switch (kind) {
            case ADDRESS_SPACE -> formatSize(bytes) + " of address space (RLIMIT_AS, set with " + prlimit + ")";
            case CGROUP -> formatSize(bytes) + " of memory (cgroup v2 memory.max, " + cgroup + ")";
            case NONE -> "none";
        };
    }

    /**
     * @param command the worker's command line, {@code java …}
     * @return the command that runs it under this ceiling
     */
    List<String> wrap(List<String> command) {
        List<String> out = new ArrayList<>();
        switch (kind) {
            case ADDRESS_SPACE -> {
                out.add(prlimit.toString());
                out.add("--as=" + bytes);
                out.add("--");
            }
            case CGROUP -> {
                oomKillsBefore = oomKills();
                // the shell joins the cgroup, then becomes the JVM: it never runs outside the ceiling
                out.add("/bin/sh");
                out.add("-c");
                out.add("echo $$ > \"$0\" && exec \"$@\"");
                out.add(cgroup.resolve("cgroup.procs").toString());
            }
            case NONE -> {
            }
        }
        out.addAll(command);
        return out;
    }

    /** @return true when the kernel killed a process of the ceiling's cgroup for memory since the last {@link #wrap} */
    boolean killedForMemory() {
        return kind == Kind.CGROUP && oomKills() > oomKillsBefore;
    }

    private long oomKills() {
        try {
            for (String line : Files.readAllLines(cgroup.resolve("memory.events"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring(9).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("cannot read {}: {}", cgroup.resolve("memory.events"), e.toString());
        }
        return 0;
    }

    /** Removes the cgroup, if one was made (it must be empty: call after the worker has exited). */
    @Override
    public void close() {
        if (cgroup != null) {
            try {
                Files.deleteIfExists(cgroup);
            } catch (IOException e) {
                LOG.warn("cannot remove the packaging worker's cgroup {}: {}", cgroup, e.toString());
            }
        }
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin:/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Creates {@code <own cgroup>/<name>} with {@code memory.max} set, when cgroup v2 is mounted at
     * {@code /sys/fs/cgroup} and this process's cgroup hands the memory controller to its children.
     */
    private static Optional<Path> createCgroup(long bytes, String name) {
        Path dir = null;
        try {
            if (!Files.isRegularFile(CGROUP_ROOT.resolve("cgroup.controllers"))) {
                return Optional.empty(); // not cgroup v2 (unified) at the usual place
            }
            String own = Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.US_ASCII).stream()
                    .filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst().orElse(null);
            if (own == null) {
                return Optional.empty();
            }
            Path parent = CGROUP_ROOT.resolve(own.startsWith("/") ? own.substring(1) : own);
            if (!Files.readString(parent.resolve("cgroup.subtree_control")).contains("memory")) {
                return Optional.empty(); // enabling it would need this cgroup to hold no process itself
            }
            dir = Files.createDirectories(parent.resolve(name));
            Files.writeString(dir.resolve("memory.max"), Long.toString(bytes));
            try {
                Files.writeString(dir.resolve("memory.swap.max"), "0");
            } catch (IOException e) {
                LOG.debug("cannot set memory.swap.max of {}: {}", dir, e.toString());
            }
            return Optional.of(dir);
        } catch (IOException | RuntimeException e) {
            LOG.debug("no cgroup v2 memory ceiling: {}", e.toString());
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // nothing more to undo
                }
            }
            return Optional.empty();
        }
    }
}
