/**
 * The HTTP layer both Kino servers (media server and control API) stand on: the connection pipeline with its
 * limits ({@link dev.kino.http.HttpServerPipeline}, {@link dev.kino.http.HttpLimits}), content-coding negotiation
 * ({@link dev.kino.http.ContentCoding}), conditional requests ({@link dev.kino.http.Conditional}), RFC 9457 problem
 * details ({@link dev.kino.http.Problem}) and CORS ({@link dev.kino.http.Cors}). It knows nothing of media or of the
 * control API's routes.
 */
package dev.kino.http;
