/**
 * The transcoding pipeline, in-process on FFmpeg's libraries: {@link dev.kino.packager.transcode.Transcoder}
 * decodes a source once, scales every frame to each rung of the ladder and encodes the rungs in parallel
 * (H.264 with IDRs aligned on segment boundaries), and encodes each audio track once to AAC-LC stereo. Output
 * goes to one {@link dev.kino.packager.transcode.TrackSink} per track as
 * {@link dev.kino.packager.media.TrackFormat} + {@link dev.kino.packager.media.EncodedSample}s.
 */
package dev.kino.packager.transcode;
