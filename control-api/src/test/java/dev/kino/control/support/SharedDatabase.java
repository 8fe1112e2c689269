package dev.kino.control.support;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.db.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one PostgreSQL of a test run ({@link TestPostgres}), started on first use and stopped when the JVM exits.
 * Test classes share it and keep their rows apart with unique names instead of truncating; its data directory is
 * deleted at exit.
 */
public final class SharedDatabase {
    private static Database database;
    private static Path dataDir;
    private static TestPostgres server;

    private SharedDatabase() {
    }

    public static synchronized Database get() {
        if (database == null) {
            try {
                dataDir = Files.createTempDirectory("kino-test-db");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = TestPostgres.start(dataDir.resolve("postgres"));
            database = Database.connect(server, 10);
            Path dir = dataDir;
            Database db = database;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                db.close();
                deleteQuietly(dir); // a test JVM's cluster is ~200 MB: runs must not pile them up under /tmp
            }, "kino-test-db-stop"));
        }
        return database;
    }

    /**
     * Deletes {@code dir}, trying again for up to a second: the server may still write its last checkpoint and
     * statistics files while it stops. Best effort at JVM exit: what is left stays in the temporary directory.
     */
    private static void deleteQuietly(Path dir) {
        for (int attempt = 0; attempt < 10 && Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a file went away or appeared during the walk: try again
            }
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** @return the server, for tests that connect to it another way */
    public static synchronized TestPostgres server() {
        get();
        return server;
    }

    /** @return a configuration whose data directory is the shared database's (secrets land there too) */
    public static KinoConfig config(String... flags) {
        get();
        return TestConfigs.config(dataDir, flags);
    }
}
