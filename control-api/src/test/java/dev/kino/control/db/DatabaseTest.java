package dev.kino.control.db;

import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {

    @Test
    void migrationsApplyToTheSharedDatabase() {
        int tables = SharedDatabase.get().jdbi().withHandle(h -> h.select(
                "select count(*) from information_schema.tables where table_name in ('accounts','sessions','outbox','roles')")
                .mapTo(int.class).one());
        assertEquals(4, tables);
        assertTrue(SharedDatabase.get().embedded(), "the test server is run by this process");
    }

    /** {@code database.url} names an external server: the pool connects to it and migrating again is a no-op. */
    @Test
    void connectsToTheConfiguredUrl(@TempDir Path dataDir) {
        String url = SharedDatabase.server().jdbcUrl();
        try (Database db = Database.connect(TestConfigs.config(dataDir, "database.url=" + url,
                "database.user=postgres").database())) {
            assertFalse(db.embedded());
            int admins = db.jdbi().withHandle(h -> h.select("select count(*) from roles where name = 'admin'")
                    .mapTo(int.class).one());
            assertEquals(1, admins);
        }
    }

    /** Without {@code database.url} the launcher must run a server: the control API never starts one itself. */
    @Test
    void anEmptyUrlIsTheLaunchersBusiness(@TempDir Path dataDir) {
        DatabaseException e = assertThrows(DatabaseException.class,
                () -> Database.connect(TestConfigs.config(dataDir).database()));
        assertTrue(e.getMessage().contains("database.url is empty"), e.getMessage());
    }

    @Test
    void anUnreachableServerIsNamed(@TempDir Path dataDir) {
        DatabaseException e = assertThrows(DatabaseException.class, () -> Database.connect(TestConfigs.config(dataDir,
                "database.url=jdbc:postgresql://127.0.0.1:1/kino", "database.user=kino").database()));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }
}
