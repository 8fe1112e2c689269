package dev.kino.app.demo;

import dev.kino.app.runtime.UserFacingException;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.packaging.Protection;
import dev.kino.control.ControlApi;
import dev.kino.control.ConflictException;
import dev.kino.control.auth.OperatorAccounts;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.MediaState;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.jobs.JobQueue;
import dev.kino.control.jobs.JobView;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The first-run setup of {@code ./kino demo}, through the control API's own services: an admin account with a
 * generated password, and each demo video as a published movie packaged with HLS AES-128 and DASH CENC. Every
 * step is idempotent, so running the demo again keeps (and reuses) what is there.
 */
public final class DemoSetup {
    /** User name of the demo's admin account. */
    public static final String ADMIN_USERNAME = "admin";
    /** E-mail address of the demo's admin account. */
    public static final String ADMIN_EMAIL = "admin@kino.localhost";
    /** Protection of demo titles: AES-128 for HLS and CENC for DASH. */
    public static final Protection PROTECTION = Protection.BOTH;

    private static final Duration PACKAGING_TIMEOUT = Duration.ofMinutes(30);

    private final KinoConfig config;
    private final ControlApi api;

    /**
     * @param config the configuration
     * @param api the running control API (with packaging workers)
     */
    public DemoSetup(KinoConfig config, ControlApi api) {
        this.config = config;
        this.api = api;
    }

    /**
     * @param username the admin's user name
     * @param password the generated password, or null when the account already existed (it was printed then)
     */
    public record Admin(String username, String password) {
    }

    /**
     * Creates the demo's admin account on the first run, as {@code ./kino admin create} would (registration never makes
     * administrators).
     *
     * @return the account, with its password only when it was created now
     */
    public Admin ensureAdmin() {
        Optional<String> existing = api.roles().firstHolder("admin");
        if (existing.isPresent()) {
            return new Admin(existing.get(), null);
        }
        try {
            OperatorAccounts.Created admin = api.operators().createAdministrator(ADMIN_EMAIL, ADMIN_USERNAME);
            return new Admin(admin.username(), admin.password());
        } catch (ConflictException e) {
            throw new UserFacingException("the demo could not create its admin account: " + e.getMessage()
                    + "; sign in with an existing admin instead");
        }
    }

    /**
     * A demo title, published.
     *
     * @param mediaId the media item
     * @param packagedTitleId the folder under {@code media.root} the media server serves
     * @param name the title's name
     */
    public record DemoTitle(UUID mediaId, String packagedTitleId, String name) {
    }

    /**
     * Makes sure a source video is a published movie: created, packaged (HLS AES-128 + DASH CENC) and published.
     * The packaged title id is derived from the file's content, so the same file is packaged once.
     *
     * @param source the video file
     * @param name the title's name
     * @param progress receives one-line progress reports
     * @return the published title
     * @throws UserFacingException when packaging fails (naming the file and the problem) or takes too long
     */
    public DemoTitle ensurePublished(Path source, String name, Consumer<String> progress) throws InterruptedException {
        String packagedTitleId = "demo-" + fingerprint(source);
        Catalog catalog = api.catalog();
        UUID mediaId = catalog.mediaInFolder(packagedTitleId).map(MediaStore.MediaRow::id).orElse(null);
        if (mediaId == null) {
            UUID titleId = catalog.createTitle(new TitleInput("movie", name, "en",
                    Map.of("en", name), Map.of("en", "Packaged by ./kino demo from " + source.getFileName()
                            + ": HLS with AES-128, DASH with CENC (ClearKey)."),
                    java.time.Year.now().getValue(), "all", List.of("demo"), List.of("kino"), List.of(), Map.of()));
            mediaId = catalog.createMedia(titleId, new MediaInput(null, null, name, packagedTitleId, null, null, null,
                    null, null, PROTECTION.wire(), "free", false)).id();
        }
        MediaStore.MediaRow media = catalog.media(mediaId).orElseThrow();
        if (media.state() == MediaState.UPLOADED || media.state() == MediaState.FAILED) {
            catalog.lifecycle().replaceSource(mediaId, incomingCopy(source, packagedTitleId).toString());
            api.jobs().enqueue(mediaId, new JobQueue.JobInput(null, PROTECTION.wire(), null), PROTECTION, null);
            progress.accept("packaging " + source.getFileName() + " (HLS AES-128 + DASH CENC)...");
        }
        Instant deadline = Instant.now().plus(PACKAGING_TIMEOUT);
        double lastReported = -1;
        while (true) {
            media = catalog.media(mediaId).orElseThrow();
            if (media.state() == MediaState.READY) {
                catalog.lifecycle().publish(mediaId);
                progress.accept("published " + name);
                break;
            }
            if (media.state() == MediaState.PUBLISHED) {
                break;
            }
            if (media.state() == MediaState.FAILED) {
                throw new UserFacingException("packaging " + source + " failed: " + lastJobError(mediaId));
            }
            if (media.state() == MediaState.TAKEN_DOWN) {
                throw new UserFacingException("the demo title '" + name + "' was taken down; publish it again from the admin page");
            }
            double p = lastJobProgress(mediaId);
            if (p >= lastReported + 0.1) {
                lastReported = p;
                progress.accept(String.format(Locale.ROOT, "packaging %s: %d%%", source.getFileName(), Math.round(p * 100)));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new UserFacingException("packaging " + source + " did not finish within " + PACKAGING_TIMEOUT.toMinutes()
                        + " minutes; see the job log in the admin page");
            }
            Thread.sleep(500);
        }
        return new DemoTitle(mediaId, packagedTitleId, name);
    }

    private double lastJobProgress(UUID mediaId) {
        return api.jobs().latest(mediaId).map(JobView::progress).orElse(0.0);
    }

    private String lastJobError(UUID mediaId) {
        return api.jobs().latest(mediaId).map(JobView::error).filter(e -> e != null)
                .orElse("unknown error (see data/logs/kino.log)");
    }

    /** Copies (or links) the source under {@code <data.dir>/incoming}, where registered sources must live. */
    private Path incomingCopy(Path source, String name) {
        try {
            Path incoming = config.dataDir().resolve("incoming");
            Files.createDirectories(incoming);
            String file = source.getFileName().toString();
            int dot = file.lastIndexOf('.');
            Path target = incoming.resolve(name + (dot > 0 ? file.substring(dot).toLowerCase(Locale.ROOT) : ".mp4"));
            if (!Files.exists(target)) {
                Path tmp = target.resolveSibling(target.getFileName() + ".part");
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new UserFacingException("cannot copy " + source + " into " + config.dataDir().resolve("incoming")
                    + ": " + e.getMessage(), e);
        }
    }

    /** The first 12 hex digits of SHA-256 over the file's size and first and last MiB: stable and cheap. */
    static String fingerprint(Path file) {
        try (var ch = Files.newByteChannel(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = ch.size();
            sha.update(Long.toString(size).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 20);
            for (long pos : new long[]{0, Math.max(0, size - buf.capacity())}) {
                buf.clear();
                ch.position(pos);
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // fill
                }
                buf.flip();
                sha.update(buf);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (IOException e) {
            throw new UserFacingException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
