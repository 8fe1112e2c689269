package dev.kino.app.runtime;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.SharedStates;
import dev.kino.control.ControlApi;
import dev.kino.control.db.Database;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.packager.Packager;
import dev.kino.common.secret.Secrets;
import dev.kino.media.MediaServer;
import dev.kino.common.packaging.WorkerIsolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Kino's services for the launcher's commands, each registered with a {@link Lifecycle} so they
 * stop in reverse order. Failures become one-line {@link UserFacingException}s (the cause goes to the log).
 */
public final class Services {
    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    private Services() {
    }

    /** Shared state: Redis when {@code redis.url} is set, the in-process implementation otherwise. */
    public static SharedState sharedState(KinoConfig config, Lifecycle lifecycle) {
        try {
            return lifecycle.add("shared state", SharedStates.create(config.redis()));
        } catch (RuntimeException e) {
            throw new UserFacingException("cannot connect to Redis at " + SharedStates.maskUrl(config.redis().url())
                    + ": " + e.getMessage(), e);
        }
    }

    /** PostgreSQL: the embedded server under {@code <data.dir>/postgres}, or {@code database.url}. */
    public static Database database(KinoConfig config, Lifecycle lifecycle) {
        try {
            // The lifecycle stops it after the services using it, so no shutdown hook of its own.
            return lifecycle.add("database", EmbeddedDatabase.open(config));
        } catch (RuntimeException e) {
            throw new UserFacingException("cannot start the database: " + e.getMessage(), e);
        }
    }

    /**
     * The packager the job workers call: {@code packager.*} settings, content keys wrapped with the key-encryption
     * key of {@code secrets}.
     */
    public static Packager packager(KinoConfig config, Secrets secrets) {
        return Packager.fromConfig(config.packager(), new ContentKeyWrapper(secrets.keyEncryptionKey()));
    }

    /**
     * The control API on {@code control.host:control.port}, signing with {@code secrets} and running {@code workers}
     * packaging jobs at once in this process.
     */
    public static ControlApi controlApi(KinoConfig config, Secrets secrets, Database db, SharedState state,
                                        boolean devMode, int workers, Lifecycle lifecycle) {
        try {
            return lifecycle.add("control API", ControlApi.builder(config, secrets, db, state).devMode(devMode).adminPortFromConfig()
                    .packaging(packager(config, secrets), workers).start());
        } catch (RuntimeException e) {
            throw new UserFacingException("cannot start the control API on " + config.control().host() + ":"
                    + config.control().port() + ": " + rootMessage(e), e);
        }
    }

    /** The media server on {@code media.port} (and {@code media.tls.port}), admin port {@code metrics.port}. */
    public static MediaServer mediaServer(KinoConfig config, Secrets secrets, SharedState state, Lifecycle lifecycle) {
        try {
            return lifecycle.add("media server", MediaServer.start(config, secrets, state));
        } catch (RuntimeException e) {
            throw new UserFacingException("cannot start the media server on " + config.media().host() + ":"
                    + config.media().port() + ": " + rootMessage(e), e);
        }
    }

    /**
     * Everything {@code serve} and {@code demo} run, started in dependency order.
     *
     * @param state shared state
     * @param database the database
     * @param media the media server
     * @param control the control API
     * @param worker the supervised packaging worker process, or null when packaging runs in this process
     */
    public record Running(SharedState state, Database database, MediaServer media, ControlApi control,
                          WorkerProcess worker) {
    }

    /**
     * Starts shared state, the database, the media server and the control API with {@code workers} packaging workers
     * in this process ({@code packager.isolation.mode: in-process}, whatever the configuration says).
     */
    public static Running all(KinoConfig config, Secrets secrets, boolean devMode, int workers, Lifecycle lifecycle) {
        SharedState state = sharedState(config, lifecycle);
        Database db = database(config, lifecycle);
        MediaServer media = mediaServer(config, secrets, state, lifecycle);
        ControlApi control = controlApi(config, secrets, db, state, devMode, workers, lifecycle);
        return new Running(state, db, media, control, null);
    }

    /**
     * Starts what {@code serve} and {@code demo} run, with {@code workers} packaging jobs at once where
     * {@code packager.isolation.mode} says: in a supervised worker process ({@link WorkerProcess}, the default) that
     * loads the same configuration from {@code loaded}'s inputs, or in this process.
     */
    public static Running all(Bootstrap.Loaded loaded, Secrets secrets, boolean devMode, int workers,
                              Lifecycle lifecycle) {
        KinoConfig config = loaded.config();
        if (config.packager().isolation().mode() == WorkerIsolation.IN_PROCESS) {
            LOG.warn("packaging jobs run inside this process (packager.isolation.mode: in-process): a hostile source"
                    + " can take the API's memory with it");
            return all(config, secrets, devMode, workers, lifecycle);
        }
        Running r = all(config, secrets, devMode, 0, lifecycle);
        WorkerProcess worker = workers <= 0 ? null : lifecycle.add("packaging worker process",
                WorkerProcess.start(config, loaded.inputs(), r.database(), r.control().jobs(), r.control().catalog(),
                        workers));
        return new Running(r.state(), r.database(), r.media(), r.control(), worker);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
