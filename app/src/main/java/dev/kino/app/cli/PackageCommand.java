package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.packaging.Protection;
import dev.kino.common.secret.SecretStore;
import dev.kino.packager.Packager;
import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.PackagingException;
import dev.kino.packager.job.CancellationSignal;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingProgress;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.protocol.token.MediaPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./kino package INPUT…}: packages source files into a published title folder, with a progress bar on a
 * terminal (percent, speed as × real time, ETA) and plain progress lines otherwise. The packager runs on this
 * thread; Ctrl-C cancels its {@link CancellationSignal}, and the run, which then leaves nothing behind, is waited
 * for before the JVM exits.
 */
@Command(name = "package", mixinStandardHelpOptions = true,
        description = "Package source videos into an encrypted CMAF ladder for HLS and DASH.")
public final class PackageCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "Source file (MP4, MOV, MKV, WebM, MPEG-TS, …), then side-car subtitle files if any.")
    List<Path> inputs;

    @Option(names = "--title", paramLabel = "ID", description = "Title id (folder name); default: derived from the file name.")
    String title;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder of published titles; default: media.root.")
    Path out;

    @Option(names = "--ladder", paramLabel = "RUNGS",
            description = "Rungs as HEIGHT:BITRATE[:MAXBITRATE], comma-separated, e.g. 720:3000k,480:1500k,360:800k "
                    + "(default: 1080/720/480/360/240, never upscaled).")
    String ladder;

    @Option(names = "--protect", paramLabel = "MODE",
            description = "none, aes-128, cenc or aes-128+cenc (default: packager.protection).")
    String protect;

    @Option(names = "--segment", paramLabel = "SECONDS", description = "Media segment duration, 2 to 10 (default: packager.segmentSeconds).")
    Integer segment;

    @Option(names = "--gop", paramLabel = "SECONDS",
            description = "Closed-GOP duration; must divide the segment duration (default: the segment duration).")
    Integer gop;

    @Option(names = "--preset", paramLabel = "PRESET",
            description = "x264 preset, ultrafast … veryslow (default: packager.preset).")
    String preset;

    @Override
    public Integer call() throws InterruptedException {
        // the same as --set packager.preset=… / packager.protection=…: validated (and reported) like any
        // configuration value, at load time
        if (preset != null) {
            global.sets.add("packager.preset=" + preset);
        }
        if (protect != null) {
            global.sets.add("packager.protection=" + protect);
        }
        KinoConfig config = global.load().config();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        for (Path input : inputs) {
            if (!Files.isRegularFile(input)) {
                throw new UserFacingException(input + ": no such file");
            }
        }
        String titleId = title != null ? title : titleFromFile(inputs.get(0));
        Protection protection = config.packager().protection();
        LadderSpec spec;
        PackagingRequest request;
        try {
            spec = LadderSpec.defaults().withSegmentSeconds(segment != null ? segment : config.packager().segmentSeconds());
            if (ladder != null) {
                spec = spec.withRungs(parseLadder(ladder));
            }
            if (gop != null) {
                spec = spec.withGopSeconds(gop);
            }
            request = new PackagingRequest(inputs, titleId, out != null ? out.toAbsolutePath() : config.media().root(),
                    spec, protection);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
        }
        try {
            Files.createDirectories(request.outRoot());
        } catch (java.io.IOException e) {
            throw new UserFacingException("cannot create the output folder " + request.outRoot() + ": " + e.getMessage());
        }

        var secrets = SecretStore.resolve(config);
        Packager packager = Packager.fromConfig(config.packager(), new ContentKeyWrapper(secrets.keyEncryptionKey()));
        ProgressPrinter printer = new ProgressPrinter(err, System.console() != null);
        err.println("Packaging " + inputs.get(0) + " as '" + titleId + "' (" + protection.wire() + ", "
                + spec.segmentSeconds() + " s segments)");
        CancellationSignal cancel = new CancellationSignal();
        CountDownLatch finished = new CountDownLatch(1);
        Thread cancelOnCtrlC = new Thread(() -> {
            cancel.cancel();
            try {
                // the run deletes its temporary folder within a packet or so; the JVM exits after that
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "kino-package-cancel");
        Runtime.getRuntime().addShutdownHook(cancelOnCtrlC);
        PackagingResult result;
        try {
            result = packager.run(request, new PackagingListener() {
                @Override
                public void progress(PackagingProgress progress) {
                    printer.update(progress);
                }

                @Override
                public void log(String message) {
                    printer.line(message);
                }
            }, cancel);
        } catch (PackagingCancelledException e) {
            printer.finish();
            // Printed here, not by Main: the JVM is shutting down and halts once the hook above has seen the run end.
            err.println("kino: packaging of " + inputs.get(0) + " was cancelled; nothing was published");
            err.flush();
            return 130;
        } catch (PackagingException e) {
            printer.finish();
            throw new UserFacingException(e.getMessage(), e);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnCtrlC);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        printer.finish();
        Path folder = result.folder();
        outWriter.printf(Locale.ROOT, "Published '%s' to %s (%.1f s of video in %.1f s, %s, renditions %s)%n",
                result.titleId(), folder, result.durationSeconds(), result.wallSeconds(), result.videoEncoder(),
                String.join(" ", result.renditions()));
        outWriter.println("HLS:  " + folder.resolve(MediaPaths.MASTER_PLAYLIST));
        if (Files.isRegularFile(folder.resolve(MediaPaths.DASH_MANIFEST))) {
            outWriter.println("DASH: " + folder.resolve(MediaPaths.DASH_MANIFEST));
        }
        outWriter.println("Signed playback URLs: ./kino sign " + result.titleId());
        outWriter.flush();
        return 0;
    }

    static String titleFromFile(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9_-]+", "-")
                .replaceAll("^-+|-+$", "");
        if (base.isEmpty()) {
            base = "title";
        }
        return base.length() > 64 ? base.substring(0, 64) : base;
    }

    static List<RungSpec> parseLadder(String text) {
        List<RungSpec> rungs = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] f = part.trim().split(":");
            if (f.length < 2 || f.length > 3) {
                throw new IllegalArgumentException("--ladder: '" + part.trim() + "' is not HEIGHT:BITRATE[:MAXBITRATE], e.g. 720:3000k");
            }
            try {
                int height = Integer.parseInt(f[0].trim().replaceAll("p$", ""));
                long bitrate = bits(f[1]);
                rungs.add(f.length == 3 ? new RungSpec(height, bitrate, bits(f[2])) : new RungSpec(height, bitrate));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ladder: '" + part.trim() + "' is not HEIGHT:BITRATE[:MAXBITRATE], e.g. 720:3000k");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--ladder: " + e.getMessage());
            }
        }
        return rungs;
    }

    private static long bits(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("m")) {
            return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1_000_000);
        } else if (t.endsWith("k")) {
            return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1_000);
        }
        return Long.parseLong(t);
    }

    /** Renders progress: a redrawn bar on a terminal, a line per 10 % otherwise. Called from the job's thread. */
    static final class ProgressPrinter {
        private final PrintWriter err;
        private final boolean terminal;
        private final long started = System.nanoTime();
        private int lastDecile = -1;
        private boolean drawn;

        ProgressPrinter(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        synchronized void update(PackagingProgress p) {
            double f = Math.max(0, Math.min(1, p.fraction()));
            String phase = p.phase().name().toLowerCase(Locale.ROOT);
            double elapsed = (System.nanoTime() - started) / 1e9;
            String eta = f > 0.01 && f < 1 ? " ETA " + clock(elapsed * (1 - f) / f) : "";
            String speed = p.speed() > 0 ? String.format(Locale.ROOT, " %.2f× real time", p.speed()) : "";
            if (terminal) {
                int width = 30;
                int filled = (int) Math.round(f * width);
                err.print(String.format(Locale.ROOT, "\r[%s%s] %3d%% %-11s%s%s   ", "#".repeat(filled),
                        " ".repeat(width - filled), Math.round(f * 100), phase, speed, eta));
                err.flush();
                drawn = true;
            } else {
                int decile = (int) Math.floor(f * 10);
                if (decile != lastDecile) {
                    lastDecile = decile;
                    err.println(String.format(Locale.ROOT, "progress %3d%% %s%s%s", Math.round(f * 100), phase, speed, eta));
                    err.flush();
                }
            }
        }

        /** Prints a line of the job's log, above the bar on a terminal. */
        synchronized void line(String message) {
            if (drawn) {
                err.print("\r\033[K");
            }
            err.println(message);
            err.flush();
        }

        synchronized void finish() {
            if (drawn) {
                err.println();
                err.flush();
                drawn = false;
            }
        }

        private static String clock(double seconds) {
            long s = Math.round(seconds);
            return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                    : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}
