package dev.kino.common.secret;

import dev.kino.common.config.ConfigException;
import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretStoreTest {

    private static KinoConfig config(Path dataDir, String... flags) throws IOException {
        ConfigLoader l = ConfigLoader.withDefaults(Files.readString(Path.of("../config/kino.yaml"), StandardCharsets.UTF_8))
                .flag("data.dir=" + dataDir);
        for (String f : flags) {
            l.flag(f);
        }
        return KinoConfig.from(l.load());
    }

    @Test
    void firstStartGeneratesOwnerOnlySecretsAndLaterStartsReuseThem(@TempDir Path dir) throws IOException {
        KinoConfig c = config(dir);
        Secrets first = SecretStore.resolve(c);
        Path secrets = dir.resolve("secrets");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(secrets.resolve(SecretStore.TOKEN_KEYS_FILE))));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(secrets.resolve(SecretStore.KEK_FILE))));
        assertEquals(32, first.keyEncryptionKey().length);
        assertEquals(1, first.tokenKeys().size());

        Secrets second = SecretStore.resolve(c);
        assertArrayEquals(first.keyEncryptionKey(), second.keyEncryptionKey());
        assertEquals(first.currentTokenKeyId(), second.currentTokenKeyId());
        assertArrayEquals(first.tokenKeys().get(first.currentTokenKeyId()),
                second.tokenKeys().get(second.currentTokenKeyId()));
        assertFalse(first.toString().contains(Arrays.toString(first.keyEncryptionKey())));
    }

    @Test
    void configuredKeysWinAndTheFirstSigns(@TempDir Path dir) throws IOException {
        String a = "new:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String b = "old:" + java.util.Base64.getEncoder().encodeToString(new byte[40]);
        Secrets s = SecretStore.resolve(config(dir, "tokens.keys=" + a + "," + b,
                "keys.keyEncryptionKey=" + java.util.Base64.getEncoder().encodeToString(new byte[16])));
        assertEquals("new", s.currentTokenKeyId());
        assertEquals(2, s.tokenKeys().size());
        assertFalse(Files.exists(dir.resolve("secrets")), "nothing generated when everything is configured");
    }

    @Test
    void shortOrMalformedKeysAreRefusedWithoutShowingThem(@TempDir Path dir) throws IOException {
        String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[8]);
        ConfigException e = assertThrows(ConfigException.class,
                () -> SecretStore.resolve(config(dir, "tokens.keys=k1:" + shortKey)));
        assertEquals("tokens.keys: the key of 'k1' is 8 bytes; at least 32 are required", e.getMessage());
        ConfigException f = assertThrows(ConfigException.class,
                () -> SecretStore.resolve(config(dir, "tokens.keys=nokid")));
        assertTrue(f.getMessage().contains("kid:base64"));
        ConfigException g = assertThrows(ConfigException.class,
                () -> SecretStore.resolve(config(dir, "keys.keyEncryptionKey=***")));
        assertEquals("keys.keyEncryptionKey is not valid base64", g.getMessage());
    }
}
