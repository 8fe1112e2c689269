package dev.kino.control;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.state.SharedState;
import dev.kino.control.account.AccountRoutes;
import dev.kino.control.admin.AdminRoutes;
import dev.kino.control.auth.AccessTokens;
import dev.kino.control.auth.AuthRoutes;
import dev.kino.control.auth.AuthService;
import dev.kino.control.auth.LoginThrottle;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.auth.PasswordPolicy;
import dev.kino.control.auth.SigningKeys;
import dev.kino.control.auth.TokenAuthenticator;
import dev.kino.control.db.Database;
import dev.kino.control.http.ControlApiServer;
import dev.kino.control.http.OpenApi;
import dev.kino.control.http.Router;
import dev.kino.control.mail.LogMailSender;
import dev.kino.control.mail.MailSender;
import dev.kino.control.mail.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The assembled control API: every feature's routes on one {@link ControlApiServer}. The caller owns the
 * {@link Database} and the {@link SharedState} and closes them after this.
 *
 * <pre>{@code
 * Database db = Database.start(config);
 * SharedState state = SharedStates.create(config.redis());
 * ControlApi api = ControlApi.builder(config, db, state).devMode(flags.dev()).start();
 * ...
 * api.close(); state.close(); db.close();
 * }</pre>
 */
public final class ControlApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

    private final ControlApiServer server;
    private final Outbox outbox;
    private final ScheduledExecutorService scheduler;

    private ControlApi(ControlApiServer server, Outbox outbox, ScheduledExecutorService scheduler) {
        this.server = server;
        this.outbox = outbox;
        this.scheduler = scheduler;
    }

    public static Builder builder(KinoConfig config, Database database, SharedState state) {
        return new Builder(config, database, state);
    }

    /** @return the port the API listens on */
    public int port() {
        return server.port();
    }

    /** @return the mail outbox (tests dispatch it synchronously) */
    public Outbox outbox() {
        return outbox;
    }

    /** Stops the outbox dispatcher and the server; leaves the database and shared state open. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        server.close();
    }

    /** Options of {@link ControlApi}; only the configuration, database and shared state are required. */
    public static final class Builder {
        private final KinoConfig config;
        private final Database database;
        private final SharedState state;
        private Clock clock = Clock.systemUTC();
        private MailSender mailSender;
        private boolean devMode;
        private PasswordHasher.Params passwordParams = PasswordHasher.Params.DEFAULT;
        private Duration outboxInterval = Duration.ofSeconds(5);

        private Builder(KinoConfig config, Database database, SharedState state) {
            this.config = Objects.requireNonNull(config);
            this.database = Objects.requireNonNull(database);
            this.state = Objects.requireNonNull(state);
        }

        /** Time source of token expiry, sessions and bans (tests move it). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Mail delivery; default {@link LogMailSender}. */
        public Builder mailSender(MailSender sender) {
            this.mailSender = sender;
            return this;
        }

        /** Development mode: the log mail sender logs whole mails, links included. Never in production. */
        public Builder devMode(boolean devMode) {
            this.devMode = devMode;
            return this;
        }

        /** Argon2id parameters of new hashes; default {@link PasswordHasher.Params#DEFAULT}. */
        public Builder passwordParams(PasswordHasher.Params params) {
            this.passwordParams = params;
            return this;
        }

        /** How often pending mail is sent; zero disables the dispatcher (tests call it themselves). */
        public Builder outboxInterval(Duration interval) {
            this.outboxInterval = interval;
            return this;
        }

        public ControlApi start() {
            String publicUrl = config.control().publicUrl();
            Outbox outbox = new Outbox(database.jdbi(), mailSender != null ? mailSender : new LogMailSender(devMode), clock);
            AccessTokens tokens = new AccessTokens(SigningKeys.loadOrCreate(config.dataDir()), publicUrl, clock);
            TokenAuthenticator authenticator = new TokenAuthenticator(tokens, database.jdbi(), clock);
            LoginThrottle throttle = new LoginThrottle(state.blocking(Duration.ofSeconds(5)), clock);
            AuthService auth = new AuthService(database.jdbi(), new PasswordHasher(passwordParams), PasswordPolicy.standard(),
                    tokens, authenticator, throttle, outbox, clock, publicUrl);

            Router router = new Router();
            AuthRoutes.register(router, auth);
            AccountRoutes.register(router, database.jdbi(), clock);
            AdminRoutes.register(router, database.jdbi(), clock, authenticator);
            OpenApi.register(router, "Kino control API", "1", publicUrl);

            ControlApiServer server = ControlApiServer.start(config.control(), router, authenticator);
            ScheduledExecutorService scheduler = null;
            if (!outboxInterval.isZero()) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "kino-outbox");
                    t.setDaemon(true);
                    return t;
                });
                scheduler.scheduleWithFixedDelay(() -> {
                    try {
                        outbox.dispatchPending();
                    } catch (RuntimeException e) {
                        LOG.warn("outbox dispatch failed: {}", e.toString());
                    }
                }, outboxInterval.toMillis(), outboxInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (devMode) {
                LOG.warn("development mode: mails (with their single-use links) are written to the log");
            }
            return new ControlApi(server, outbox, scheduler);
        }
    }
}
