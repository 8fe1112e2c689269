/**
 * Administration ({@code /api/v1/admin}): custom roles of named permissions, role assignment and bans
 * ({@link dev.kino.control.admin.AdminRoutes}); the admin console's user search and pages, session revocation, plan
 * edits, scheduled publishing and uploaded posters ({@link dev.kino.control.admin.AdminConsoleRoutes}); and the
 * audit log of every admin and moderator action ({@link dev.kino.control.admin.AuditLog}, with
 * {@link dev.kino.control.admin.AuditHooks} recording the other features' admin routes).
 */
package dev.kino.control.admin;
