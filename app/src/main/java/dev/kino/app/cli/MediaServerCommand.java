package dev.kino.app.cli;

import dev.kino.app.runtime.Lifecycle;
import dev.kino.app.runtime.Services;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code ./kino media-server}: the origin alone. It needs no database: titles come from {@code media.root},
 * keys from each title's wrapped-key file, take-downs from shared state (Redis when configured).
 */
@Command(name = "media-server", mixinStandardHelpOptions = true,
        description = "Run the media server (origin) alone: published titles, signed URLs, keys and licences; no database.")
public final class MediaServerCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() throws InterruptedException {
        KinoConfig config = global.load().config();
        try (Lifecycle lifecycle = new Lifecycle()) {
            var secrets = SecretStore.resolve(config);
            var state = Services.sharedState(config, lifecycle);
            Services.mediaServer(config, secrets, state, lifecycle);
            lifecycle.awaitShutdown();
        }
        return 0;
    }
}
