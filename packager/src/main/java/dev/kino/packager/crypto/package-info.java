/**
 * Content protection of the packager: the {@code cenc} scheme's AES-128-CTR sample cipher and H.264 subsample
 * layout (ISO/IEC 23001-7), HLS full-segment AES-128-CBC (RFC 8216 §4.3.2.4), and content key
 * generation and wrapping for the title's wrapped key file; {@link dev.kino.packager.crypto.Mp4Boxes} reads the
 * protection an initialization segment declares.
 */
package dev.kino.packager.crypto;
