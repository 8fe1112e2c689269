/**
 * Content management: chunked, resumable uploads of source videos streamed to disk, registration of
 * files already on the server, and the publish / unpublish / take-down transitions of media items
 * (take-downs reach the media servers through shared state).
 */
package dev.kino.control.media;
