package dev.kino.packager;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A source the packager will not package, decided before anything was decoded or written: not a video container,
 * no video stream, no duration, or a picture size, frame rate, duration or codec level beyond the configured
 * limits or the codec's standard ({@link dev.kino.packager.source.SourceGate}). Trying again cannot help.
 *
 * <p>The message is one line, {@code <file name>: <reason>}: it names the file by its name only (never the
 * folder it sits in on the server), so it can be shown to the editor who uploaded it as it is.
 */
public final class SourceRefusedException extends PackagingException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    /**
     * @param file the refused source
     * @param reason why, as a phrase without the file name ("no video stream: …")
     */
    public SourceRefusedException(Path file, String reason) {
        super(name(file) + ": " + Objects.requireNonNull(reason, "reason"));
        this.file = file;
        this.reason = reason;
    }

    /** @return the refused source, as given */
    public Path file() {
        return file;
    }

    /** @return why it was refused, without the file name */
    public String reason() {
        return reason;
    }

    /** @return the file's name without its folder, as messages shown to editors name it */
    public static String name(Path file) {
        Path n = file.getFileName();
        return n == null ? file.toString() : n.toString();
    }
}
