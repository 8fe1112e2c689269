package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.secret.Secrets;
import dev.kino.protocol.token.IpRange;
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

import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/**
 * {@code ./kino sign TITLE}: prints signed playback URLs for a title, as a CDN's URL-signing command
 * does. The token covers the whole title (every rendition, segment and key).
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Print signed HLS (and DASH, where the title has one) playback URLs for a title.")
public final class SignCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TITLE", description = "Title id (the folder name under media.root).")
    String title;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "Lifetime, e.g. 90s, 30m, 1h, 2d (default: tokens.ttl).")
    String ttl;

    @Option(names = "--ip", paramLabel = "CIDR", description = "Bind the URL to a client address or range, e.g. 203.0.113.7 or 2001:db8::/32.")
    String ip;

    @Option(names = "--user", paramLabel = "ID", description = "User id carried in the token (for logs and leases).")
    String user;

    @Option(names = "--session", paramLabel = "ID", description = "Playback session id (enables concurrent-stream leases).")
    String session;

    @Override
    public Integer call() {
        KinoConfig config = global.load().config();
        TitleId titleId;
        try {
            titleId = TitleId.of(title);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("'" + title + "' is not a valid title id: " + e.getMessage());
        }
        Duration lifetime = ttl == null ? config.tokens().ttl() : parseTtl(ttl);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        PlaybackClaims.Builder claims = PlaybackClaims.builder().title(titleId).validFor(now, lifetime);
        if (ip != null) {
            try {
                claims.clientRange(IpRange.parse(ip));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException("--ip " + ip + ": " + e.getMessage());
            }
        }
        if (user != null) {
            claims.userId(user);
        }
        if (session != null) {
            claims.sessionId(session);
        }
        Secrets secrets = SecretStore.resolve(config);
        String token = new TokenSigner(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId())).sign(claims.build());

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var folder = config.media().root().resolve(titleId.value());
        if (!Files.isDirectory(folder)) {
            err.println("kino: warning: title '" + titleId.value() + "' is not published under " + config.media().root()
                    + " (the URL is signed anyway)");
        }
        out.println("HLS:  " + SignedUrls.hls(config.media().publicUrl(), token, titleId));
        if (!Files.isDirectory(folder) || Files.isRegularFile(folder.resolve(MediaPaths.DASH_MANIFEST))) {
            out.println("DASH: " + SignedUrls.dash(config.media().publicUrl(), token, titleId));
        }
        out.println("Expires: " + now.plus(lifetime));
        out.flush();
        err.flush();
        return 0;
    }

    static Duration parseTtl(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.matches("\\d+[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                if (!d.isZero() && d.compareTo(Duration.ofDays(365)) <= 0) {
                    return d;
                }
            } else {
                return Duration.parse(text);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // falls through
        }
        throw new UserFacingException("--ttl " + text + ": expected a duration such as 90s, 30m, 1h or 2d (at most 365d)");
    }
}
