package dev.kino.app.runtime;

import dev.kino.common.config.ConfigLoader;
import dev.kino.common.config.KinoConfig;
import dev.kino.control.db.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
