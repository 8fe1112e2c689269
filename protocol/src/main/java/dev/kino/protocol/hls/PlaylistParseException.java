package dev.kino.protocol.hls;

/**
 * Thrown by {@link PlaylistParser} when a playlist is malformed: it carries the 1-based number of the line
 * where the problem was found and the reason. The message is {@code "line <n>: <reason>"}.
 */
public final class PlaylistParseException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The 1-based line number where the problem was found. */
    private final int lineNumber;
    /** What is wrong, without the line number. */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param lineNumber the 1-based line number; for a problem of the whole playlist (e.g. a missing tag), the
     *        last line
     * @param reason what is wrong, in English
     */
    public PlaylistParseException(int lineNumber, String reason) {
        super("line " + lineNumber + ": " + reason);
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /**
     * Returns where the problem was found.
     *
     * @return the 1-based line number
     */
    public int lineNumber() {
        return lineNumber;
    }

    /**
     * Returns what is wrong, without the line number.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
