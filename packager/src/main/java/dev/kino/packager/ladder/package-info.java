/**
 * The adaptive-bitrate ladder: {@link dev.kino.packager.ladder.LadderSpec} says what a title may have
 * (rung heights, bitrates, segment and GOP duration), {@link dev.kino.packager.ladder.LadderPlanner} turns it
 * into the {@link dev.kino.packager.ladder.Ladder} one source gets (never upscaled, aspect kept, even sizes).
 */
package dev.kino.packager.ladder;
