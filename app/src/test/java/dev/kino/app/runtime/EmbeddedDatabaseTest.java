package dev.kino.app.runtime;

import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.control.db.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's embedded PostgreSQL: it runs from the data directory and keeps its data across restarts. */
class EmbeddedDatabaseTest {

    private static KinoConfig config(Path dataDir) throws IOException {
        return KinoConfig.from(ConfigLoader.withDefaults(Files.readString(Path.of("../config/kino.yaml")))
                .flag("data.dir=" + dataDir).load());
    }

    @Test
    void restartKeepsData(@TempDir Path dataDir) throws IOException {
        KinoConfig config = config(dataDir);
        try (Database db = EmbeddedDatabase.open(config)) {
            assertTrue(db.embedded());
            db.jdbi().useHandle(h -> h.execute("insert into roles (name, description) values ('kept', 'survives restarts')"));
        }
        assertTrue(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION")));
        try (Database db = EmbeddedDatabase.open(config)) {
            String description = db.jdbi().withHandle(h -> h.select("select description from roles where name = 'kept'")
                    .mapTo(String.class).one());
            assertEquals("survives restarts", description);
            assertEquals(EmbeddedDatabase.DATABASE, db.jdbi().withHandle(h -> h.select("select current_database()")
                    .mapTo(String.class).one()));
        }
    }

    @Test
    void onlyPasswordsOpenItAndTheApplicationIsNoSuperuser(@TempDir Path dataDir) throws Exception {
        KinoConfig config = config(dataDir);
        try (Database db = EmbeddedDatabase.open(config)) {
            int port = ((EmbeddedDatabase) db.server()).port();
            assertEquals(EmbeddedDatabase.ROLE, db.jdbi().withHandle(h -> h.select("select current_user")
                    .mapTo(String.class).one()));
            boolean superuser = db.jdbi().withHandle(h -> h.select("select rolsuper from pg_roles where rolname ="
                    + " current_user").mapTo(Boolean.class).one());
            assertFalse(superuser, "the control API is not a superuser");
            boolean creates = db.jdbi().withHandle(h -> h.select("select rolcreaterole or rolcreatedb from pg_roles"
                    + " where rolname = current_user").mapTo(Boolean.class).one());
            assertFalse(creates);
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/kino";
            for (String[] login : new String[][]{{"postgres", ""}, {"postgres", "wrong"}, {"kino", ""}, {"kino", "x"}}) {
                java.sql.SQLException refused = assertThrows(java.sql.SQLException.class,
                        () -> DriverManager.getConnection(url, login[0], login[1]).close(),
                        login[0] + " with '" + login[1] + "' must be refused");
                assertTrue(refused.getMessage().contains("password"), refused.getMessage());
            }
            String superPassword = Files.readString(dataDir.resolve("secrets").resolve(
                    EmbeddedDatabase.SUPERUSER_PASSWORD_FILE)).trim();
            try (Connection c = DriverManager.getConnection(url, "postgres", superPassword)) {
                assertTrue(c.isValid(1), "the superuser's generated password works");
            }
            Path secrets = dataDir.resolve("secrets");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    secrets.resolve(EmbeddedDatabase.ROLE_PASSWORD_FILE))));
            assertTrue(Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf")).contains("scram-sha-256"));
            assertFalse(Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf")).contains("trust"));
        }
    }

    @Test
    void aClusterOfAnOlderKinoIsSecuredInPlace(@TempDir Path dataDir) throws Exception {
        // what an older Kino left: trust authentication, the schema migrated as postgres
        Path pg = dataDir.resolve("postgres");
        Files.createDirectories(pg);
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pg).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("unix_socket_directories", "").start()) {
            try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("create database kino");
            }
            Database migrated = Database.connect(new dev.kino.control.db.DatabaseServer() { // migrated as postgres
                public String jdbcUrl() {
                    return old.getJdbcUrl("postgres", "kino");
                }

                public String user() {
                    return "postgres";
                }

                public String password() {
                    return "";
                }

                public String description() {
                    return "an older Kino's cluster";
                }

                public void close() {
                }
            }, 2);
            migrated.jdbi().useHandle(h -> {
                h.execute("create table legacy (id bigserial primary key, note text)");
                h.execute("insert into legacy (note) values ('from before')");
                h.execute("insert into roles (name, description) values ('legacy-role', 'made by postgres')");
            });
            migrated.close();
        }
        try (Database db = EmbeddedDatabase.open(config(dataDir))) {
            assertEquals("from before", db.jdbi().withHandle(h -> h.select("select note from legacy").mapTo(String.class)
                    .one()));
            db.jdbi().useHandle(h -> h.execute("insert into legacy (note) values ('after')")); // owns table and sequence
            assertEquals("made by postgres", db.jdbi().withHandle(h -> h.select("select description from roles"
                    + " where name = 'legacy-role'").mapTo(String.class).one()), "the migrated schema is kept");
            int port = ((EmbeddedDatabase) db.server()).port();
            assertThrows(java.sql.SQLException.class, () -> DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/kino", "postgres", "").close());
        }
    }
}
