/**
 * The hand-off between the transcoding pipeline and the CMAF writer: a track's format and its encoded
 * samples, in the track's own timescale.
 */
package dev.kino.packager.media;
