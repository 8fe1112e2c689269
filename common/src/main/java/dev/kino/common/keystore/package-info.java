/**
 * Content keys at rest: wrapped with the key-encryption key (AES Key Wrap, RFC 3394) in a file next to
 * a title's output, so the media server unwraps them without a database.
 */
package dev.kino.common.keystore;
