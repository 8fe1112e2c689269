/** Administration: custom roles of named permissions, role assignment and bans ({@code /api/v1/admin}). */
package dev.kino.control.admin;
