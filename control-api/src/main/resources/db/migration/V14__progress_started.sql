-- When an account first saved a position in a media item (owner: playback.Plans): "watched through" needs the
-- playing to have taken about as long as the item, so a client cannot claim it with one request.
alter table playback_progress add column started_at timestamptz;
update playback_progress set started_at = updated_at;
alter table playback_progress alter column started_at set not null;
