/**
 * Content keys, key IDs and the licence messages that carry them.
 *
 * <ul>
 *   <li>{@link dev.kino.protocol.key.KeyId} and {@link dev.kino.protocol.key.ContentKey}: 16-byte value types
 *       (the {@code KID} of ISO/IEC 23001-7 and an AES-128 key). A {@code ContentKey} never prints its bytes and
 *       compares in constant time.</li>
 *   <li>{@link dev.kino.protocol.key.ClearKeyLicenceRequest} and
 *       {@link dev.kino.protocol.key.ClearKeyLicenceResponse}: the JSON messages of W3C Encrypted Media Extensions,
 *       §9.1 "Clear Key" (licence request format §9.1.3, licence format §9.1.4), keys and key IDs in unpadded
 *       base64url (RFC 4648 §5) via {@link dev.kino.protocol.key.Base64Url}.</li>
 *   <li>{@link dev.kino.protocol.key.HlsAes128}: the HLS {@code METHOD=AES-128} key as served and the IV rules of
 *       RFC 8216 §5.2.</li>
 * </ul>
 *
 * <p>Parsers of untrusted input throw {@link dev.kino.protocol.key.LicenceMessageException} (an
 * {@link java.lang.IllegalArgumentException}) with a message fit for a 400 response; it never contains key bytes.
 * Everything here is pure: no I/O, no global state, all types immutable and thread-safe.
 */
package dev.kino.protocol.key;
