/**
 * Opening and probing a source file with libavformat: {@link dev.kino.packager.source.SourceProbe#probe}
 * lists its video, audio and subtitle streams and turns every kind of bad input into one
 * {@link dev.kino.packager.PackagingException} that names the file and the problem;
 * {@link dev.kino.packager.source.SourceGate#admit} refuses, before anything is decoded, what the packager cannot
 * honestly package (not a video container, no video, beyond the {@link dev.kino.packager.source.InputLimits} or the
 * codec's levels, read from its {@link dev.kino.packager.source.SequenceParameterSet}s).
 */
package dev.kino.packager.source;
