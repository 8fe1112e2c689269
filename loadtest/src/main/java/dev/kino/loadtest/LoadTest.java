package dev.kino.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./kino loadtest players|dash|cdn|api}: runs one Gatling simulation in this JVM against a running Kino,
 * then says where Gatling's HTML report is and whether its assertions held. Exit codes: 0 the assertions held,
 * 1 they failed or the run could not start (one line says why), 2 usage error.
 *
 * <p>The {@code kino} launcher runs this class from {@code loadtest/target} (built on first use), so Kino's own jar
 * carries no Gatling.
 */
@Command(name = "kino loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a Gatling load test against a running Kino and writes Gatling's HTML report.",
                "",
                "  players  HLS viewers: sign in, authorise playback, multivariant and media playlists, init sections,",
                "           the AES-128 key, then segments at real-time pace, switching variant and seeking sometimes",
                "  dash     DASH viewers: the same with the MPD and the ClearKey licence request",
                "  cdn      cold CDN edges: every playlist, the MPD and every init section and segment of a title,",
                "           in byte-range slices",
                "  api      web app visitors: browse, search, open a title, watchlist, progress heartbeats, token refresh",
                "",
                "Viewers, edges and API users take an account each from a pool (registered on the first run as",
                "<prefix>-0001…, signed in before the run); users beyond the pool are guests (free items only).",
                "Exit codes: 0 the assertions held, 1 they failed or the run could not start, 2 usage error."})
public final class LoadTest implements Callable<Integer> {
    /** The simulations by command name. */
    static final Map<String, Class<? extends KinoSimulation>> SIMULATIONS = Map.of(
            "players", HlsViewersSimulation.class,
            "dash", DashViewersSimulation.class,
            "cdn", CdnPullSimulation.class,
            "api", ApiUsersSimulation.class);

    @Parameters(index = "0", paramLabel = "SIMULATION", description = "players, dash, cdn or api")
    String simulation;

    @Option(names = "--target", paramLabel = "URL", description = "the control API's URL (default: ${DEFAULT-VALUE})")
    String target = "http://localhost:8080";

    @Option(names = "--users", paramLabel = "N", description = "concurrent virtual users after the ramp (default: ${DEFAULT-VALUE})")
    int users = 10;

    @Option(names = "--ramp", paramLabel = "DURATION", description = "time from 0 to N users, e.g. 60s (default: ${DEFAULT-VALUE})")
    String ramp = "10s";

    @Option(names = "--duration", paramLabel = "DURATION", description = "time at N users after the ramp, e.g. 5m (default: ${DEFAULT-VALUE})")
    String duration = "1m";

    @Option(names = "--media-url", paramLabel = "URL",
            description = "use this origin (scheme://host:port) instead of the one in the signed URLs the API grants, e.g."
                    + " when media.publicUrl is not reachable from here")
    String mediaUrl;

    @Option(names = "--accounts", paramLabel = "N",
            description = "accounts in the pool, at most one per user; 0 = guests only (default: ${DEFAULT-VALUE})")
    int accounts = 10;

    @Option(names = "--accounts-file", paramLabel = "FILE",
            description = "sign in these existing accounts instead of registering: login,password lines")
    Path accountsFile;

    @Option(names = "--account-prefix", paramLabel = "NAME", description = "user names of registered accounts: NAME-0001… (default: ${DEFAULT-VALUE})")
    String accountPrefix = "loadtest";

    @Option(names = "--account-password", paramLabel = "PASSWORD", description = "password of registered accounts (default: a fixed one)")
    String accountPassword = Settings.DEFAULT_PASSWORD;

    @Option(names = "--max-errors", paramLabel = "PERCENT",
            description = "assertion: most failed requests, overall and of each request kind (default: ${DEFAULT-VALUE})")
    double maxErrorPercent = 1.0;

    @Option(names = "--p99", paramLabel = "DURATION",
            description = "assertion: longest 99th-percentile response time of each request kind (default: ${DEFAULT-VALUE})")
    String p99 = "2s";

    @Option(names = "--max-watch", paramLabel = "DURATION",
            description = "viewers watch a random 20-100 %% of the item, at most this long (default: ${DEFAULT-VALUE})")
    String maxWatch = "10m";

    @Option(names = "--switch-chance", paramLabel = "P", description = "chance per segment of a rendition switch (default: ${DEFAULT-VALUE})")
    double switchChance = 0.1;

    @Option(names = "--seek-chance", paramLabel = "P", description = "chance per segment of a seek (default: ${DEFAULT-VALUE})")
    double seekChance = 0.05;

    @Option(names = "--slice", paramLabel = "SIZE", description = "byte-range size of CDN pulls, e.g. 256k (default: ${DEFAULT-VALUE})")
    String slice = "1m";

    @Option(names = "--think", paramLabel = "DURATION", description = "mean pause of API users between pages (default: ${DEFAULT-VALUE})")
    String think = "2s";

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "${sys:kino.loadtest.results:-loadtest/target/gatling}",
            description = "where Gatling writes its reports (default: ${DEFAULT-VALUE})")
    Path results;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What a run left behind: the exit code and the report folder (null when none was written). */
    public record Result(int exitCode, Path report) {
    }

    private Result result;

    @Override
    public Integer call() {
        Class<? extends KinoSimulation> sim = SIMULATIONS.get(simulation);
        if (sim == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown simulation '" + simulation + "': players, dash, cdn or api");
        }
        Settings settings;
        try {
            settings = new Settings(URI.create(target), users, Settings.duration(ramp), Settings.duration(duration),
                    mediaUrl == null ? null : URI.create(mediaUrl), accounts, accountsFile, accountPrefix, accountPassword,
                    maxErrorPercent, Settings.duration(p99), Settings.duration(maxWatch), switchChance, seekChance,
                    Settings.bytes(slice), Settings.duration(think));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        settings.toProperties().forEach(System::setProperty);
        Path folder = results.toAbsolutePath();
        long started = System.currentTimeMillis();
        int code;
        try {
            // A wrong target fails here, in one line, rather than inside Gatling's start-up with a stack trace.
            new KinoApi(settings.target()).published();
            Files.createDirectories(folder);
            out.printf("kino loadtest: %s, %d users (ramp %s, then %s) against %s%n", simulation, users,
                    human(settings.ramp()), human(settings.duration()), settings.target());
            out.flush();
            // Gatling prints its progress, summary and assertion results on Scala's Console (System.out when it was
            // first used), from threads it starts for the run, which inherit Console.withOut's stream: to `out`.
            PrintStream previous = System.out;
            PrintStream toOut = new PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8);
            System.setOut(toOut);
            String[] gatlingArgs = {"-s", sim.getName(), "-rf", folder.toString(),
                    "-rd", simulation + " " + users + " users against " + settings.target()};
            try {
                code = scala.Console$.MODULE$.withOut(toOut, new scala.runtime.AbstractFunction0<Integer>() {
                    @Override
                    public Integer apply() {
                        return io.gatling.app.Gatling$.MODULE$.fromArgs(gatlingArgs);
                    }
                });
            } finally {
                toOut.flush();
                System.setOut(previous);
            }
        } catch (IOException e) {
            err.println("kino loadtest: " + e);
            result = new Result(1, null);
            return 1;
        } catch (RuntimeException e) {
            out.flush();
            err.println("kino loadtest: " + reason(e));
            err.flush();
            result = new Result(1, null);
            return 1;
        }
        Path report = newestReport(folder, started).orElse(null);
        out.println();
        if (report != null) {
            out.println("Gatling's report: " + report.resolve("index.html"));
        }
        if (code == 0) {
            out.println("kino loadtest: the assertions held");
        } else {
            err.println("kino loadtest: " + (code == 2 ? "the assertions failed (see the lines marked false above)"
                    : "Gatling stopped with status " + code + " (see above)"));
        }
        out.flush();
        err.flush();
        result = new Result(code == 0 ? 0 : 1, report);
        return result.exitCode();
    }

    /** @return the deepest user-facing message of a failure (a simulation's set-up throws {@link LoadTestException}) */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LoadTestException) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage() + " (" + root.getClass().getSimpleName() + ")";
    }

    /** Bytes written to System.out, decoded as UTF-8 into a writer line by line. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter to;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        WriterStream(PrintWriter to) {
            this.to = to;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public synchronized void flush() {
            to.print(line.toString(StandardCharsets.UTF_8));
            to.flush();
            line.reset();
        }
    }

    private static Optional<Path> newestReport(Path folder, long since) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("index.html")))
                    .filter(p -> p.toFile().lastModified() >= since - 1000)
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * Runs one command line.
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments after {@code kino loadtest}
     * @return the exit code and report folder
     */
    public static Result run(PrintWriter out, PrintWriter err, String... args) {
        LoadTest command = new LoadTest();
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        return command.result != null && code == command.result.exitCode() ? command.result : new Result(code, null);
    }

    /** @param args command line */
    public static void main(String[] args) {
        Result r = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(r.exitCode());
    }
}
