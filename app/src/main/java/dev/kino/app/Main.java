package dev.kino.app;

import dev.kino.app.cli.AdminCommand;
import dev.kino.app.cli.ConfigCommand;
import dev.kino.app.cli.ControlApiCommand;
import dev.kino.app.cli.DemoCommand;
import dev.kino.app.cli.MediaServerCommand;
import dev.kino.app.cli.PackageCommand;
import dev.kino.app.cli.RecommendCommand;
import dev.kino.app.cli.ServeCommand;
import dev.kino.app.cli.SignCommand;
import dev.kino.app.cli.WorkerCommand;
import dev.kino.app.runtime.UserFacingException;
import dev.kino.common.config.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Entry point of {@code ./kino}. Exit codes: 0 success, 1 failure (one line on stderr naming what is
 * wrong; the stack trace goes to {@code <data.dir>/logs/kino.log}), 2 usage error.
 */
@Command(name = "kino", mixinStandardHelpOptions = true, version = "Kino 0.1.0",
        description = "Kino: packager, origin and control API for video streaming.",
        subcommands = {DemoCommand.class, ServeCommand.class, MediaServerCommand.class, ControlApiCommand.class,
                WorkerCommand.class, PackageCommand.class, SignCommand.class, ConfigCommand.class, AdminCommand.class,
                RecommendCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'kino --help'");
    }

    /**
     * Runs one command line.
     *
     * @param args the arguments after {@code kino}
     * @return the exit code
     */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, writing to the given streams (tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("kino: " + describe(e));
            commandLine.getErr().flush();
            if (!(e instanceof ConfigException)) {
                // Only now is logging safe to touch: the configuration (and so the log folder) is known.
                // "kino.cli" writes to the log file only: the user has had their one line above.
                LoggerFactory.getLogger("kino.cli").error("kino {} failed", String.join(" ", args), e);
            }
            return 1;
        });
        return cli.execute(args);
    }

    static String describe(Throwable e) {
        if (e instanceof ConfigException || e instanceof UserFacingException) {
            return e.getMessage();
        }
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        String logDir = System.getProperty("kino.logDir", "data/logs");
        return (m == null ? kind : m) + " (" + kind + "; details in " + logDir + "/kino.log)";
    }

    /** @param args command line */
    public static void main(String[] args) {
        System.exit(run(args));
    }
}
