package dev.kino.app.cli;

import dev.kino.app.runtime.EmbeddedDatabase;
import dev.kino.app.runtime.UserFacingException;
import dev.kino.common.config.KinoConfig;
import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.auth.OperatorAccounts;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.db.Database;
import dev.kino.control.db.DatabaseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./kino admin create --email ADDRESS [--username NAME]}: the operator makes an administrator. Registration
 * through the API never grants more than {@code user}, so this (or {@code ./kino demo}, for its own admin) is how a
 * Kino instance gets its first administrator. The generated password is printed once.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Administer accounts from the server's machine.",
        subcommands = AdminCommand.Create.class)
public final class AdminCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an administrator (verified e-mail, roles user and admin) and print its generated"
                    + " password once. Uses the configured database: the embedded one under data.dir (stop `kino"
                    + " serve` first, it holds it) or database.url.")
    static final class Create implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Spec
        CommandSpec spec;

        @Option(names = "--email", required = true, paramLabel = "ADDRESS", description = "The administrator's e-mail address.")
        String email;

        @Option(names = "--username", paramLabel = "NAME",
                description = "Username, 3-32 of A-Z a-z 0-9 _ . - (default: the e-mail address's local part).")
        String username;

        @Override
        public Integer call() {
            KinoConfig config = global.load().config();
            String name = username != null ? username
                    : email.split("@", 2)[0].replaceAll("[^A-Za-z0-9_.-]", "").toLowerCase(Locale.ROOT);
            Database db;
            try {
                db = EmbeddedDatabase.open(config);
            } catch (DatabaseException e) {
                throw new UserFacingException(e.getMessage() + (config.database().embedded()
                        ? " (is `kino serve` or `kino demo` running on this data directory? stop it first)" : ""), e);
            }
            try (db) {
                OperatorAccounts.Created admin = new OperatorAccounts(db.jdbi(),
                        new PasswordHasher(PasswordHasher.Params.DEFAULT), Clock.systemUTC()).createAdministrator(email, name);
                PrintWriter out = spec.commandLine().getOut();
                out.println("created administrator " + admin.username() + " <" + admin.email() + ">");
                out.println("password: " + admin.password());
                out.println("(shown once; sign in and change it under Account)");
                out.flush();
                return 0;
            } catch (ConflictException e) {
                throw new UserFacingException(e.getMessage(), e);
            } catch (InvalidInputException e) {
                throw new UserFacingException("--email/--username: " + e.getMessage(), e);
            }
        }
    }
}
