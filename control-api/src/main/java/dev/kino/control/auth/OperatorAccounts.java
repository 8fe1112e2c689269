package dev.kino.control.auth;

import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.Validation;
import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Accounts an operator makes outside the API: the first administrator ({@code ./kino admin create}, and
 * {@code ./kino demo} for its own admin). Registration through the API never grants more than {@code user}; making an
 * administrator is an act of whoever runs the server.
 */
public final class OperatorAccounts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;

    public OperatorAccounts(Jdbi jdbi, PasswordHasher hasher, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * An administrator with a verified e-mail address.
     *
     * @param id account id
     * @param username its username
     * @param email its e-mail address
     * @param password the generated password, shown once
     */
    public record Created(UUID id, String username, String email, String password) {
        @Override
        public String toString() {
            return "Created[" + username + ", " + email + "]";
        }
    }

    /** @return a password of 24 random bytes as base64url (32 characters), for a person to copy once */
    public static String generatePassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Creates an administrator (roles {@code user} and {@code admin}, e-mail verified) with a generated password.
     *
     * @throws InvalidInputException for a malformed e-mail address or username
     * @throws ConflictException when the e-mail address or username is taken
     */
    public Created createAdministrator(String email, String username) {
        Validation v = new Validation();
        if (v.required("email", email)) {
            v.check("email", email.length() <= 254 && AuthService.EMAIL.matcher(email.strip()).matches(),
                    "must be an e-mail address");
        }
        if (v.required("username", username)) {
            v.check("username", AuthService.USERNAME.matcher(username).matches(), "must be 3 to 32 of A-Z a-z 0-9 _ . -");
        }
        v.throwIfInvalid();
        String password = generatePassword();
        String hash = hasher.hash(password);
        AccountStore accounts = new AccountStore(jdbi);
        RoleStore roles = new RoleStore(jdbi);
        UUID id = UUID.randomUUID();
        jdbi.useTransaction(h -> {
            accounts.lockRegistrations(h);
            if (accounts.emailTaken(h, email.strip())) {
                throw new ConflictException("an account with e-mail address " + email.strip() + " exists");
            }
            if (accounts.usernameTaken(h, username)) {
                throw new ConflictException("the username " + username + " is taken");
            }
            accounts.insert(h, id, email.strip(), username, hash, clock.instant());
            accounts.markEmailVerified(h, id, clock.instant());
            roles.grant(h, id, List.of(RoleStore.USER_ROLE, "admin"));
        });
        return new Created(id, username, email.strip(), password);
    }
}
