/**
 * Opening and probing a source file with libavformat: {@link dev.kino.packager.source.SourceProbe#probe}
 * lists its video, audio and subtitle streams and turns every kind of bad input into one
 * {@link dev.kino.packager.PackagingException} that names the file and the problem.
 */
package dev.kino.packager.source;
