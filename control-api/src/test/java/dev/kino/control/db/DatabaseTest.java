package dev.kino.control.db;

import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {

    @Test
    void migrationsApplyToTheSharedDatabase() {
        int tables = SharedDatabase.get().jdbi().withHandle(h -> h.select(
                "select count(*) from information_schema.tables where table_name in ('accounts','sessions','outbox','roles')")
                .mapTo(int.class).one());
        assertEquals(4, tables);
    }

    /** The one test that needs its own server: it stops and starts it over the same data directory. */
    @Test
    void restartKeepsData(@TempDir Path dataDir) {
        try (Database db = Database.start(TestConfigs.config(dataDir))) {
            assertTrue(db.embedded());
            db.jdbi().useHandle(h -> h.execute("insert into roles (name, description) values ('kept', 'survives restarts')"));
        }
        assertTrue(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION")));
        try (Database db = Database.start(TestConfigs.config(dataDir))) {
            String description = db.jdbi().withHandle(h -> h.select("select description from roles where name = 'kept'")
                    .mapTo(String.class).one());
            assertEquals("survives restarts", description);
        }
    }
}
