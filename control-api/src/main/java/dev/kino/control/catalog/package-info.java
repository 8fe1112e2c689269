/**
 * The catalogue: titles (movies and series with seasons and episodes), their localised names, synopses, genres,
 * tags, studios and external ids, and their media items. {@link dev.kino.control.catalog.Catalog} is the feature's
 * API (for its routes and for every other feature); the tables are owned by
 * {@link dev.kino.control.catalog.TitleStore}, {@link dev.kino.control.catalog.SeasonStore} and
 * {@link dev.kino.control.catalog.MediaStore}, and a media item's state changes only through the state machine,
 * {@link dev.kino.control.catalog.MediaLifecycle}. Also {@link dev.kino.control.catalog.Access}, how every feature of
 * this half of the API learns who is calling.
 */
package dev.kino.control.catalog;
