/** PostgreSQL access: the connection pool over a JDBC URL (an external server, or one the launcher runs), Flyway migrations and Jdbi. */
package dev.kino.control.db;
