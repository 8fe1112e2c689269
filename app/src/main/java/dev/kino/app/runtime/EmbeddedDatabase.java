package dev.kino.app.runtime;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.control.db.Database;
import dev.kino.control.db.DatabaseException;
import dev.kino.control.db.DatabaseServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
 * <p>Any local user can reach 127.0.0.1, so the server asks for passwords: {@code pg_hba.conf} allows only
 * {@code scram-sha-256} (RFC 7677) over TCP, the superuser {@code postgres} has a generated password, and the control
 * API connects as the role {@value #ROLE}, which owns the {@value #DATABASE} database and nothing else (no superuser,
 * no role or database creation). Both passwords are generated into the data directory's secrets folder
 * ({@value #SUPERUSER_PASSWORD_FILE}, {@value #ROLE_PASSWORD_FILE}; owner-only). A cluster made by an older Kino (trust
 * authentication, everything owned by {@code postgres}) is secured the same way on its first start.
 *
 * <pre>{@code
 * try (Database db = EmbeddedDatabase.open(config)) { ... }   // embedded or database.url, as configured
 * }</pre>
 */
public final class EmbeddedDatabase implements DatabaseServer {
    /** Name of the database created inside the embedded server. */
    public static final String DATABASE = "kino";
    /** The role the control API connects as. */
    public static final String ROLE = "kino";
    /** Secrets file of the superuser's password. */
    public static final String SUPERUSER_PASSWORD_FILE = "postgres-superuser-password";
    /** Secrets file of {@value #ROLE}'s password. */
    public static final String ROLE_PASSWORD_FILE = "postgres-kino-password";
    private static final String HBA = """
            # Written by Kino at every start of its embedded PostgreSQL: passwords (SCRAM-SHA-256) over TCP only.
            # The server listens on 127.0.0.1 and has no Unix socket; any local user can reach the port.
            host    all    all    127.0.0.1/32    scram-sha-256
            host    all    all    ::1/128         scram-sha-256
            """;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dir;
    private final String rolePassword;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dir, String rolePassword) {
        this.postgres = postgres;
        this.dir = dir;
        this.rolePassword = rolePassword;
    }

    /**
     * The passwords of the embedded server.
     *
     * @param superuser the superuser {@code postgres}'s
     * @param role the application role {@value #ROLE}'s
     */
    public record Passwords(String superuser, String role) {
        @Override
        public String toString() {
            return "Passwords[…]";
        }
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
        Passwords passwords = new Passwords(SecretStore.generatedPassword(config.dataDir(), SUPERUSER_PASSWORD_FILE),
                SecretStore.generatedPassword(config.dataDir(), ROLE_PASSWORD_FILE));
        return Database.connect(start(config.dataDir().resolve("postgres"), db.embeddedPort(), false, passwords),
                db.poolSize());
    }

    /**
     * Starts the server over {@code dir} (created when missing; an existing cluster is reused as is).
     *
     * @param port TCP port on 127.0.0.1, 0 for any free one
     * @param stopOnJvmExit let the server stop itself when the JVM exits; false when the caller stops it in its own
     *                      shutdown sequence, so that it does not stop under the services still using it
     * @param passwords the superuser's and the application role's passwords
     * @throws DatabaseException when it cannot start, or refuses the superuser password (the secrets folder was
     *                           replaced)
     */
    public static EmbeddedDatabase start(Path dir, int port, boolean stopOnJvmExit, Passwords passwords) {
        EmbeddedPostgres postgres = null;
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(stopOnJvmExit)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // a cluster still on trust ignores it; a secured one needs it for the library's readiness check
                    .setConnectConfig("password", passwords.superuser());
            if (port != 0) {
                builder.setPort(port);
            }
            postgres = builder.start();
            secure(postgres, dir, passwords);
            LOG.info("embedded PostgreSQL running from {} on 127.0.0.1:{} (SCRAM passwords, application role {})", dir,
                    postgres.getPort(), ROLE);
            return new EmbeddedDatabase(postgres, dir, passwords.role());
        } catch (IOException | SQLException | RuntimeException e) {
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the start failure is the one worth reporting
                }
            }
            String why = e.getMessage();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains("password authentication failed")) {
                    why = "it refused the password in " + SUPERUSER_PASSWORD_FILE + " of the secrets folder (was the"
                            + " secrets folder replaced or deleted? restore it)";
                }
            }
            throw new DatabaseException("cannot start the database (embedded PostgreSQL under " + dir + "): " + why, e);
        }
    }

    /**
     * Sets the passwords, makes the application role own its database and what is in it, then allows only SCRAM
     * logins. Idempotent: every start runs it, so an older trust-authenticated cluster is upgraded in place.
     */
    private static void secure(EmbeddedPostgres postgres, Path dir, Passwords passwords) throws SQLException, IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            // NOTE: passwords are generated base64url (no quote can occur); names are constants, never input
            s.execute("alter role postgres with password '" + passwords.superuser() + "'");
            boolean roleExists;
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + ROLE + "'")) {
                roleExists = rs.next();
            }
            s.execute((roleExists ? "alter role " : "create role ") + ROLE + " with login nosuperuser nocreatedb"
                    + " nocreaterole noreplication nobypassrls password '" + passwords.role() + "'");
            boolean dbExists;
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                dbExists = rs.next();
            }
            s.execute(dbExists ? "alter database " + DATABASE + " owner to " + ROLE
                    : "create database " + DATABASE + " owner " + ROLE);
        }
        // what an older Kino migrated as postgres moves to the application role (tables take their sequences along)
        try (Connection c = postgres.getDatabase("postgres", DATABASE).getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    do $$
                    declare r record;
                    begin
                      for r in select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
                                  and pg_get_userbyid(c.relowner) <> '%s' loop
                        execute format('alter %%s public.%%I owner to %s',
                                       case r.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                                      else 'table' end, r.relname);
                      end loop;
                    end $$""".formatted(ROLE, ROLE));
            s.execute("alter schema public owner to " + ROLE);
        }
        Path hba = dir.resolve("pg_hba.conf");
        if (!HBA.equals(Files.exists(hba) ? Files.readString(hba) : "")) {
            Files.writeString(hba, HBA);
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("select pg_reload_conf()");
            }
        }
    }

    /** @return the TCP port it listens on (127.0.0.1) */
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl(ROLE, DATABASE);
    }

    @Override
    public String user() {
        return ROLE;
    }

    @Override
    public String password() {
        return rolePassword;
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
