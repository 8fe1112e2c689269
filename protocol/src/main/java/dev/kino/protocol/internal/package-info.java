/**
 * Helpers that the protocol packages share and that are not part of the protocol API: other modules must not use
 * them (the package is public only because Java has no "friend" packages without a module descriptor).
 *
 * <p>{@link dev.kino.protocol.internal.Require} holds the numeric range checks that the DASH model
 * ({@code dev.kino.protocol.dash}), the HLS model ({@code dev.kino.protocol.hls}) and the shared media values
 * ({@code dev.kino.protocol.media}) run in their constructors and builders, so that a bad number reads the same
 * whichever format rejects it.
 */
package dev.kino.protocol.internal;
