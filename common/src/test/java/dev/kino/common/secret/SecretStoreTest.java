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
import java.security.Signature;
import java.util.Arrays;
import java.util.List;

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
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(secrets.resolve(SecretStore.ACCESS_TOKEN_KEYS_FILE))));
        assertEquals(32, first.keyEncryptionKey().length);
        assertEquals(1, first.tokenKeys().size());
        assertEquals(1, first.accessTokenKeys().size());
        assertTrue(first.accessTokenKeys().get(0).keyId().matches("jwt-\\d{8}-[0-9a-f]{6}"),
                first.accessTokenKeys().get(0).keyId());

        Secrets second = SecretStore.resolve(c);
        assertArrayEquals(first.keyEncryptionKey(), second.keyEncryptionKey());
        assertEquals(first.currentTokenKeyId(), second.currentTokenKeyId());
        assertArrayEquals(first.tokenKeys().get(first.currentTokenKeyId()),
                second.tokenKeys().get(second.currentTokenKeyId()));
        assertEquals(first.accessTokenKeys().get(0).keyId(), second.accessTokenKeys().get(0).keyId());
        assertEquals(first.accessTokenKeys().get(0).privateKey().getS(), second.accessTokenKeys().get(0).privateKey().getS());
        assertEquals(first.accessTokenKeys().get(0).publicKey().getW(), second.accessTokenKeys().get(0).publicKey().getW());
        assertFalse(first.toString().contains(Arrays.toString(first.keyEncryptionKey())));
        String d = first.accessTokenKeys().get(0).privateKey().getS().toString(16);
        assertFalse(first.toString().contains(d) || first.accessTokenKeys().get(0).toString().contains(d),
                "the private key is never printed");
    }

    @Test
    void accessTokenKeysAreOneJwkSetWhoseFirstKeySigns(@TempDir Path dir) throws Exception {
        AccessTokenKey current = SecretStore.newAccessTokenKey();
        AccessTokenKey previous = SecretStore.newAccessTokenKey();
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve(SecretStore.ACCESS_TOKEN_KEYS_FILE),
                SecretStore.jwkSet(List.of(current, previous)));
        List<AccessTokenKey> keys = SecretStore.resolve(config(dir)).accessTokenKeys();
        assertEquals(List.of(current.keyId(), previous.keyId()), keys.stream().map(AccessTokenKey::keyId).toList());
        // A signature by the stored private key verifies with the stored public key of the same kid.
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.get(1).privateKey());
        s.update(new byte[]{1, 2, 3});
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(previous.publicKey());
        v.update(new byte[]{1, 2, 3});
        assertTrue(v.verify(sig));
    }

    @Test
    void aBrokenAccessTokenKeyFileStopsStartUpNamingTheFileAndKeyButNoKeyMaterial(@TempDir Path dir) throws IOException {
        Path file = Files.createDirectories(dir.resolve("secrets")).resolve(SecretStore.ACCESS_TOKEN_KEYS_FILE);
        AccessTokenKey a = SecretStore.newAccessTokenKey();
        AccessTokenKey b = SecretStore.newAccessTokenKey();
        // a's kid with b's private key: the pair does not match
        String mixed = SecretStore.jwkSet(List.of(a)).replaceFirst("\"d\":\"[^\"]+\"",
                SecretStore.jwkSet(List.of(b)).replaceFirst("(?s).*(\"d\":\"[^\"]+\").*", "$1"));
        Files.writeString(file, mixed);
        ConfigException e = assertThrows(ConfigException.class, () -> SecretStore.resolve(config(dir)));
        assertEquals("the access token keys " + file + ": key '" + a.keyId() + "' is not a usable EC P-256 key: "
                + "its public key (x, y) does not belong to its private key d", e.getMessage());
        Files.writeString(file, "{\"keys\":[]}");
        assertEquals("the access token keys " + file + " hold no EC P-256 private key with a kid",
                assertThrows(ConfigException.class, () -> SecretStore.resolve(config(dir))).getMessage());
        Files.writeString(file, "not json");
        assertTrue(assertThrows(ConfigException.class, () -> SecretStore.resolve(config(dir))).getMessage()
                .startsWith("the access token keys " + file + " are not a JSON JWK set"));
    }

    @Test
    void configuredKeysWinAndTheFirstSigns(@TempDir Path dir) throws IOException {
        String a = "new:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String b = "old:" + java.util.Base64.getEncoder().encodeToString(new byte[40]);
        Secrets s = SecretStore.resolve(config(dir, "tokens.keys=" + a + "," + b,
                "keys.keyEncryptionKey=" + java.util.Base64.getEncoder().encodeToString(new byte[16])));
        assertEquals("new", s.currentTokenKeyId());
        assertEquals(2, s.tokenKeys().size());
        // Only the access token keys, which have no configuration key, are generated.
        try (var files = Files.list(dir.resolve("secrets"))) {
            assertEquals(List.of(SecretStore.ACCESS_TOKEN_KEYS_FILE),
                    files.map(f -> f.getFileName().toString()).toList());
        }
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
