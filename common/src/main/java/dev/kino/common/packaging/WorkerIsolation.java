package dev.kino.common.packaging;

/**
 * Where {@code serve} and {@code demo} run packaging jobs ({@code packager.isolation.mode}). FFmpeg and x264
 * allocate outside the Java heap, so only a process of its own gives a hostile source a memory ceiling that the
 * API's process does not share.
 */
public enum WorkerIsolation {
    /**
     * A supervised {@code ./kino worker} child process with its own heap ({@code packager.isolation.heap}) and a
     * native memory ceiling ({@code packager.isolation.memoryLimit}), restarted when it dies.
     */
    PROCESS("process"),
    /** Worker threads inside the API's JVM: no memory bound of their own (the behaviour before isolation). */
    IN_PROCESS("in-process");

    private final String wire;

    WorkerIsolation(String wire) {
        this.wire = wire;
    }

    /** @return the configuration name, {@code process} or {@code in-process} */
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
