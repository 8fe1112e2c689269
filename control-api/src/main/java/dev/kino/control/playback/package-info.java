/**
 * Playback authorisation (entitlement, maturity, plan, concurrent streams, signed media URLs),
 * subscription plans as data, and playback progress for resume.
 */
package dev.kino.control.playback;
