package dev.kino.control.support;

import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Configurations for tests: the shipped defaults with a temporary data directory and free ports. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static KinoConfig config(Path dataDir, String... flags) {
        try {
            ConfigLoader loader = ConfigLoader.withDefaults(Files.readString(Path.of("../config/kino.yaml")))
                    .flag("data.dir=" + dataDir)
                    .flag("control.host=127.0.0.1")
                    .flag("control.port=0")
                    .flag("control.blockingThreads=4");
            for (String f : flags) {
                loader.flag(f);
            }
            return KinoConfig.from(loader.load());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
