/**
 * Authentication: Argon2id password hashes, the password policy, ES256 access tokens, rotating refresh
 * tokens, single-use e-mail tokens, login throttling and the bearer-token authenticator.
 */
package dev.kino.control.auth;
