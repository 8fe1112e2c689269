/** Sign-in with OpenID Connect identity providers (Google as a preset): the flow, linked identities, their routes. */
package dev.kino.control.auth.oidc;
