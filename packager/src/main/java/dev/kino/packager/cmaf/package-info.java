/**
 * CMAF (ISO/IEC 23000-19) track writer over a small ISO BMFF (ISO/IEC 14496-12) box writer: per track a CMAF
 * header ({@code ftyp}+{@code moov}) and media segments of one fragment each ({@code styp}, optional
 * {@code sidx}, {@code moof}, {@code mdat}), optionally protected with the {@code cenc} scheme of ISO/IEC 23001-7
 * (see {@link dev.kino.packager.crypto}).
 *
 * <p>Entry point: {@link dev.kino.packager.cmaf.CmafTrackWriter}; per-segment facts for the HLS/DASH writers
 * (duration in timescale ticks, byte size, I-frame byte range): {@link dev.kino.packager.cmaf.CmafSegment}.
 */
package dev.kino.packager.cmaf;
