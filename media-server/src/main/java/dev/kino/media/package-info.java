/** Kino's media server: the non-blocking Netty origin serving published titles to players and CDNs. */
package dev.kino.media;
