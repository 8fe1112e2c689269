package dev.kino.control.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.mail.Mail;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole control API on the shared embedded PostgreSQL, started once per test run, with a movable
 * clock, in-process shared state, cheap Argon2 parameters and captured mail.
 */
public final class TestApi {
    public static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    public static final List<Mail> MAILS = new CopyOnWriteArrayList<>();
    private static ControlApi api;
    private static SharedState state;
    private static Http http;
    /** Roles the first account got at registration. */
    public static String BOOTSTRAP_ROLES;

    private TestApi() {
    }

    public static synchronized ControlApi api() {
        if (api == null) {
            state = new InProcessSharedState(CLOCK);
            api = ControlApi.builder(SharedDatabase.config(), SharedDatabase.get(), state)
                    .clock(CLOCK).mailSender(MAILS::add).passwordParams(PasswordHasher.Params.FAST_INSECURE)
                    .outboxInterval(java.time.Duration.ZERO).start();
            http = new Http(api.port());
            // the first account of a fresh database becomes admin: take that seat so tests' users are plain users
            Http.Resp first = register("bootstrap", "bootstrap@example.org", "first seat of the house");
            BOOTSTRAP_ROLES = first.status() == 201 ? first.json().get("roles").toString() : "(already registered)";
        }
        return api;
    }

    public static Http http() {
        api();
        return http;
    }

    public static SharedState state() {
        api();
        return state;
    }

    /** A registered account and its tokens. */
    public record User(UUID id, String username, String email, String password, String accessToken,
                       String refreshToken, UUID sessionId) {
    }

    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public static Http.Resp register(String username, String email, String password) {
        state().blocking(java.time.Duration.ofSeconds(5)).resetRateLimit("register:ip:127.0.0.1");
        return http().post("/api/v1/auth/register", null, Map.of("email", email, "username", username, "password", password));
    }

    public static Http.Resp login(String login, String password) {
        state().blocking(java.time.Duration.ofSeconds(5)).resetRateLimit("login:ip:127.0.0.1");
        return http().post("/api/v1/auth/login", null, Map.of("login", login, "password", password));
    }

    /** Registers and logs in a new user. */
    public static User newUser() {
        String username = unique("u");
        String email = username + "@example.org";
        String password = "correct horse battery " + UUID.randomUUID();
        Http.Resp r = register(username, email, password);
        assertEquals(201, r.status(), r.text());
        UUID id = UUID.fromString(r.json().get("id").asText());
        JsonNode t = login(username, password).json();
        return new User(id, username, email, password, t.get("accessToken").asText(), t.get("refreshToken").asText(),
                UUID.fromString(t.get("sessionId").asText()));
    }

    /** Gives a user a role directly in the database and logs in again so the token carries it. */
    public static User withRole(User u, String role) {
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate(
                "insert into account_roles (account_id, role_name) values (:id, :r) on conflict do nothing")
                .bind("id", u.id()).bind("r", role).execute());
        JsonNode t = login(u.username(), u.password()).json();
        return new User(u.id(), u.username(), u.email(), u.password(), t.get("accessToken").asText(),
                t.get("refreshToken").asText(), UUID.fromString(t.get("sessionId").asText()));
    }

    /** Sends pending mail and returns the token of the last mail of that kind to that address. */
    public static String mailedToken(String email, String kind) {
        api().outbox().dispatchPending();
        Pattern p = Pattern.compile("token=([A-Za-z0-9_-]+)");
        for (int i = MAILS.size() - 1; i >= 0; i--) {
            Mail m = MAILS.get(i);
            if (m.recipient().equals(email) && m.kind().equals(kind)) {
                Matcher matcher = p.matcher(m.body());
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
        }
        throw new AssertionError("no " + kind + " mail to " + email);
    }
}
