/**
 * Common Media Client Data (CMCD, CTA-5004): the key/value pairs a player attaches to each media request, parsed from
 * the {@code CMCD} query parameter and the {@code CMCD-Object}, {@code CMCD-Request}, {@code CMCD-Session} and
 * {@code CMCD-Status} headers ({@link dev.kino.protocol.cmcd.Cmcd}).
 */
package dev.kino.protocol.cmcd;
