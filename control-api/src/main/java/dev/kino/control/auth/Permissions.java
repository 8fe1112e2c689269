package dev.kino.control.auth;

import java.util.Set;

/** The named permissions roles grant. Custom roles may only combine these. */
public final class Permissions {
    public static final String CATALOG_READ = "catalog.read";
    public static final String CATALOG_WRITE = "catalog.write";
    public static final String COMMENTS_WRITE = "comments.write";
    public static final String COMMENTS_MODERATE = "comments.moderate";
    public static final String USERS_READ = "users.read";
    public static final String USERS_BAN = "users.ban";
    /** Change another account's settings the account may not change itself (its maturity limit). */
    public static final String USERS_MANAGE = "users.manage";
    /** See, cancel and retry every packaging job and read its log; without it an editor sees the jobs they queued. */
    public static final String JOBS_MANAGE = "jobs.manage";
    /** Create, rename and delete forum categories. */
    public static final String FORUM_MANAGE = "forum.manage";
    public static final String ROLES_MANAGE = "roles.manage";
    /** Read and export the audit log of admin and moderator actions. */
    public static final String AUDIT_READ = "audit.read";

    /** Read the viewing analytics reports ({@code /api/v1/admin/analytics/*}). */
    public static final String ANALYTICS_READ = "analytics.read";

    /** Every permission that exists. */
    public static final Set<String> ALL = Set.of(CATALOG_READ, CATALOG_WRITE, COMMENTS_WRITE, COMMENTS_MODERATE,
            USERS_READ, USERS_BAN, USERS_MANAGE, JOBS_MANAGE, FORUM_MANAGE, ROLES_MANAGE, AUDIT_READ, ANALYTICS_READ);

    private Permissions() {
    }
}
