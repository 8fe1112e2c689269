package dev.kino.protocol.crosscheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs third-party playlist and MPD parsers from the npm registry (videojs' {@code m3u8-parser} and
 * {@code mpd-parser}) over what our writers produce, so a test proves the output is accepted by
 * more than our own code.
 *
 * <p>The parsers live in {@code protocol/src/test/js}; the first use installs them with
 * {@code npm ci} (the npm registry is reachable on developer machines and in CI). Node.js must be on
 * the {@code PATH}: a missing {@code node} fails the test rather than skipping it, because a skipped
 * cross-check is a check that cannot fail.
 */
public final class ThirdPartyParsers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPTS = locateScripts();

    private ThirdPartyParsers() {
    }

    /**
     * Parses an HLS playlist with {@code m3u8-parser}.
     *
     * @param playlist the playlist text (UTF-8)
     * @return {@code {"manifest": {...}, "warnings": [...]}} as printed by {@code parse-hls.mjs}
     */
    public static JsonNode parseHls(String playlist) {
        return run("parse-hls.mjs", playlist, List.of());
    }

    /**
     * Parses a DASH MPD with {@code mpd-parser}.
     *
     * @param mpd the MPD XML text
     * @param manifestUri the absolute URI the MPD is served from; relative segment URLs resolve against it
     * @return {@code {"manifest": {...}}} or {@code {"error": "..."}} as printed by {@code parse-mpd.mjs}
     */
    public static JsonNode parseMpd(String mpd, String manifestUri) {
        return run("parse-mpd.mjs", mpd, List.of(manifestUri));
    }

    private static synchronized void ensureInstalled() {
        if (Files.isDirectory(SCRIPTS.resolve("node_modules/m3u8-parser"))
                && Files.isDirectory(SCRIPTS.resolve("node_modules/mpd-parser"))) {
            return;
        }
        Result r = exec(List.of("npm", "ci", "--no-audit", "--no-fund"), null, 300);
        if (r.exit != 0) {
            throw new IllegalStateException("npm ci in " + SCRIPTS + " failed (exit " + r.exit + "): " + r.stderr);
        }
    }

    private static JsonNode run(String script, String input, List<String> args) {
        ensureInstalled();
        List<String> cmd = new ArrayList<>(List.of("node", script));
        cmd.addAll(args);
        Result r = exec(cmd, input, 60);
        try {
            JsonNode out = JSON.readTree(r.stdout);
            if (out == null) {
                throw new IllegalStateException(script + " printed nothing (exit " + r.exit + "): " + r.stderr);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(script + " printed no JSON (exit " + r.exit + "): " + r.stdout + r.stderr, e);
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result exec(List<String> cmd, String input, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).directory(SCRIPTS.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            // Both streams are small (a parsed playlist), so reading them one after the other cannot deadlock
            // in practice; stderr is read after stdout closes.
            String out = readAll(p.getInputStream());
            String err = readAll(p.getErrorStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out, err);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd)
                    + " (is Node.js installed and on the PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        }
    }

    private static String readAll(InputStream s) throws IOException {
        return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Path locateScripts() {
        // Surefire runs with the module directory as the working directory.
        Path p = Path.of("src/test/js").toAbsolutePath();
        if (!Files.isRegularFile(p.resolve("package.json"))) {
            p = Path.of("protocol/src/test/js").toAbsolutePath();
        }
        return p;
    }
}
