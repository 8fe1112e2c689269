/**
 * The control API: accounts and sign-in, the catalogue, uploads and packaging jobs, playback authorisation and
 * watchlists, served as JSON over Netty. This package holds the assembly ({@link dev.kino.control.ControlApi}) and
 * the error model every feature throws: {@link dev.kino.control.ControlApiException} and its subclasses, mapped to
 * HTTP problems in one place ({@code http.internal.Problems}); {@link dev.kino.control.Validation} collects invalid
 * fields. The control API's README shows how a feature package is laid out.
 */
package dev.kino.control;
