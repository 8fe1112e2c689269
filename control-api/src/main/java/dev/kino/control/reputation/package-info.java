/**
 * Reputation: points for activity that others value (likes on one's comments and posts, reports moderators uphold),
 * capped per day, taken back when a moderator removes the content; a ledger row for every change; levels from points
 * that unlock privileges, kept as data ({@code reputation_levels}); a leaderboard.
 */
package dev.kino.control.reputation;
