package dev.kino.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kino.app.runtime.EmbeddedDatabase;
import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.db.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./kino admin create}: the operator's first administrator, signed in through the real API; nobody else's. */
class AdminCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void createsAnAdministratorWhoSignsInAndRegistrationNeverDoes(@TempDir Path dataDir) throws Exception {
        Run created = run("admin", "create", "--email", "ops@example.org", "--set", "data.dir=" + dataDir);
        assertEquals(0, created.exit(), created.err());
        Matcher m = Pattern.compile("password: (\\S+)").matcher(created.out());
        assertTrue(m.find(), created.out());
        String password = m.group(1);
        assertTrue(created.out().contains("created administrator ops <ops@example.org>"), created.out());

        Run again = run("admin", "create", "--email", "ops@example.org", "--username", "other",
                "--set", "data.dir=" + dataDir);
        assertEquals(1, again.exit());
        assertTrue(again.err().startsWith("kino: ") && again.err().contains("ops@example.org"), again.err());
        assertFalse(again.err().contains("Exception"), again.err());
        assertEquals(2, run("admin", "create").exit(), "--email is required");

        KinoConfig config = KinoConfig.from(ConfigLoader.withDefaults(Files.readString(Path.of("../config/kino.yaml")))
                .flag("data.dir=" + dataDir).flag("control.port=0").load());
        try (Database db = EmbeddedDatabase.open(config); InProcessSharedState state = new InProcessSharedState();
             ControlApi api = ControlApi.builder(config, SecretStore.resolve(config), db, state).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + api.port() + "/api/v1";
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"login\":\"ops@example.org\",\"password\":\"" + password + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
            String token = JSON.readTree(login.body()).get("accessToken").asText();
            JsonNode me = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/me"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(me.get("roles").toString().contains("admin"), me.toString());
            assertTrue(me.get("emailVerified").asBoolean());
            // on this instance, with an administrator already or not, registration gives "user" only
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/register"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"eve@example.org\",\"username\":\"eve\",\"password\":\"a long and fine passphrase\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, registered.statusCode(), registered.body());
            assertEquals("[\"user\"]", JSON.readTree(registered.body()).get("roles").toString());
        }
    }
}
