/**
 * Imports titles from MyAnimeList (Jikan v4), AniList (GraphQL Media), Kitsu (JSON:API) and TMDb
 * (movie / tv) documents, idempotently by external id. No network: the caller supplies the JSON.
 */
package dev.kino.control.importer;
