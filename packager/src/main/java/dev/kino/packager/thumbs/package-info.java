/**
 * Seek-preview thumbnails and the poster: {@link dev.kino.packager.thumbs.Thumbnailer} samples the transcoder's
 * decoded frames into JPEG sprite sheets listed by a WebVTT thumbnail track, and picks a non-black poster frame;
 * {@link dev.kino.packager.thumbs.Jpeg} encodes pictures with FFmpeg's {@code mjpeg} encoder (no AWT).
 */
package dev.kino.packager.thumbs;
