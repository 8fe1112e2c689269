/** The HTTP side of the media server: pipeline, limits, routing, CORS, the problem+json error mapping and the access log. */
package dev.kino.media.http;
