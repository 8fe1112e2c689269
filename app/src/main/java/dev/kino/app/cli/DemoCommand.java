package dev.kino.app.cli;

import dev.kino.app.demo.DemoClip;
import dev.kino.app.demo.DemoSetup;
import dev.kino.app.runtime.Bootstrap;
import dev.kino.app.runtime.Lifecycle;
import dev.kino.app.runtime.Services;
import dev.kino.app.runtime.UserFacingException;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.secret.Secrets;
import dev.kino.protocol.token.MediaPaths;
import dev.kino.protocol.token.PlaybackClaims;
import dev.kino.protocol.token.SignedUrls;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TitleId;
import dev.kino.protocol.token.TokenSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./kino demo [FILE…]}: everything on the embedded defaults — PostgreSQL, the control API with the web
 * app, the media server and a packaging worker process — then an admin account (its generated password printed once),
 * the given files (or a clip generated on the spot) packaged with HLS AES-128 and DASH CENC and published, and the
 * URLs to open. Running it again keeps the data; Ctrl-C stops everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start everything on the embedded defaults, package and publish real video, print URLs to play it.")
public final class DemoCommand implements Callable<Integer> {
    /** Size and length of the generated clip: three media segments of the default 6 s, the last one short. */
    static final int CLIP_WIDTH = 1280;
    static final int CLIP_HEIGHT = 720;
    static final int CLIP_FPS = 25;
    static final int CLIP_SECONDS = 16;

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Videos to package and publish (default: a generated clip).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--dev", description = "Development mode: mails (verification and reset links) are logged in full.")
    boolean dev;

    @Override
    public Integer call() throws InterruptedException {
        Bootstrap.Loaded loaded = global.load();
        if (!loaded.config().mail().smtp().configured() && !dev) {
            // no mail reaches anyone, so nobody could confirm an address: the demo lets unconfirmed accounts comment,
            // post and subscribe (an explicit --set control.requireVerifiedEmail=... still wins: flags apply in order)
            List<String> flags = new ArrayList<>();
            flags.add("control.requireVerifiedEmail=none");
            flags.addAll(global.sets);
            loaded = Bootstrap.load(global.configFile, flags, System.getenv());
        }
        KinoConfig config = loaded.config();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new UserFacingException(f + ": no such file");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Lifecycle lifecycle = new Lifecycle()) {
            Secrets secrets = SecretStore.resolve(config);
            Services.Running running = Services.all(loaded, secrets, dev, Math.max(1, config.packager().workers()), lifecycle);
            DemoSetup setup = new DemoSetup(config, running.control());
            DemoSetup.Admin admin = setup.ensureAdmin();

            List<Path> sources = new ArrayList<>(files);
            if (sources.isEmpty()) {
                sources.add(generatedClip(config, out));
            }
            List<DemoSetup.DemoTitle> titles = new ArrayList<>();
            for (Path source : sources) {
                String name = files.isEmpty() ? "Kino Demo" : nameOf(source);
                titles.add(setup.ensurePublished(source.toAbsolutePath(), name, line -> {
                    out.println("  " + line);
                    out.flush();
                }));
            }
            printUrls(out, config, secrets, admin, titles, running);
            lifecycle.awaitShutdown();
        }
        return 0;
    }

    private static Path generatedClip(KinoConfig config, PrintWriter out) {
        Path clip = config.dataDir().resolve("demo").resolve("kino-demo-clip.mp4");
        if (!Files.isRegularFile(clip)) {
            out.println("  generating a " + CLIP_SECONDS + " s " + CLIP_HEIGHT + "p demo clip...");
            out.flush();
            try {
                DemoClip.generate(clip, CLIP_WIDTH, CLIP_HEIGHT, CLIP_FPS, CLIP_SECONDS);
            } catch (IOException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
        }
        return clip;
    }

    static String nameOf(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replace('_', ' ');
    }

    private static void printUrls(PrintWriter out, KinoConfig config, Secrets secrets, DemoSetup.Admin admin,
                                  List<DemoSetup.DemoTitle> titles, Services.Running running) {
        TokenSigner signer = new TokenSigner(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        out.println();
        out.println("Kino is running. Ctrl-C stops it.");
        out.println();
        out.println("  Web app:     " + config.control().publicUrl() + "/");
        for (DemoSetup.DemoTitle t : titles) {
            TitleId title = TitleId.of(t.packagedTitleId());
            String token = signer.sign(PlaybackClaims.builder().title(title).validFor(now, config.tokens().ttl()).build());
            String base = config.media().publicUrl();
            out.println();
            out.println("  " + t.name() + " (" + t.packagedTitleId() + ")");
            out.println("    HLS (AES-128), for ffplay, VLC or Safari: " + SignedUrls.hls(base, token, title));
            out.println("    DASH (CENC):  " + SignedUrls.dash(base, token, title));
            out.println("    ClearKey licence: " + base + MediaPaths.clearKeyLicence(token, title));
        }
        out.println();
        if (admin.password() != null) {
            out.println("  Admin account (the password is shown only this once):");
            out.println("    user name: " + admin.username());
            out.println("    password:  " + admin.password());
        } else {
            out.println("  Admin account: " + admin.username() + " (its password was printed on the first run)");
        }
        out.println("  Signed URLs last " + config.tokens().ttl().toHours() + " h; new ones: ./kino sign TITLE");
        if (running.media().metricsPort() > 0) {
            out.println("  Metrics:     http://" + config.metrics().host() + ":" + running.media().metricsPort() + "/metrics");
        }
        if (running.control().adminPort() > 0) {
            out.println("  API metrics: http://" + config.metrics().host() + ":" + running.control().adminPort() + "/metrics");
        }
        out.println();
        out.flush();
    }
}
