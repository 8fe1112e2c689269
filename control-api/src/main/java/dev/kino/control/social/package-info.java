/**
 * The social feature of a signed-in viewer: the watchlist ("My list") and the continue-watching row built
 * from playback progress. Every route acts on the caller's own rows only (no account id in any path).
 */
package dev.kino.control.social;
