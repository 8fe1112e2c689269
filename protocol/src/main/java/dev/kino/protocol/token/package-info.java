/** HMAC-SHA256 signed playback tokens carried in one URL path segment, their claims, key ring and media path layout (see {@code protocol/TOKENS.md}). */
package dev.kino.protocol.token;
