package dev.kino.app.runtime;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.db.Database;
import dev.kino.control.db.DatabaseException;
import dev.kino.control.db.DatabaseServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL 17 that {@code serve}, {@code demo}, {@code control-api} and {@code worker} run themselves when
 * {@code database.url} is empty: data kept across restarts under {@code <data.dir>/postgres}, listening on
 * 127.0.0.1 only (no Unix socket), on {@code database.embeddedPort} or a free port, with the control API's own
 * {@value #DATABASE} database in it. The control API connects to it as to any server
 * ({@link Database#connect(DatabaseServer, int)}) and stops it when the database closes.
 *
 * <pre>{@code
 * try (Database db = EmbeddedDatabase.open(config)) { ... }   // embedded or database.url, as configured
 * }</pre>
 */
public final class EmbeddedDatabase implements DatabaseServer {
    /** Name of the database created inside the embedded server. */
    public static final String DATABASE = "kino";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dir;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dir) {
        this.postgres = postgres;
        this.dir = dir;
    }

    /**
     * Opens the configured database: the embedded server when {@code database.url} is empty, else the external one.
     *
     * @param config {@code database.*} and {@code data.dir}
     * @return the connected, migrated database (closing it stops the embedded server)
     * @throws DatabaseException naming what failed
     */
    public static Database open(KinoConfig config) {
        KinoConfig.Database db = config.database();
        if (!db.embedded()) {
            return Database.connect(db);
        }
        // The launcher's lifecycle stops it after the services using it: no JVM shutdown hook of its own.
        return Database.connect(start(config.dataDir().resolve("postgres"), db.embeddedPort(), false), db.poolSize());
    }

    /**
     * Starts the server over {@code dir} (created when missing; an existing cluster is reused as is).
     *
     * @param port TCP port on 127.0.0.1, 0 for any free one
     * @param stopOnJvmExit let the server stop itself when the JVM exits; false when the caller stops it in its own
     *                      shutdown sequence, so that it does not stop under the services still using it
     * @throws DatabaseException when it cannot start
     */
    public static EmbeddedDatabase start(Path dir, int port, boolean stopOnJvmExit) {
        EmbeddedPostgres postgres = null;
        try {
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
            postgres = builder.start();
            ensureDatabase(postgres.getPostgresDatabase(), DATABASE);
            LOG.info("embedded PostgreSQL running from {} on 127.0.0.1:{}", dir, postgres.getPort());
            return new EmbeddedDatabase(postgres, dir);
        } catch (IOException | SQLException | RuntimeException e) {
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the start failure is the one worth reporting
                }
            }
            throw new DatabaseException("cannot start the database (embedded PostgreSQL under " + dir + "): "
                    + e.getMessage(), e);
        }
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

    /** @return the TCP port it listens on (127.0.0.1) */
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", DATABASE);
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public String description() {
        return "embedded PostgreSQL under " + dir + " on 127.0.0.1:" + postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL under " + dir + " did not stop cleanly", e);
        }
    }
}
