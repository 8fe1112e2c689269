package dev.kino.app.runtime;

import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.config.ResolvedConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads the configuration for one run of {@code ./kino} and points logging at it. Logging must not be
 * touched before {@link #load}: logback reads {@code kino.logDir} and {@code kino.logLevel} on first use.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    /**
     * @param configFile {@code --config FILE}, or null
     * @param flags {@code --set key=value} flags, in order
     * @param environment the process environment
     * @return the validated configuration and its sources
     * @throws dev.kino.common.config.ConfigException when a value is unknown, of the wrong type or out of range
     */
    public static Loaded load(Path configFile, List<String> flags, Map<String, String> environment) {
        ConfigLoader loader = ConfigLoader.withShippedDefaults().file(configFile).environment(environment);
        flags.forEach(loader::flag);
        ResolvedConfig resolved = loader.load();
        KinoConfig config = KinoConfig.from(resolved);
        if (System.getProperty("kino.logDir") == null) {
            System.setProperty("kino.logDir", config.dataDir().resolve("logs").toString());
        }
        System.setProperty("kino.logLevel", config.logLevel());
        return new Loaded(resolved, config, new ConfigInputs(configFile, environment, flags));
    }

    /**
     * @param resolved every value with its source (for {@code config show})
     * @param config the typed configuration
     * @param inputs what it was loaded from, for a child process that must load the same
     */
    public record Loaded(ResolvedConfig resolved, KinoConfig config, ConfigInputs inputs) {
    }
}
