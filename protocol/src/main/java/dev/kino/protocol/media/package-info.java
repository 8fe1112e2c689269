/** Media values shared by HLS, DASH and the packager: the frame rate as an exact fraction. */
package dev.kino.protocol.media;
