/** Secrets Kino generates for itself on first start and keeps under {@code <data.dir>/secrets}, owner-only. */
package dev.kino.common.secret;
