package dev.kino.control.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kino.common.config.KinoConfig;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

/**
 * The control API's PostgreSQL: pooled and migrated in one call, from a JDBC URL. Flyway applies
 * {@code classpath:db/migration} before {@code connect} returns.
 *
 * <p>Two ways in: {@link #connect(KinoConfig.Database)} with {@code database.url}, {@code database.user} and
 * {@code database.password}; or {@link #connect(DatabaseServer, int)} with a server the caller runs (the launcher's
 * embedded PostgreSQL when {@code database.url} is empty; a test's), which {@link #close()} then stops. Starting a
 * server is never this module's business: the embedded PostgreSQL library is the launcher's and the tests'.
 *
 * <pre>{@code
 * try (Database db = Database.connect(config.database())) {
 *     db.jdbi().withHandle(h -> h.select("select 1").mapTo(int.class).one());
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final DatabaseServer server;
    private final Jdbi jdbi;

    private Database(HikariDataSource pool, DatabaseServer server) {
        this.pool = pool;
        this.server = server;
        this.jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
    }

    /**
     * Connects to the external PostgreSQL of {@code database.url}, opens the pool and migrates the schema.
     *
     * @param config {@code database.*}
     * @return the ready database
     * @throws DatabaseException when {@code database.url} is empty (the launcher runs the embedded server then), or
     *                           naming what failed: the connection or a migration
     */
    public static Database connect(KinoConfig.Database config) {
        if (config.embedded()) {
            throw new DatabaseException("database.url is empty: the launcher starts the embedded PostgreSQL and "
                    + "connects with Database.connect(DatabaseServer, poolSize)", null);
        }
        return open(config.url(), config.user(), config.password().isEmpty() ? "" : config.password().reveal(),
                config.poolSize(), null, "PostgreSQL at " + config.url() + " as " + config.user());
    }

    /**
     * Connects to a server the caller runs, opens the pool and migrates the schema. {@link #close()} stops the
     * server after the pool; so does a failure here.
     *
     * @param server the running server
     * @param poolSize most connections ({@code database.poolSize})
     * @return the ready database
     * @throws DatabaseException naming what failed: the connection or a migration
     */
    public static Database connect(DatabaseServer server, int poolSize) {
        return open(server.jdbcUrl(), server.user(), server.password(), poolSize, server, server.description());
    }

    private static Database open(String url, String user, String password, int poolSize, DatabaseServer server,
                                 String where) {
        HikariDataSource pool = null;
        try {
            HikariConfig hikari = new HikariConfig();
            hikari.setPoolName("kino-control");
            hikari.setMaximumPoolSize(poolSize);
            hikari.setJdbcUrl(url);
            hikari.setUsername(user);
            if (password != null && !password.isEmpty()) {
                hikari.setPassword(password);
            }
            pool = new HikariDataSource(hikari);
            migrate(pool);
            LOG.info("database: {}", where);
            return new Database(pool, server);
        } catch (RuntimeException e) {
            closeQuietly(pool, server);
            if (e instanceof DatabaseException de) {
                throw de;
            }
            throw new DatabaseException("cannot connect to the database (" + where + "): " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource) {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new DatabaseException("database migration failed: " + e.getMessage(), e);
        }
    }

    /** @return Jdbi over the pool, with the PostgreSQL plugin (uuid, arrays, java.time) installed */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** @return the pooled data source */
    public DataSource dataSource() {
        return pool;
    }

    /** @return the server this process runs and connects to, or null for an external database */
    public DatabaseServer server() {
        return server;
    }

    /** @return true when this process runs the PostgreSQL server it uses */
    public boolean embedded() {
        return server != null;
    }

    /** Closes the pool, then stops the server if this process runs it. */
    @Override
    public void close() {
        closeQuietly(pool, server);
    }

    private static void closeQuietly(HikariDataSource pool, DatabaseServer server) {
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            try {
                server.close();
            } catch (RuntimeException e) {
                LOG.warn("{} did not stop cleanly: {}", server.description(), e.toString());
            }
        }
    }
}
