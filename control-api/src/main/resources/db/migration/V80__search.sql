-- Search (dev.kino.control.search). Titles are searched in a per-node Lucene index fed from the catalogue's API,
-- so they need no table here. Forum posts and comments are searched with PostgreSQL full-text search through
-- ForumStore.search and CommentStore.search: these partial GIN indexes serve exactly their expressions
-- ('simple' configuration over the body with apostrophes removed, visible rows only). The tables stay their
-- features' own; only these indexes are search's.
create index forum_posts_search on forum_posts
    using gin (to_tsvector('simple', translate(body, '''’ʼ', ''))) where state = 'visible';
create index comments_search on comments
    using gin (to_tsvector('simple', translate(body, '''’ʼ', ''))) where state = 'visible';
