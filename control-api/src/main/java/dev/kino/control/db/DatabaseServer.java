package dev.kino.control.db;

/**
 * A PostgreSQL server that the process itself runs (the launcher's embedded PostgreSQL, a test's), handed to
 * {@link Database#connect(DatabaseServer, int)}: the database connects to it and stops it on {@link Database#close()},
 * after closing its pool. The control API never starts a server; whoever provides one does.
 */
public interface DatabaseServer extends AutoCloseable {
    /** @return the JDBC URL of the database the control API uses in this server */
    String jdbcUrl();

    /** @return the user to connect as */
    String user();

    /** @return the password, or empty when the server trusts local connections */
    String password();

    /** @return what it is, for logs and error messages ({@code embedded PostgreSQL under data/postgres}) */
    String description();

    /** Stops the server; called once, after the pool is closed. */
    @Override
    void close();
}
