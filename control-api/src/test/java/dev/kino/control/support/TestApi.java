package dev.kino.control.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.control.ControlApi;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.mail.Mail;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole control API on the shared embedded PostgreSQL, with a movable clock, cheap Argon2 parameters and
 * captured mail. Two nodes, each started once per test run on first use: {@link #inProcess()} with in-process
 * shared state (what the static methods use) and {@link #redis()} with {@link SharedRedis}, a real redis-server.
 * Both use the same database, signing keys, clock and mail list, like two nodes of one deployment.
 */
public final class TestApi {
    public static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    public static final List<Mail> MAILS = new CopyOnWriteArrayList<>();
    private static Node inProcess;
    private static Node redis;
    /** Roles the first account got at registration. */
    public static String BOOTSTRAP_ROLES;

    private TestApi() {
    }

    /** @return the node with in-process shared state */
    public static synchronized Node inProcess() {
        if (inProcess == null) {
            inProcess = new Node(() -> new InProcessSharedState(CLOCK), false);
        }
        return inProcess;
    }

    /**
     * A node of its own (not the shared one), for a benchmark that measures a real node's settings rather than the
     * tests' (say {@code control.blockingThreads=16}, the shipped default, where the tests use 4).
     *
     * @param flags configuration flags applied over the tests' configuration
     */
    public static Node node(String... flags) {
        return new Node(() -> new InProcessSharedState(CLOCK), false, flags);
    }

    /** @return the node whose shared state (rate limits, lockouts, leases) is on a real Redis server */
    public static synchronized Node redis() {
        if (redis == null) {
            redis = new Node(SharedRedis::newState, true);
        }
        return redis;
    }

    /** One running control API and a client of it. */
    public static final class Node {
        private final ControlApi api;
        private final SharedState state;
        private final Http http;
        private final boolean onRedis;

        private Node(Supplier<SharedState> stateFactory, boolean onRedis, String... flags) {
            this.onRedis = onRedis;
            this.state = stateFactory.get();
            // the launcher's part: secrets resolved once (the same data directory, so both nodes share the keys)
            this.api = ControlApi.builder(SharedDatabase.config(flags), SecretStore.resolve(SharedDatabase.config()),
                            SharedDatabase.get(), state)
                    .clock(CLOCK).mailSender(MAILS::add).passwordParams(PasswordHasher.Params.FAST_INSECURE)
                    .outboxInterval(Duration.ZERO).notificationRounds(Duration.ZERO).recommendInterval(Duration.ZERO)
                    .analyticsRounds(Duration.ZERO)
                    .notificationStreams(Duration.ofSeconds(2), Duration.ofMillis(500)).start();
            this.http = new Http(api.port());
            // the first registration of a fresh database: AdminTest checks it got no more than "user"
            Http.Resp first = register("bootstrap", "bootstrap@example.org", "first seat of the house");
            if (BOOTSTRAP_ROLES == null) {
                BOOTSTRAP_ROLES = first.status() == 201 ? first.json().get("roles").toString() : "(already registered)";
            }
        }

        public ControlApi api() {
            return api;
        }

        public Http http() {
            return http;
        }

        public SharedState state() {
            return state;
        }

        /** @return true when this node's shared state is on Redis */
        public boolean onRedis() {
            return onRedis;
        }

        /** Lets time pass: the clock moves, and on Redis the stored keys age by as much (Redis has its own clock). */
        public void elapse(Duration d) {
            CLOCK.advance(d);
            if (onRedis) {
                SharedRedis.elapse(d);
            }
        }

        public void resetRateLimit(String key) {
            state.blocking(Duration.ofSeconds(5)).resetRateLimit(key);
        }

        public Http.Resp register(String username, String email, String password) {
            resetRateLimit("register:ip:127.0.0.1");
            return http.post("/api/v1/auth/register", null, Map.of("email", email, "username", username, "password", password));
        }

        public Http.Resp login(String login, String password) {
            resetRateLimit("login:ip:127.0.0.1");
            return http.post("/api/v1/auth/login", null, Map.of("login", login, "password", password));
        }

        /**
         * Registers and logs in a new user whose e-mail address counts as confirmed (the shipped
         * {@code control.requireVerifiedEmail} needs one to comment, post and check out).
         */
        public User newUser() {
            User u = newUnverifiedUser();
            SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate(
                    "update accounts set email_verified_at = now() where id = :id").bind("id", u.id()).execute());
            return u;
        }

        /** Registers and logs in a new user who has not followed the confirmation link. */
        public User newUnverifiedUser() {
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
        public User withRole(User u, String role) {
            SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate(
                    "insert into account_roles (account_id, role_name) values (:id, :r) on conflict do nothing")
                    .bind("id", u.id()).bind("r", role).execute());
            JsonNode t = login(u.username(), u.password()).json();
            return new User(u.id(), u.username(), u.email(), u.password(), t.get("accessToken").asText(),
                    t.get("refreshToken").asText(), UUID.fromString(t.get("sessionId").asText()));
        }

        /** Sends pending mail and returns the token of the last mail of that kind to that address. */
        public String mailedToken(String email, String kind) {
            api.outbox().dispatchPending();
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

    // ---- the in-process node, for tests that need one node and no Redis -------------------------------

    public static ControlApi api() {
        return inProcess().api();
    }

    public static Http http() {
        return inProcess().http();
    }

    public static SharedState state() {
        return inProcess().state();
    }

    /** A registered account and its tokens. */
    public record User(UUID id, String username, String email, String password, String accessToken,
                       String refreshToken, UUID sessionId) {
    }

    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public static Http.Resp register(String username, String email, String password) {
        return inProcess().register(username, email, password);
    }

    public static Http.Resp login(String login, String password) {
        return inProcess().login(login, password);
    }

    /** Registers and logs in a new user whose e-mail address counts as confirmed. */
    public static User newUser() {
        return inProcess().newUser();
    }

    /** Registers and logs in a new user who has not confirmed the e-mail address. */
    public static User newUnverifiedUser() {
        return inProcess().newUnverifiedUser();
    }

    /** Gives a user a role directly in the database and logs in again so the token carries it. */
    public static User withRole(User u, String role) {
        return inProcess().withRole(u, role);
    }

    /** Sends pending mail and returns the token of the last mail of that kind to that address. */
    public static String mailedToken(String email, String kind) {
        return inProcess().mailedToken(email, kind);
    }
}
