package dev.kino.control;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.AccessTokenKey;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.secret.Secrets;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One secret store: the control API signs with the secrets the launcher resolved and reads no secret file itself. */
class ControlApiSecretsTest {

    @Test
    void theApiSignsAccessTokensWithTheSecretsItIsGivenAndWritesNoSecretOfItsOwn(@TempDir Path apiDataDir,
                                                                              @TempDir Path launcherDataDir)
            throws Exception {
        TestApi.api();
        KinoConfig config = TestConfigs.config(apiDataDir);
        Secrets secrets = SecretStore.resolve(TestConfigs.config(launcherDataDir));
        AccessTokenKey key = secrets.accessTokenKeys().get(0);
        try (InProcessSharedState state = new InProcessSharedState();
             ControlApi api = ControlApi.builder(config, secrets, SharedDatabase.get(), state)
                     .passwordParams(PasswordHasher.Params.FAST_INSECURE).outboxInterval(Duration.ZERO).start()) {
            Http http = new Http(api.port());
            String name = "secrets" + UUID.randomUUID().toString().substring(0, 8);
            assertEquals(201, http.post("/api/v1/auth/register", null, Map.of("email", name + "@example.org",
                    "username", name, "password", "a long enough passphrase")).status());
            Http.Resp login = http.post("/api/v1/auth/login", null, Map.of("login", name,
                    "password", "a long enough passphrase"));
            assertEquals(200, login.status(), login.text());
            SignedJWT token = SignedJWT.parse(login.json().path("accessToken").asText());
            assertEquals(key.keyId(), token.getHeader().getKeyID());
            assertTrue(token.verify(new ECDSAVerifier(key.publicKey())), "signed with the given private key");
            assertEquals(200, http.get("/api/v1/me", token.serialize()).status());
        }
        assertFalse(Files.exists(SecretStore.directory(apiDataDir)), "no secrets folder under the API's data.dir");
    }

    @Test
    void secretsWithoutAccessTokenKeysAreRefusedAtStart() {
        Secrets mediaServerOnly = new Secrets(Map.of("k1", new byte[32]), new byte[16]);
        try (InProcessSharedState state = new InProcessSharedState()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ControlApi.builder(SharedDatabase.config(), mediaServerOnly, SharedDatabase.get(), state));
            assertTrue(e.getMessage().contains("access token keys"), e.getMessage());
        }
    }
}
