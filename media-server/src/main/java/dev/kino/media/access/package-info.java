/** Who may fetch what: playback token checks (counted by failure reason) and title take-downs. */
package dev.kino.media.access;
