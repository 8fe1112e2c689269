/**
 * Writing a title's files: {@link dev.kino.packager.output.SegmentedTrack} cuts an encoded track into CMAF
 * segments on disk (clear, AES-128 for HLS, or {@code cenc}), {@link dev.kino.packager.output.TitleWriter} writes
 * the HLS playlists, the DASH MPD, {@code manifest.json} and {@code keys.wrapped.json}, and
 * {@link dev.kino.packager.output.OutputVerifier} checks a written title before it is published.
 */
package dev.kino.packager.output;
