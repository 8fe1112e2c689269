-- A thread's followers in account order, for notifying them in batches (notifications fan-out).
drop index forum_follows_thread;
create index forum_follows_thread on forum_follows (thread_id, account_id);
