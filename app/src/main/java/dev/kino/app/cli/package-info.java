/** The subcommands of {@code ./kino}, each with {@code --help}; exit codes 0 success, 1 failure, 2 usage error. */
package dev.kino.app.cli;
