/** Second factors of sign-in: TOTP authenticator apps, recovery codes, sign-in challenges and passkeys (WebAuthn). */
package dev.kino.control.auth.mfa;
