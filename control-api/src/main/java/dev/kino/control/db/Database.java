package dev.kino.control.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kino.common.config.KinoConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The control API's PostgreSQL: started, pooled and migrated in one call.
 *
 * <p>With {@code database.url} empty an embedded PostgreSQL 17 runs from {@code <data.dir>/postgres}
 * (kept across restarts, listening on 127.0.0.1 only, port {@code database.embeddedPort} or a free one)
 * and the control API uses its own {@value #EMBEDDED_DATABASE} database in it. Otherwise the configured
 * URL, user and password are used. Either way Flyway applies {@code classpath:db/migration} before
 * {@link #start} returns.
 *
 * <pre>{@code
 * try (Database db = Database.start(config)) {
 *     db.jdbi().withHandle(h -> h.select("select 1").mapTo(int.class).one());
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {
    /** Name of the database created inside the embedded server. */
    public static final String EMBEDDED_DATABASE = "kino";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
    }

    /**
     * Starts (or connects to) PostgreSQL, opens the pool and migrates the schema.
     *
     * @param config the effective configuration ({@code database.*} and {@code data.dir})
     * @return the ready database
     * @throws DatabaseException naming what failed: the embedded server, the connection or a migration
     */
    public static Database start(KinoConfig config) {
        return start(config, true);
    }

    /**
     * As {@link #start(KinoConfig)}.
     *
     * @param config the effective configuration
     * @param stopOnJvmExit let the embedded server stop itself when the JVM exits; false when the caller closes
     *                      this database in its own shutdown sequence (the launcher does), so the server does not
     *                      stop under the services still using it
     * @return the ready database
     */
    public static Database start(KinoConfig config, boolean stopOnJvmExit) {
        KinoConfig.Database db = config.database();
        EmbeddedPostgres embedded = null;
        HikariDataSource pool = null;
        try {
            HikariConfig hikari = new HikariConfig();
            hikari.setPoolName("kino-control");
            hikari.setMaximumPoolSize(db.poolSize());
            if (db.embedded()) {
                Path dir = config.dataDir().resolve("postgres");
                embedded = startEmbedded(dir, db.embeddedPort(), stopOnJvmExit);
                ensureDatabase(embedded.getPostgresDatabase(), EMBEDDED_DATABASE);
                hikari.setJdbcUrl(embedded.getJdbcUrl("postgres", EMBEDDED_DATABASE));
                hikari.setUsername("postgres");
                LOG.info("embedded PostgreSQL running from {} on 127.0.0.1:{}", dir, embedded.getPort());
            } else {
                hikari.setJdbcUrl(db.url());
                hikari.setUsername(db.user());
                if (!db.password().isEmpty()) {
                    hikari.setPassword(db.password().reveal());
                }
            }
            pool = new HikariDataSource(hikari);
            migrate(pool);
            return new Database(embedded, pool);
        } catch (RuntimeException | IOException | SQLException e) {
            closeQuietly(pool, embedded);
            if (e instanceof DatabaseException de) {
                throw de;
            }
            String where = db.embedded() ? "embedded PostgreSQL under " + config.dataDir().resolve("postgres")
                    : "PostgreSQL at " + db.url() + " as " + db.user();
            throw new DatabaseException("cannot start the database (" + where + "): " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgres startEmbedded(Path dir, int port, boolean stopOnJvmExit) throws IOException {
        Files.createDirectories(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(stopOnJvmExit)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "");
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    private static void ensureDatabase(DataSource admin, String name) throws SQLException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database " + name); // NOTE: a constant, never user input
            }
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

    /** @return true when this process runs the PostgreSQL server itself */
    public boolean embedded() {
        return embedded != null;
    }

    /** @return the port of the embedded server, or -1 when connected to an external one */
    public int embeddedPort() {
        return embedded == null ? -1 : embedded.getPort();
    }

    /** Closes the pool, then stops the embedded server if there is one. */
    @Override
    public void close() {
        closeQuietly(pool, embedded);
    }

    private static void closeQuietly(HikariDataSource pool, EmbeddedPostgres embedded) {
        if (pool != null) {
            pool.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
            }
        }
    }
}
