/**
 * Text subtitles to WebVTT: {@link dev.kino.packager.subtitle.SubtitleDecoder} decodes embedded text subtitle
 * streams (SubRip, ASS/SSA, WebVTT, mov_text) with {@code avcodec_decode_subtitle2},
 * {@link dev.kino.packager.subtitle.SubtitleFiles} reads side-car files, and
 * {@link dev.kino.packager.subtitle.WebVtt} writes and reads W3C WebVTT files (with the RFC 8216 §3.5
 * {@code X-TIMESTAMP-MAP} header for HLS).
 */
package dev.kino.packager.subtitle;
