package dev.kino.app.runtime;

import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A child process given a run's configuration inputs through its environment loads the same configuration. */
class ConfigInputsTest {
    @Test
    void theChildEnvironmentLoadsTheSameConfigurationWithNothingOnTheCommandLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("site.yaml"),
                "media:\n  port: 9001\ncontrol:\n  port: 9101\npackager:\n  isolation:\n    heap: 256m\n");
        Map<String, String> parentEnv = Map.of("PATH", "/usr/bin", "KINO_MEDIA_PORT", "9002",
                "KINO_METRICS_PORT", "9300", "KINO_KEYS_KEY_ENCRYPTION_KEY", "c2VjcmV0LWZyb20tZW52LWZvci10ZXN0cw==");
        List<String> flags = List.of("media.port=9003", "tokens.keys=k1:AAAA,k2:BBBB", "data.dir=" + dir);
        ConfigLoader parentLoader = ConfigLoader.withShippedDefaults().file(file).environment(parentEnv);
        flags.forEach(parentLoader::flag);
        KinoConfig parent = KinoConfig.from(parentLoader.load());

        ConfigInputs inputs = new ConfigInputs(file, parentEnv, flags);
        // the child's own process environment may carry stale KINO_* values: they are dropped
        Map<String, String> childEnv = inputs.childEnvironment(Map.of("PATH", "/bin", "HOME", "/root",
                "KINO_CONTROL_PORT", "1234"));
        KinoConfig child = KinoConfig.from(ConfigLoader.withShippedDefaults().environment(childEnv).load());

        assertEquals(parent, child);
        assertEquals(9003, child.media().port(), "the flag wins, as on the command line");
        assertEquals(9101, child.control().port(), "from the file, not the child's stale environment");
        assertEquals(256L << 20, child.packager().isolation().heapBytes());
        assertEquals(file.toAbsolutePath().toString(), childEnv.get("KINO_CONFIG"));
        assertEquals("k1:AAAA,k2:BBBB", childEnv.get("KINO_TOKENS_KEYS"), "secrets travel in the environment");
        assertEquals("/bin", childEnv.get("PATH"));
        assertNotEquals(KinoConfig.from(ConfigLoader.withShippedDefaults().load()), child);
        assertFalse(ConfigInputs.defaults().childEnvironment(Map.of("KINO_MEDIA_PORT", "1")).containsKey("KINO_MEDIA_PORT"));
    }
}
