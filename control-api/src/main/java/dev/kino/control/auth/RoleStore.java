package dev.kino.control.auth;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Owns {@code roles} and {@code account_roles}: the only class with SQL on them. Other features learn an account's
 * roles and permissions here ({@link #rolesOf}, {@link #permissionsOf}), never from the tables. Methods taking a
 * {@link Handle} join the caller's transaction.
 */
public final class RoleStore {
    /** The role every account has (and that grants what every signed-in account may do). */
    public static final String USER_ROLE = "user";

    private final Jdbi jdbi;

    public RoleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A role.
     *
     * @param name role name
     * @param description what it is for
     * @param permissions granted permissions
     * @param builtin shipped, not deletable
     */
    public record RoleView(String name, String description, List<String> permissions, boolean builtin) {
    }

    /** @return every role, built-in ones first, then by name */
    public List<RoleView> list() {
        return jdbi.withHandle(h -> h.createQuery(
                        "select name, description, permissions, builtin from roles order by builtin desc, name")
                .map((rs, ctx) -> new RoleView(rs.getString(1), rs.getString(2),
                        List.of((String[]) rs.getArray(3).getArray()), rs.getBoolean(4))).list());
    }

    /** @return false when a role of that name exists (nothing is written then) */
    public boolean insert(String name, String description, List<String> permissions) {
        return jdbi.withHandle(h -> h.createUpdate("insert into roles (name, description, permissions) "
                        + "values (:n, :d, :p) on conflict (name) do nothing")
                .bind("n", name).bind("d", description).bindArray("p", String.class, permissions.toArray()).execute()) == 1;
    }

    /** @return whether the role is built in, or empty when there is no such role */
    public Optional<Boolean> builtin(String name) {
        return jdbi.withHandle(h -> h.createQuery("select builtin from roles where name = :n")
                .bind("n", name).mapTo(Boolean.class).findOne());
    }

    /** Deletes a role and its assignments. @return the accounts that held it */
    public List<UUID> delete(String name) {
        return jdbi.inTransaction(h -> {
            List<UUID> holders = h.createQuery("delete from account_roles where role_name = :n returning account_id")
                    .bind("n", name).mapTo(UUID.class).list();
            h.createUpdate("delete from roles where name = :n").bind("n", name).execute();
            return holders;
        });
    }

    /** @return the names of every role */
    public Set<String> names(Handle h) {
        return Set.copyOf(h.createQuery("select name from roles").mapTo(String.class).list());
    }

    /** Gives the account exactly {@code roles}. */
    public void replace(Handle h, UUID accountId, Collection<String> roles) {
        h.createUpdate("delete from account_roles where account_id = :id").bind("id", accountId).execute();
        grant(h, accountId, roles);
    }

    /** Adds roles to an account. */
    public void grant(Handle h, UUID accountId, Collection<String> roles) {
        for (String role : roles) {
            h.createUpdate("insert into account_roles (account_id, role_name) values (:id, :r)")
                    .bind("id", accountId).bind("r", role).execute();
        }
    }

    /**
     * @param role a role name
     * @return the user name of the oldest account holding it, if any
     */
    public Optional<String> firstHolder(String role) {
        return jdbi.withHandle(h -> h.createQuery("""
                select a.username from accounts a join account_roles r on r.account_id = a.id
                 where r.role_name = :role order by a.created_at limit 1""").bind("role", role)
                .mapTo(String.class).findOne());
    }

    /** @return the account's role names, sorted */
    public List<String> rolesOf(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("select role_name from account_roles where account_id = :id order by 1")
                .bind("id", accountId).mapTo(String.class).list());
    }

    /** @return the permissions the account's roles grant, sorted, without duplicates */
    public List<String> permissionsOf(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select distinct p from account_roles ar join roles r on r.name = ar.role_name,
                               unnest(r.permissions) p where ar.account_id = :id order by 1""")
                .bind("id", accountId).mapTo(String.class).list());
    }

    /** @return the permissions of the account's roles plus those of the {@value #USER_ROLE} role every account has */
    public Set<String> effectivePermissions(UUID accountId) {
        return Set.copyOf(jdbi.withHandle(h -> h.createQuery("""
                        select unnest(r.permissions) from roles r
                         where r.name = :user
                            or r.name in (select role_name from account_roles where account_id = :id)""")
                .bind("user", USER_ROLE).bind("id", accountId).mapTo(String.class).list()));
    }

    /** @return whether one of the account's roles grants {@code permission} */
    public boolean grants(Handle h, UUID accountId, String permission) {
        return h.createQuery("select exists (select 1 from account_roles ar join roles r on r.name = ar.role_name "
                        + "where ar.account_id = :id and :p = any(r.permissions))")
                .bind("id", accountId).bind("p", permission).mapTo(boolean.class).one();
    }

    /**
     * Nobody below an administrator acts on an administrator's content or account (moderation, deleting or changing
     * someone else's comment or post).
     *
     * @param actorIsAdministrator whether the one acting holds {@code roles.manage}
     * @param target the account whose content or account is acted on, or null (a deleted account)
     * @throws dev.kino.control.ForbiddenException when the target holds {@code roles.manage} and the actor does not
     */
    public void requireMayActOn(boolean actorIsAdministrator, UUID target) {
        if (target != null && !actorIsAdministrator && effectivePermissions(target).contains(Permissions.ROLES_MANAGE)) {
            throw new dev.kino.control.ForbiddenException("moderators cannot act on an administrator's content or account");
        }
    }
}
