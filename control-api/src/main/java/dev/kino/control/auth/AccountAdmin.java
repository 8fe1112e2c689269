package dev.kino.control.auth;

import dev.kino.control.ConflictException;
import dev.kino.control.ForbiddenException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.auth.BanStore.BanView;
import dev.kino.control.auth.RoleStore.RoleView;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What administrators and moderators do to accounts: custom roles, role assignments and bans. Each change that
 * affects what an account may do also drops what {@link TokenAuthenticator} cached about it on this node, and a ban
 * ends every session and invalidates the account's outstanding access tokens in the same transaction.
 * Authorisation (who may call what) is the routes'; the rule that only administrators ban administrators is here.
 *
 * <pre>{@code
 * BanView ban = admin.ban(caller, accountId, new BanRequest("spam", null));
 * }</pre>
 */
public final class AccountAdmin {
    private static final Pattern ROLE_NAME = Pattern.compile("^[a-z][a-z0-9-]{1,31}$");

    private final Jdbi jdbi;
    private final RoleStore roles;
    private final BanStore bans;
    private final AccountStore accounts;
    private final SessionStore sessions;
    private final TokenAuthenticator authenticator;
    private final Clock clock;

    public AccountAdmin(Jdbi jdbi, TokenAuthenticator authenticator, Clock clock) {
        this.jdbi = jdbi;
        this.roles = new RoleStore(jdbi);
        this.bans = new BanStore(jdbi);
        this.accounts = new AccountStore(jdbi);
        this.sessions = new SessionStore(jdbi);
        this.authenticator = authenticator;
        this.clock = clock;
    }

    /** @param name role name @param description what it is for @param permissions from the known set */
    public record RoleRequest(String name, String description, List<String> permissions) {
    }

    /** @param roles every role the user should have ({@code user} is always kept) */
    public record RolesRequest(List<String> roles) {
    }

    /** @param reason shown to the user @param expiresAt end of the ban, or null for permanent */
    public record BanRequest(String reason, Instant expiresAt) {
    }

    /** @param id account @param email e-mail @param username username @param roles roles @param ban active ban */
    public record UserView(UUID id, String email, String username, List<String> roles, BanView ban) {
    }

    /** @param items every role */
    public record RoleList(List<RoleView> items) {
    }

    // ---- roles --------------------------------------------------------------------------------------------

    /** @return every role */
    public RoleList roles() {
        return new RoleList(roles.list());
    }

    /**
     * Creates a custom role.
     *
     * @throws InvalidInputException for a bad name or an unknown permission
     * @throws ConflictException when the name is taken
     */
    public RoleView createRole(RoleRequest r) {
        Validation v = new Validation();
        if (v.required("name", r.name())) {
            v.check("name", ROLE_NAME.matcher(r.name()).matches(), "must be 2-32 of a-z 0-9 -, starting with a letter");
        }
        List<String> perms = r.permissions() == null ? List.of() : r.permissions();
        for (int i = 0; i < perms.size(); i++) {
            v.check("permissions[" + i + "]", Permissions.ALL.contains(perms.get(i)),
                    "unknown permission; known: " + new TreeSet<>(Permissions.ALL));
        }
        v.throwIfInvalid();
        String desc = r.description() == null ? "" : r.description();
        if (!roles.insert(r.name(), desc, perms)) {
            throw new ConflictException("a role named '" + r.name() + "' exists");
        }
        return new RoleView(r.name(), desc, perms, false);
    }

    /**
     * Deletes a custom role; its holders lose it at once.
     *
     * @throws NotFoundException for an unknown role
     * @throws ConflictException for a built-in one
     */
    public void deleteRole(String name) {
        boolean builtin = roles.builtin(name).orElseThrow(() -> new NotFoundException("no role '" + name + "'"));
        if (builtin) {
            throw new ConflictException("built-in role '" + name + "' cannot be deleted");
        }
        roles.delete(name).forEach(authenticator::invalidateAccount);
    }

    /**
     * Gives an account exactly these roles (plus {@code user}, which every account keeps).
     *
     * @throws NotFoundException for an unknown account
     * @throws InvalidInputException for an unknown role (or {@code guest})
     */
    public UserView setRoles(UUID accountId, RolesRequest r) {
        Set<String> wanted = new LinkedHashSet<>(r.roles() == null ? List.of() : r.roles());
        wanted.add(RoleStore.USER_ROLE);
        jdbi.useTransaction(h -> {
            requireAccount(accounts.exists(h, accountId), accountId);
            Set<String> known = roles.names(h);
            Validation v = new Validation();
            int i = 0;
            for (String role : wanted) {
                v.check("roles[" + i++ + "]", known.contains(role) && !role.equals("guest"), "unknown role '" + role + "'");
            }
            v.throwIfInvalid();
            roles.replace(h, accountId, wanted);
        });
        authenticator.invalidateAccount(accountId);
        return user(accountId);
    }

    /** @return the account with its roles and active ban @throws NotFoundException for an unknown account */
    public UserView user(UUID accountId) {
        AccountStore.Identity who = accounts.identity(accountId).orElseThrow(() -> accountNotFound(accountId));
        return new UserView(accountId, who.email(), who.username(), roles.rolesOf(accountId),
                bans.active(accountId, clock.instant()).orElse(null));
    }

    // ---- bans ---------------------------------------------------------------------------------------------

    /**
     * Bans an account: records the ban, ends every session and invalidates the access tokens already issued.
     *
     * @param by the moderator or administrator banning
     * @throws InvalidInputException for a missing or long reason, an end in the past, or banning oneself
     * @throws NotFoundException for an unknown account
     * @throws ForbiddenException when a non-administrator bans an administrator
     */
    public BanView ban(AuthenticatedUser by, UUID accountId, BanRequest r) {
        Instant now = clock.instant();
        Validation v = new Validation();
        if (v.required("reason", r.reason())) {
            v.check("reason", r.reason().length() <= 500, "must be at most 500 characters");
        }
        v.check("expiresAt", r.expiresAt() == null || r.expiresAt().isAfter(now), "must be in the future");
        v.check("id", !accountId.equals(by.accountId()), "you cannot ban yourself");
        v.throwIfInvalid();
        UUID banId = UUID.randomUUID();
        jdbi.useTransaction(h -> {
            requireAccount(accounts.exists(h, accountId), accountId);
            if (roles.grants(h, accountId, Permissions.ROLES_MANAGE) && !by.can(Permissions.ROLES_MANAGE)) {
                throw new ForbiddenException("only administrators can ban administrators");
            }
            bans.insert(h, banId, accountId, r.reason(), by.accountId(), now, r.expiresAt());
            accounts.invalidateTokens(h, accountId, now);
            sessions.revokeAll(h, accountId, "banned", now);
        });
        authenticator.invalidateAccount(accountId);
        return new BanView(banId, r.reason(), r.expiresAt());
    }

    /** Lifts every active ban of an account. @throws NotFoundException when it has none */
    public void liftBans(UUID accountId) {
        if (bans.liftAll(accountId, clock.instant()) == 0) {
            throw new NotFoundException("account " + accountId + " has no active ban");
        }
        authenticator.invalidateAccount(accountId);
    }

    // ---- sessions -----------------------------------------------------------------------------------------

    /**
     * Ends every active session of an account and invalidates the access tokens already issued (the account signs in
     * again).
     *
     * @return how many sessions were active
     * @throws NotFoundException for an unknown account
     */
    public int revokeSessions(UUID accountId) {
        Instant now = clock.instant();
        int n = jdbi.inTransaction(h -> {
            requireAccount(accounts.exists(h, accountId), accountId);
            int active = h.createQuery("select count(*) from sessions where account_id = :a and revoked_at is null")
                    .bind("a", accountId).mapTo(int.class).one();
            accounts.invalidateTokens(h, accountId, now);
            sessions.revokeAll(h, accountId, "revoked-by-admin", now);
            return active;
        });
        authenticator.invalidateAccount(accountId);
        return n;
    }

    /**
     * Ends one active session of an account (its access tokens stop working at once: the authenticator checks the
     * session).
     *
     * @throws NotFoundException when the account has no such active session
     */
    public void revokeSession(UUID accountId, UUID sessionId) {
        Instant now = clock.instant();
        int n = jdbi.withHandle(h -> h.createUpdate("update sessions set revoked_at = :now, revoke_reason = 'revoked-by-admin'"
                        + " where id = :sid and account_id = :a and revoked_at is null")
                .bind("now", BanStore.utc(now)).bind("sid", sessionId).bind("a", accountId).execute());
        if (n == 0) {
            throw new NotFoundException("account " + accountId + " has no active session " + sessionId);
        }
        authenticator.invalidateSession(sessionId);
    }

    private static void requireAccount(boolean exists, UUID id) {
        if (!exists) {
            throw accountNotFound(id);
        }
    }

    private static NotFoundException accountNotFound(UUID id) {
        return new NotFoundException("no account " + id);
    }
}
