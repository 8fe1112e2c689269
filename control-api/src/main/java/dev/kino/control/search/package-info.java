/**
 * Search: titles ({@link dev.kino.control.search.TitleSearch} over this node's Lucene index, fed from the
 * catalogue's API; typo-tolerant, script-folding, ranked, faceted, highlighted; suggestions from
 * {@link dev.kino.control.search.TitleSuggester}'s arrays of name keys) and forum posts and comments
 * ({@link dev.kino.control.search.ForumSearch}, PostgreSQL full-text search through the forum's and comments'
 * stores). Routes in {@link dev.kino.control.search.SearchRoutes}; why Lucene for titles: {@code control-api/README.md}.
 */
package dev.kino.control.search;
