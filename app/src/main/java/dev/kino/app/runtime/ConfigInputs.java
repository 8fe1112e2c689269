package dev.kino.app.runtime;

import dev.kino.common.config.ConfigKey;
import dev.kino.common.config.ConfigKeys;
import dev.kino.common.config.ConfigLoader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of {@code ./kino} was configured with, before resolution: the {@code --config} file, the
 * {@code KINO_*} environment variables and the {@code --set} flags. A child {@code ./kino} process given
 * {@link #childEnvironment the same inputs} resolves the same effective configuration, secrets included, without
 * a single value on its command line (where {@code ps} would show it): the environment of a process is readable
 * only by its user.
 *
 * @param file {@code --config FILE}, or null
 * @param environment the {@code KINO_*} variables the configuration was loaded with
 * @param flags {@code --set key=value} flags, in order, each naming a known key (the loader checked them)
 */
public record ConfigInputs(Path file, Map<String, String> environment, List<String> flags) {
    public ConfigInputs {
        Map<String, String> kino = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (k.startsWith("KINO_")) {
                kino.put(k, v);
            }
        });
        environment = Map.copyOf(kino);
        flags = List.copyOf(flags);
    }

    /** @return inputs that set nothing: the shipped defaults */
    public static ConfigInputs defaults() {
        return new ConfigInputs(null, Map.of(), List.of());
    }

    /**
     * The environment of a child process that must load this configuration: {@code base} without any {@code KINO_*}
     * variable of its own, then this run's {@code KINO_*} variables, {@code KINO_CONFIG} for the file, and each flag
     * as its key's variable ({@code --set media.port=9000} → {@code KINO_MEDIA_PORT=9000}). Flags are applied last,
     * so they win over the environment as they do on the command line; the environment wins over the file as before.
     *
     * @param base the environment to start from (usually this process's)
     * @return the child's whole environment
     */
    public Map<String, String> childEnvironment(Map<String, String> base) {
        Map<String, String> env = new LinkedHashMap<>();
        base.forEach((k, v) -> {
            if (!k.startsWith("KINO_")) {
                env.put(k, v);
            }
        });
        env.putAll(environment);
        if (file != null) {
            env.put("KINO_CONFIG", file.toAbsolutePath().toString());
        }
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            ConfigKey<?> key = ConfigKeys.byName(flag.substring(0, eq).trim());
            if (key == null || ConfigLoader.RESERVED_ENVIRONMENT.contains(key.environmentVariable())) {
                throw new IllegalArgumentException("--set " + flag.substring(0, eq) + " names no configuration key");
            }
            env.put(key.environmentVariable(), flag.substring(eq + 1));
        }
        return env;
    }
}
