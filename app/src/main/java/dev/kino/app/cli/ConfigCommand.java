package dev.kino.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code ./kino config show}: the effective configuration, each value with its source, secrets masked. */
@Command(name = "config", description = "Inspect the configuration.", mixinStandardHelpOptions = true,
        subcommands = ConfigCommand.Show.class)
public final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: try 'kino config show'");
    }

    /** Prints the effective configuration. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the effective configuration (defaults < file < environment < --set), secrets masked.")
    public static final class Show implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var loaded = global.load();
            var out = spec.commandLine().getOut();
            out.println("# Effective Kino configuration (secrets masked). Values not marked came from the shipped defaults.");
            if (loaded.resolved().file() != null) {
                out.println("# Read " + loaded.resolved().file());
            }
            out.print(loaded.resolved().describe());
            out.flush();
            return 0;
        }
    }
}
