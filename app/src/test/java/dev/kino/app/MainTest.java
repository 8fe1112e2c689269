package dev.kino.app;

import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.secret.Secrets;
import dev.kino.protocol.token.MediaPaths;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TokenVerifier;
import dev.kino.protocol.token.VerificationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[]{"demo", "serve", "media-server", "control-api", "worker", "package", "sign", "config", "admin"}) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.exit(), cmd);
            assertTrue(r.out().contains("Usage: kino " + cmd), cmd + ": " + r.out());
        }
        assertEquals(0, run("config", "show", "--help").exit());
    }

    @Test
    void usageErrorsExitWithTwo() {
        Run r = run("--no-such-option");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
        assertEquals(2, run().exit());
        assertEquals(2, run("sign").exit(), "TITLE is required");
        assertEquals(2, run("config").exit());
    }

    @Test
    void badConfigurationIsOneLineNamingKeyAndSourceWithExitOne(@TempDir Path dir) {
        Run r = run("config", "show", "--set", "data.dir=" + dir, "--set", "media.port=99999");
        assertEquals(1, r.exit());
        assertEquals("kino: media.port = 99999 (from command-line flag --set media.port): 99999 is out of range: "
                + "an integer from 0 to 65535", r.err().strip());
        assertFalse(r.err().contains("at dev.kino"), "no stack trace for the user");
        Run missing = run("config", "show", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(1, missing.exit());
        assertEquals("kino: config file " + dir.resolve("nope.yaml") + " does not exist", missing.err().strip());
    }

    @Test
    void anUnknownPackagerChoiceStopsEveryCommandBeforeItStartsAnything(@TempDir Path dir) throws Exception {
        Run serve = run("serve", "--set", "data.dir=" + dir, "--set", "packager.verify=all");
        assertEquals(1, serve.exit());
        assertEquals("kino: packager.verify = all (from command-line flag --set packager.verify): 'all' is not one of "
                + "keyframes, every-frame", serve.err().strip());
        assertFalse(Files.exists(dir.resolve("secrets")), "refused before secrets, database or servers");
        Path clip = Files.writeString(dir.resolve("clip.mp4"), "not looked at");
        Run pack = run("package", clip.toString(), "--protect", "rot13", "--set", "data.dir=" + dir);
        assertEquals(1, pack.exit());
        assertEquals("kino: packager.protection = rot13 (from command-line flag --set packager.protection): 'rot13' is "
                + "not one of none, aes-128, cenc, aes-128+cenc", pack.err().strip());
        Run show = run("config", "show", "--set", "data.dir=" + dir, "--set", "packager.protection=CENC",
                "--set", "packager.preset=VeryFast");
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("protection: cenc    # from command-line flag --set packager.protection"), show.out());
        assertTrue(show.out().contains("preset: veryfast    # from command-line flag --set packager.preset"), show.out());
    }

    @Test
    void configShowPrintsEffectiveValuesWithSourcesAndMasksSecrets(@TempDir Path dir) {
        Run r = run("config", "show", "--set", "data.dir=" + dir, "--set", "database.password=s3cret-password",
                "--set", "media.port=9001");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  port: 9001    # from command-line flag --set media.port"), r.out());
        assertTrue(r.out().contains("password: \"********\""), r.out());
        assertFalse(r.out().contains("s3cret-password"), r.out());
    }

    @Test
    void signPrintsUrlsWhoseTokenTheMediaServerWouldAccept(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("media/anime-01"));
        Run r = run("sign", "anime-01", "--ttl", "1h", "--ip", "203.0.113.0/24", "--set", "data.dir=" + dir);
        assertEquals(0, r.exit(), r.err());
        String hls = r.out().lines().filter(l -> l.startsWith("HLS:")).findFirst().orElseThrow().substring(4).trim();
        assertTrue(hls.startsWith("http://localhost:8081/v/"), hls);
        assertTrue(hls.endsWith("/anime-01/master.m3u8"), hls);
        assertFalse(r.out().contains("DASH:"), "no DASH URL for a published title without an MPD");

        KinoConfig config = KinoConfig.from(ConfigLoader.withShippedDefaults().flag("data.dir=" + dir).load());
        Secrets secrets = SecretStore.resolve(config);
        TokenVerifier verifier = new TokenVerifier(SigningKeys.of(secrets.tokenKeys(), secrets.currentTokenKeyId()),
                Duration.ofSeconds(30));
        String path = URI.create(hls).getRawPath();
        var split = MediaPaths.split(path).orElseThrow();
        VerificationResult ok = verifier.verify(split.token(), split.path(), InetAddress.getByName("203.0.113.9"), Instant.now());
        assertInstanceOf(VerificationResult.Valid.class, ok);
        VerificationResult wrongIp = verifier.verify(split.token(), split.path(), InetAddress.getByName("198.51.100.1"), Instant.now());
        assertInstanceOf(VerificationResult.Rejected.class, wrongIp);
        VerificationResult late = verifier.verify(split.token(), split.path(), InetAddress.getByName("203.0.113.9"),
                Instant.now().plus(Duration.ofHours(2)));
        assertInstanceOf(VerificationResult.Rejected.class, late);
    }

    @Test
    void signRefusesBadInputWithOneLine(@TempDir Path dir) {
        Run title = run("sign", "../etc", "--set", "data.dir=" + dir);
        assertEquals(1, title.exit());
        assertTrue(title.err().startsWith("kino: '../etc' is not a valid title id"), title.err());
        Run ttl = run("sign", "t1", "--ttl", "forever", "--set", "data.dir=" + dir);
        assertEquals(1, ttl.exit());
        assertTrue(ttl.err().startsWith("kino: --ttl forever: expected a duration"), ttl.err());
        Run ip = run("sign", "t1", "--ip", "example.com", "--set", "data.dir=" + dir);
        assertEquals(1, ip.exit());
        assertTrue(ip.err().startsWith("kino: --ip example.com:"), ip.err());
    }
}
