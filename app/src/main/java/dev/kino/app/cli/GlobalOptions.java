package dev.kino.app.cli;

import dev.kino.app.runtime.Bootstrap;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every subcommand takes: where the configuration comes from. */
public final class GlobalOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (YAML, any subset of config/kino.yaml); overrides KINO_CONFIG.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set one configuration key, e.g. --set media.port=9000 (repeatable; wins over file and environment).")
    List<String> sets = new ArrayList<>();

    /** @return the validated configuration; logging is pointed at its data directory */
    public Bootstrap.Loaded load() {
        return Bootstrap.load(configFile, sets, System.getenv());
    }
}
