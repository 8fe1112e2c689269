package dev.kino.app.cli;

import dev.kino.app.runtime.Lifecycle;
import dev.kino.app.runtime.Services;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code ./kino control-api}: the JSON API alone (with its database and shared state). */
@Command(name = "control-api", mixinStandardHelpOptions = true,
        description = "Run the control API alone: accounts, catalogue, jobs and playback authorisation under /api/v1.")
public final class ControlApiCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--dev", description = "Development mode: mails (verification and reset links) are logged in full.")
    boolean dev;

    @Override
    public Integer call() throws InterruptedException {
        KinoConfig config = global.load().config();
        try (Lifecycle lifecycle = new Lifecycle()) {
            var state = Services.sharedState(config, lifecycle);
            var db = Services.database(config, lifecycle);
            // Packaging jobs are left to `./kino worker` processes (or `serve`).
            Services.controlApi(config, SecretStore.resolve(config), db, state, dev, 0, lifecycle);
            lifecycle.awaitShutdown();
        }
        return 0;
    }
}
