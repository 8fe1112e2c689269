/**
 * The catalogue: titles (movies and series with seasons and episodes), their localised names,
 * synopses, genres, tags, studios and external ids; browsing with filters and cursor pagination; admin
 * CRUD; and {@link dev.kino.control.catalog.Access}, how every feature of this half of the API learns
 * who is calling.
 */
package dev.kino.control.catalog;
