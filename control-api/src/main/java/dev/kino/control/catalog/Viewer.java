package dev.kino.control.catalog;

import dev.kino.control.auth.Permissions;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as the catalogue, media, job and playback features see it.
 *
 * @param accountId the account, or null for a guest
 * @param permissions permission names of the account's roles (e.g. {@code catalog.write}); a guest has
 *                    those of the {@code guest} role
 * @param maxAge the highest minimum age ({@code titles.min_age}) the viewer may watch, 0 to 99: the stricter of the
 *               account's limit and its current profile's maturity
 * @param profileId the viewer profile acting (per-profile history, watchlist, ratings, recommendations and
 *                  notification settings are its); null for a guest, or for an account viewer made without one (the
 *                  stores then use the account's primary profile)
 */
public record Viewer(UUID accountId, Set<String> permissions, int maxAge, UUID profileId) {
    /** Edits titles and media, uploads, runs packaging jobs. */
    public static final String CATALOG_WRITE = Permissions.CATALOG_WRITE;
    /**
     * Manages subscription plans and assigns them. NOTE: there is no {@code plans.*} permission yet
     * ({@link Permissions#ALL} is closed), so this is the admin-only {@code roles.manage}.
     */
    public static final String PLANS_MANAGE = Permissions.ROLES_MANAGE;
    /** What a guest may watch: titles rated at most 13+ (NOTE: a guest's age is unknown). */
    public static final int GUEST_MAX_AGE = 13;

    public Viewer {
        permissions = Set.copyOf(permissions);
    }

    /** A viewer without a profile: a guest, or an account acting as its primary profile. */
    public Viewer(UUID accountId, Set<String> permissions, int maxAge) {
        this(accountId, permissions, maxAge, null);
    }

    /** @return a guest */
    public static Viewer guest() {
        return new Viewer(null, Set.of("catalog.read"), GUEST_MAX_AGE);
    }

    public boolean isGuest() {
        return accountId == null;
    }

    public boolean can(String permission) {
        return permissions.contains(permission);
    }

    /**
     * Reads an account's {@code maturity} setting as the highest minimum age it may watch (the accounts feature's
     * vocabulary: {@link dev.kino.control.account.AccountTypes.Maturity#maxAgeOf}).
     *
     * @param maturity the column value, may be null
     * @return 0 to 99
     */
    public static int maxAgeOf(String maturity) {
        return dev.kino.control.account.AccountTypes.Maturity.maxAgeOf(maturity);
    }
}
