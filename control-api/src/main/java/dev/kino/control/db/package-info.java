/** PostgreSQL access: the embedded or external server, the connection pool, migrations and Jdbi. */
package dev.kino.control.db;
