/** Netty channel handlers and the OpenAPI schema generator behind {@link dev.kino.control.http}. */
package dev.kino.control.http.internal;
