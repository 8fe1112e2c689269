/** The caller's own account: profile, preferences and sessions ({@code /api/v1/me}). */
package dev.kino.control.account;
