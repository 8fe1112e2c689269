/** HTTP Live Streaming playlists (RFC 8216, draft-pantos-hls-rfc8216bis): immutable model, {@link dev.kino.protocol.hls.PlaylistWriter writer} and {@link dev.kino.protocol.hls.PlaylistParser parser}. */
package dev.kino.protocol.hls;
