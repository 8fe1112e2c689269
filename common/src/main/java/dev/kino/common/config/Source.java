package dev.kino.common.config;

/**
 * Where a configuration value came from, named the way an operator would look for it: the shipped
 * defaults, a file, an environment variable or a command-line flag.
 *
 * @param description e.g. {@code config file /etc/kino.yaml}, {@code environment variable KINO_MEDIA_PORT}
 */
public record Source(String description) {
    /** The defaults shipped in {@code config/kino.yaml}. */
    public static final Source DEFAULTS = new Source("shipped defaults (config/kino.yaml)");

    @Override
    public String toString() {
        return description;
    }
}
