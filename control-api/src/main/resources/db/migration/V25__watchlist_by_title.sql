-- Who has a title on their watchlist, in account order (notifying them of new episodes in batches).
create index watchlist_entries_title on watchlist_entries (title_id, account_id);
