package dev.kino.app.cli;

import dev.kino.app.runtime.Bootstrap;
import dev.kino.app.runtime.Lifecycle;
import dev.kino.app.runtime.Services;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code ./kino serve}: the media server and the control API in one JVM, and the packaging workers in a supervised
 * child process of their own ({@code packager.isolation.mode}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the media server and control API, with packaging in a supervised worker process (Ctrl-C stops everything).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--dev", description = "Development mode: mails (verification and reset links) are logged in full.")
    boolean dev;

    @Override
    public Integer call() throws InterruptedException {
        Bootstrap.Loaded loaded = global.load();
        KinoConfig config = loaded.config();
        try (Lifecycle lifecycle = new Lifecycle()) {
            Services.Running running = Services.all(loaded, SecretStore.resolve(config), dev,
                    config.packager().workers(), lifecycle);
            var out = spec.commandLine().getOut();
            out.println("Kino is running. Ctrl-C stops it.");
            out.println("  Web app and API: " + config.control().publicUrl() + "/");
            out.println("  Media server:    " + config.media().publicUrl() + "/  (signed URLs: ./kino sign TITLE)");
            if (running.media().metricsPort() > 0) {
                out.println("  Metrics:         http://" + config.metrics().host() + ":" + running.media().metricsPort() + "/metrics");
            }
            if (running.control().adminPort() > 0) {
                out.println("  API metrics:     http://" + config.metrics().host() + ":" + running.control().adminPort() + "/metrics");
            }
            out.flush();
            lifecycle.awaitShutdown();
        }
        return 0;
    }
}
