package dev.kino.common.config;

import dev.kino.common.packaging.Protection;
import dev.kino.common.packaging.VerificationDepth;
import dev.kino.common.packaging.WorkerIsolation;
import dev.kino.common.packaging.X264Preset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    static String shippedDefaults() throws IOException {
        // The module is built from its own folder; the shipped defaults live at the repository root.
        Path p = Path.of("../config/kino.yaml");
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static ConfigLoader loader() throws IOException {
        return ConfigLoader.withDefaults(shippedDefaults());
    }

    @Test
    void shippedDefaultsGiveTheDocumentedPortsAndDataDirectory() throws IOException {
        KinoConfig c = KinoConfig.from(loader().load());
        assertEquals(8080, c.control().port());
        assertEquals(8081, c.media().port());
        assertEquals(8443, c.media().tls().port());
        assertEquals(9100, c.metrics().port());
        assertEquals(Path.of("data").toAbsolutePath().normalize(), c.dataDir());
        assertEquals(c.dataDir().resolve("media"), c.media().root());
        assertEquals("http://localhost:8081", c.media().publicUrl());
        assertEquals("http://localhost:8080", c.control().publicUrl());
        assertTrue(c.database().embedded());
        assertFalse(c.redis().configured());
        assertEquals(Duration.ofHours(6), c.tokens().ttl());
        assertEquals(List.of("*"), c.media().corsOrigins());
    }

    @Test
    void everySchemaKeyHasADistinctEnvironmentVariable() {
        Set<String> seen = new HashSet<>();
        for (ConfigKey<?> k : ConfigKeys.ordered()) {
            assertTrue(seen.add(k.environmentVariable()), "duplicate env name " + k.environmentVariable());
        }
        assertEquals("KINO_MEDIA_PORT", ConfigKeys.MEDIA_PORT.environmentVariable());
        assertEquals("KINO_TOKENS_CLOCK_SKEW", ConfigKeys.TOKENS_CLOCK_SKEW.environmentVariable());
        assertEquals("KINO_MEDIA_TLS_PRIVATE_KEY", ConfigKeys.MEDIA_TLS_PRIVATE_KEY.environmentVariable());
    }

    @Test
    void layersApplyInOrderDefaultsFileEnvironmentFlags(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "media:\n  port: 9001\n  playlistMaxAge: 2m\ncontrol:\n  port: 9101\n");
        ResolvedConfig r = loader().file(file)
                .environment(Map.of("KINO_MEDIA_PORT", "9002", "KINO_METRICS_PORT", "9300", "PATH", "/bin"))
                .flag("media.port=9003")
                .load();
        KinoConfig c = KinoConfig.from(r);
        assertEquals(9003, c.media().port());
        assertEquals(9101, c.control().port());
        assertEquals(9300, c.metrics().port());
        assertEquals(Duration.ofMinutes(2), c.media().playlistMaxAge());
        assertEquals("command-line flag --set media.port", r.source(ConfigKeys.MEDIA_PORT).description());
        assertEquals("environment variable KINO_METRICS_PORT", r.source(ConfigKeys.METRICS_PORT).description());
        assertEquals("config file " + file, r.source(ConfigKeys.CONTROL_PORT).description());
        assertEquals(Source.DEFAULTS, r.source(ConfigKeys.DATA_DIR));
    }

    @Test
    void configFileCanComeFromKinoConfigVariable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("k.yaml");
        Files.writeString(file, "log:\n  level: debug\n");
        KinoConfig c = KinoConfig.from(loader().environment(Map.of("KINO_CONFIG", file.toString())).load());
        assertEquals("DEBUG", c.logLevel());
    }

    @Test
    void unknownKeyInFileIsNamedWithItsSourceAndASuggestion(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "media:\n  prot: 9000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader().file(file).load());
        assertEquals("unknown configuration key 'media.prot' in config file " + file + " (did you mean 'media.port'?)",
                e.getMessage());
    }

    @Test
    void wrongTypeNamesKeySourceAndWhatIsAllowed() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader().environment(Map.of("KINO_MEDIA_PORT", "eighty")).load());
        assertEquals("media.port = eighty (from environment variable KINO_MEDIA_PORT): 'eighty' is not an integer from 0 to 65535",
                e.getMessage());
    }

    @Test
    void packagerChoicesAreTypedAtLoadAndAnUnknownOneStopsStartUpNamingKeySourceAndChoices(@TempDir Path dir)
            throws IOException {
        KinoConfig c = KinoConfig.from(loader().flag("packager.protection=AES-128+CENC")
                .environment(Map.of("KINO_PACKAGER_PRESET", "veryfast")).flag("packager.verify=every-frame").load());
        assertEquals(Protection.BOTH, c.packager().protection());
        assertEquals(X264Preset.VERYFAST, c.packager().preset());
        assertEquals(VerificationDepth.EVERY_FRAME, c.packager().verify());
        assertEquals(Protection.AES_128, KinoConfig.from(loader().load()).packager().protection(), "shipped default");

        ConfigException p = assertThrows(ConfigException.class, () -> loader().flag("packager.protection=rot13").load());
        assertEquals("packager.protection = rot13 (from command-line flag --set packager.protection): 'rot13' is not "
                + "one of none, aes-128, cenc, aes-128+cenc", p.getMessage());
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader().environment(Map.of("KINO_PACKAGER_PRESET", "placebo")).load());
        assertEquals("packager.preset = placebo (from environment variable KINO_PACKAGER_PRESET): 'placebo' is not one of "
                + "ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow", e.getMessage());
        Path file = dir.resolve("kino.yaml");
        Files.writeString(file, "packager:\n  verify: all\n");
        ConfigException f = assertThrows(ConfigException.class, () -> loader().file(file).load());
        assertEquals("packager.verify = all (from config file " + file + "): 'all' is not one of keyframes, every-frame",
                f.getMessage());
        assertFalse(f.getMessage().contains("\n"), "one line");
    }

    @Test
    void packagingIsolationIsTypedAndItsSizesAreReadAsTheJvmWritesThem() throws IOException {
        KinoConfig.Isolation shipped = KinoConfig.from(loader().load()).packager().isolation();
        assertEquals(new KinoConfig.Isolation(WorkerIsolation.PROCESS, 512L << 20, 4L << 30), shipped);

        KinoConfig.Isolation set = KinoConfig.from(loader().flag("packager.isolation.mode=In-Process")
                .environment(Map.of("KINO_PACKAGER_ISOLATION_HEAP", "1G"))
                .flag("packager.isolation.memoryLimit=3145728k").load()).packager().isolation();
        assertEquals(new KinoConfig.Isolation(WorkerIsolation.IN_PROCESS, 1L << 30, 3L << 30), set);
        assertEquals(0, KinoConfig.from(loader().flag("packager.isolation.memoryLimit=0").load()).packager()
                .isolation().memoryLimitBytes(), "0: no ceiling");
        assertTrue(loader().flag("packager.isolation.heap=268435456").load().describe().contains("256m"),
                "shown as written in kino.yaml");

        ConfigException mode = assertThrows(ConfigException.class,
                () -> loader().flag("packager.isolation.mode=container").load());
        assertEquals("packager.isolation.mode = container (from command-line flag --set packager.isolation.mode):"
                + " 'container' is not one of process, in-process", mode.getMessage());
        ConfigException size = assertThrows(ConfigException.class,
                () -> loader().flag("packager.isolation.heap=512mb").load());
        assertEquals("packager.isolation.heap = 512mb (from command-line flag --set packager.isolation.heap): '512mb'"
                + " is not a size in bytes such as 512m, 4g or 1073741824, from 64m to 1t", size.getMessage());
        assertThrows(ConfigException.class, () -> loader().flag("packager.isolation.heap=32m").load(), "below 64m");
        assertThrows(ConfigException.class, () -> loader().flag("packager.isolation.heap=99999999999999999999t").load());
        ConfigException tight = assertThrows(ConfigException.class, () -> KinoConfig.from(loader()
                .flag("packager.isolation.heap=1g").flag("packager.isolation.memoryLimit=1g").load()));
        assertTrue(tight.getMessage().startsWith("packager.isolation.memoryLimit 1g (from command-line flag --set"
                + " packager.isolation.memoryLimit) leaves less than 256m beside packager.isolation.heap 1g"),
                tight.getMessage());
    }

    @Test
    void outOfRangeValueIsRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> loader().flag("media.port=70000").load());
        assertTrue(e.getMessage().startsWith("media.port = 70000 (from command-line flag --set media.port): 70000 is out of range"),
                e.getMessage());
        ConfigException d = assertThrows(ConfigException.class, () -> loader().flag("tokens.ttl=10s").load());
        assertTrue(d.getMessage().contains("out of range"), d.getMessage());
        ConfigException u = assertThrows(ConfigException.class, () -> loader().flag("tokens.ttl=6 hours").load());
        assertTrue(u.getMessage().contains("a duration such as"), u.getMessage());
    }

    @Test
    void unknownEnvironmentVariableAndFlagAreRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader().environment(Map.of("KINO_MEDIA_PROT", "1")).load());
        assertTrue(e.getMessage().startsWith("unknown environment variable KINO_MEDIA_PROT"), e.getMessage());
        ConfigException f = assertThrows(ConfigException.class, () -> loader().flag("nope.key=1").load());
        assertTrue(f.getMessage().contains("unknown configuration key 'nope.key'"), f.getMessage());
        ConfigException g = assertThrows(ConfigException.class, () -> loader().flag("novalue").load());
        assertTrue(g.getMessage().contains("expected key=value"), g.getMessage());
    }

    @Test
    void mappingWhereAValueIsExpectedAndBadYamlAreReported(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "media:\n  port:\n    value: 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader().file(file).load());
        assertTrue(e.getMessage().contains("media.port") && e.getMessage().contains("got a mapping"), e.getMessage());
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "media:\n  port: [1,\n");
        ConfigException y = assertThrows(ConfigException.class, () -> loader().file(broken).load());
        assertTrue(y.getMessage().startsWith("config file " + broken + " is not valid YAML"), y.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> loader().file(dir.resolve("none.yaml")).load());
        assertEquals("config file " + dir.resolve("none.yaml") + " does not exist", missing.getMessage());
    }

    @Test
    void secretsAreNeverShownInErrorsOrTheEffectiveConfiguration() throws IOException {
        ResolvedConfig r = loader()
                .environment(Map.of("KINO_DATABASE_PASSWORD", "hunter2-very-secret",
                        "KINO_TOKENS_KEYS", "k1:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI="))
                .load();
        String shown = r.describe();
        assertFalse(shown.contains("hunter2"), shown);
        assertFalse(shown.contains("c2VjcmV0"), shown);
        assertTrue(shown.contains("password: \"********\"    # from environment variable KINO_DATABASE_PASSWORD"), shown);
        assertTrue(shown.contains("keys: [1 secret value(s) masked]"), shown);
        assertTrue(shown.contains("  port: 8081\n"), shown);
        assertEquals("********", KinoConfig.from(r).database().password().toString());
    }

    @Test
    void listsComeFromCommaSeparatedTextOutsideFiles() throws IOException {
        KinoConfig c = KinoConfig.from(loader()
                .environment(Map.of("KINO_MEDIA_CORS_ORIGINS", "https://a.example, https://b.example")).load());
        assertEquals(List.of("https://a.example", "https://b.example"), c.media().corsOrigins());
    }

    @Test
    void tlsCertificateAndKeyGoTogether() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> KinoConfig.from(loader().flag("media.tls.certificate=/etc/cert.pem").load()));
        assertTrue(e.getMessage().contains("must be set together"), e.getMessage());
        KinoConfig c = KinoConfig.from(loader().flag("media.tls.enabled=true").load());
        assertEquals("https://localhost:8443", c.media().publicUrl());
    }

    @Test
    void packagerLimitsDefaultTo8kAndAreTypedAndChecked() throws IOException {
        KinoConfig.Limits d = KinoConfig.from(loader().load()).packager().limits();
        assertEquals(new KinoConfig.Limits(7680, 4320, 7680L * 4320, 240, Duration.ofHours(12)), d);
        KinoConfig.Limits set = KinoConfig.from(loader().environment(Map.of("KINO_PACKAGER_LIMITS_MAX_DURATION", "90m"))
                .flag("packager.limits.maxFrameRate=60").load()).packager().limits();
        assertEquals(Duration.ofMinutes(90), set.maxDuration());
        assertEquals(60, set.maxFrameRate());
        ConfigException range = assertThrows(ConfigException.class,
                () -> loader().flag("packager.limits.maxWidth=100000").load());
        assertTrue(range.getMessage().startsWith("packager.limits.maxWidth = 100000 (from command-line flag --set "
                + "packager.limits.maxWidth): 100000 is out of range"), range.getMessage());
        ConfigException type = assertThrows(ConfigException.class,
                () -> loader().flag("packager.limits.maxDuration=forever").load());
        assertTrue(type.getMessage().contains("a duration such as"), type.getMessage());
        ConfigException swapped = assertThrows(ConfigException.class, () -> KinoConfig.from(loader()
                .flag("packager.limits.maxWidth=1080").flag("packager.limits.maxHeight=1920").load()));
        assertTrue(swapped.getMessage().startsWith("packager.limits.maxHeight 1920 (from command-line flag --set "
                + "packager.limits.maxHeight) is above packager.limits.maxWidth 1080"), swapped.getMessage());
    }

    @Test
    void shippedDefaultsListExactlyTheSchemaKeys() throws IOException {
        // A key missing from kino.yaml fails loading; a key in kino.yaml but not in the schema fails as unknown.
        ResolvedConfig r = loader().load();
        for (ConfigKey<?> k : ConfigKeys.ordered()) {
            assertEquals(Source.DEFAULTS, r.source(k), k.name());
        }
    }

    @Test
    void exampleDeploymentsAreValidConfigurations() throws IOException {
        try (var files = Files.list(Path.of("../config/examples"))) {
            List<Path> examples = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertFalse(examples.isEmpty());
            for (Path f : examples) {
                KinoConfig c = KinoConfig.from(loader().file(f).load());
                assertTrue(c.media().publicUrl().startsWith("https://"), f.toString());
            }
        }
    }

    @Test
    void mailDefaultsToTheLogSenderAndSmtpComesFromTheEnvironment() throws IOException {
        KinoConfig.Mail d = KinoConfig.from(loader().load()).mail();
        assertFalse(d.smtp().configured(), "no SMTP server by default: mails are logged");
        assertEquals("Kino <no-reply@localhost>", d.from());
        assertEquals(587, d.smtp().port());
        assertEquals("starttls", d.smtp().security());
        assertEquals(Duration.ofSeconds(10), d.smtp().timeout());

        assertEquals("KINO_MAIL_SMTP_HOST", ConfigKeys.MAIL_SMTP_HOST.environmentVariable());
        ResolvedConfig r = loader().environment(Map.of("KINO_MAIL_SMTP_HOST", "smtp.example.com",
                "KINO_MAIL_SMTP_PORT", "465", "KINO_MAIL_SMTP_SECURITY", "TLS", "KINO_MAIL_SMTP_USER", "apikey",
                "KINO_MAIL_SMTP_PASSWORD", "SG.very-secret-key", "KINO_MAIL_FROM", "no-reply@example.com",
                "KINO_MAIL_SMTP_TIMEOUT", "30s")).load();
        KinoConfig.Mail m = KinoConfig.from(r).mail();
        assertTrue(m.smtp().configured() && m.smtp().authenticated() && m.smtp().encrypted());
        assertEquals(new KinoConfig.Smtp("smtp.example.com", 465, "tls", "apikey", Secret.of("SG.very-secret-key"),
                Duration.ofSeconds(30)), m.smtp());
        assertEquals("no-reply@example.com", m.from());
        assertEquals("SG.very-secret-key", m.smtp().password().reveal());
        assertFalse(m.toString().contains("very-secret"), m.toString());
        String shown = r.describe();
        assertFalse(shown.contains("very-secret"), shown);
        assertTrue(shown.contains("    password: \"********\"    # from environment variable KINO_MAIL_SMTP_PASSWORD"), shown);
    }

    @Test
    void badMailSettingsAreRefused() throws IOException {
        for (String from : new String[] {"nobody", "Kino <no-reply@example.com", "a@b@c", "Kino\n<x@example.com>", "<>"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> KinoConfig.from(loader().flag("mail.from=" + from).load()), from);
            assertTrue(e.getMessage().startsWith("mail.from = "), e.getMessage());
        }
        assertEquals("Kino Team <team@mail.example.com>",
                KinoConfig.from(loader().flag("mail.from=Kino Team <team@mail.example.com>").load()).mail().from());
        ConfigException security = assertThrows(ConfigException.class, () -> loader().flag("mail.smtp.security=ssl").load());
        assertTrue(security.getMessage().contains("one of starttls, tls, none"), security.getMessage());
        ConfigException port = assertThrows(ConfigException.class, () -> loader().flag("mail.smtp.port=0").load());
        assertTrue(port.getMessage().contains("out of range"), port.getMessage());
        ConfigException host = assertThrows(ConfigException.class,
                () -> KinoConfig.from(loader().flag("mail.smtp.host=smtp example").load()));
        assertTrue(host.getMessage().startsWith("mail.smtp.host = smtp example"), host.getMessage());
        ConfigException lonely = assertThrows(ConfigException.class,
                () -> KinoConfig.from(loader().environment(Map.of("KINO_MAIL_SMTP_PASSWORD", "pw-alone")).load()));
        assertTrue(lonely.getMessage().contains("mail.smtp.user is empty"), lonely.getMessage());
        assertFalse(lonely.getMessage().contains("pw-alone"), lonely.getMessage());
    }

    @Test
    void sendBufferIsASizeDefaulting768kWithZeroForTheKernelsOwnSizing() throws IOException {
        assertEquals(768 * 1024, KinoConfig.from(loader().load()).media().sendBuffer());
        assertEquals(0, KinoConfig.from(loader().flag("media.sendBuffer=0").load()).media().sendBuffer());
        assertEquals(2 << 20, KinoConfig.from(loader().flag("media.sendBuffer=2m").load()).media().sendBuffer());
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> loader().flag("media.sendBuffer=1g").load());
        assertTrue(e.getMessage().startsWith("media.sendBuffer = 1g (from command-line flag --set media.sendBuffer)"),
                e.getMessage());
    }

    @Test
    void trustedProxiesAreCidrRangesNamedOnError() throws IOException {
        KinoConfig ok = KinoConfig.from(loader().flag("media.trustedProxies=10.0.0.0/8,2001:db8::/32,192.0.2.1").load());
        assertEquals(java.util.List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.1"), ok.media().trustedProxies());
        for (String bad : new String[]{"10.0.0.0/33", "cdn.example.com", "10.0.0/8", "::/129", "10.0.0.0/x"}) {
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                    () -> loader().flag("media.trustedProxies=" + bad).load(), bad);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("media.trustedProxies"), e.getMessage());
        }
    }

    @Test
    void oidcProvidersComeFromTheGooglePresetAndItemsWithSecretsApart() throws IOException {
        assertTrue(KinoConfig.from(loader().load()).oidc().providers().isEmpty());
        KinoConfig c = KinoConfig.from(loader()
                .environment(Map.of("KINO_OIDC_GOOGLE_CLIENT_ID", "123.apps.googleusercontent.com",
                        "KINO_OIDC_GOOGLE_CLIENT_SECRET", "g-secret",
                        "KINO_OIDC_CLIENT_SECRETS", "corp:corp-secret"))
                .flag("oidc.providers=corp https://sso.example.com/realms/main kino openid email,"
                        + "local http://localhost:9000/default web")
                .load());
        var providers = c.oidc().providers();
        assertEquals(java.util.List.of("google", "corp", "local"), providers.stream().map(KinoConfig.OidcProvider::id).toList());
        assertEquals("https://accounts.google.com", providers.get(0).issuer());
        assertEquals("g-secret", providers.get(0).clientSecret().reveal());
        assertEquals(java.util.List.of("openid", "email", "profile"), providers.get(0).scopes());
        assertEquals("corp-secret", providers.get(1).clientSecret().reveal());
        assertEquals(java.util.List.of("openid", "email"), providers.get(1).scopes());
        assertTrue(providers.get(2).clientSecret().isEmpty(), "a public client");
        assertFalse(c.toString().contains("corp-secret"));

        for (String bad : new String[]{"corp", "Corp https://sso.example.com kino", "corp http://sso.example.com kino",
                "corp https://sso.example.com?x=1 kino", "corp https://sso.example.com kino email profile",
                "google https://accounts.google.com kino"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> KinoConfig.from(loader()
                    .environment(Map.of("KINO_OIDC_GOOGLE_CLIENT_ID", "x")).flag("oidc.providers=" + bad).load()), bad);
            assertTrue(e.getMessage().startsWith("oidc.providers item"), e.getMessage());
        }
        ConfigException orphan = assertThrows(ConfigException.class, () -> KinoConfig.from(loader()
                .flag("oidc.clientSecrets=nobody:very-secret").load()));
        assertTrue(orphan.getMessage().contains("'nobody'"), orphan.getMessage());
        assertFalse(orphan.getMessage().contains("very-secret"), orphan.getMessage());
        ConfigException shape = assertThrows(ConfigException.class, () -> KinoConfig.from(loader()
                .flag("oidc.clientSecrets=no-colon-secret").load()));
        assertFalse(shape.getMessage().contains("no-colon-secret"), shape.getMessage());
    }
}
