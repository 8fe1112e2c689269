-- Cast and staff of a title (names as the catalogue spells them, in credit order): searched by the title search and
-- compared by the recommendations' content similarity. A name list, like studios: Kino has no people pages, so no
-- person table to join.
alter table titles add column people text[] not null default '{}';
