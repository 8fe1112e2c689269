package dev.kino.control.auth;

import dev.kino.control.ForbiddenException;

import java.util.Set;
import java.util.UUID;

/**
 * The caller of an authenticated route.
 *
 * @param accountId the account
 * @param sessionId the session the access token belongs to
 * @param username the account's username
 * @param roles role names
 * @param permissions union of the roles' permissions
 * @param profileId the viewer profile the session acts as (the account's primary one unless another was selected);
 *                  null only for principals made outside token authentication
 */
public record AuthenticatedUser(UUID accountId, UUID sessionId, String username, Set<String> roles,
                                Set<String> permissions, UUID profileId) {

    /** A principal without a profile (tests and callers outside token authentication: the primary applies). */
    public AuthenticatedUser(UUID accountId, UUID sessionId, String username, Set<String> roles,
                             Set<String> permissions) {
        this(accountId, sessionId, username, roles, permissions, null);
    }

    public boolean can(String permission) {
        return permissions.contains(permission);
    }

    /** @throws ForbiddenException unless the caller has the permission */
    public void require(String permission) {
        if (!can(permission)) {
            throw ForbiddenException.missing(permission);
        }
    }
}
