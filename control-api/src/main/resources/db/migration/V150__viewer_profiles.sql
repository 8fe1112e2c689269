-- Viewer profiles (issue 17, owner: account.Profiles): several people watching on one account, each with their own
-- history, resume positions, watchlist, ratings, recommendations and notification settings. Playback authorisation,
-- plans and concurrent streams stay per account.

create table profiles (
    id              uuid primary key,
    account_id      uuid not null references accounts (id) on delete cascade,
    name            text not null check (char_length(name) between 1 and 40),
    -- the catalogue's maturity scale (account.AccountTypes.Maturity); the account's own limit caps it
    maturity        text not null default 'adult' check (maturity in ('kids', 'family', 'teen', 'adult')),
    -- the PIN's PasswordHasher hash (Argon2id); null: no PIN
    pin_hash        text,
    -- failed PIN entries since the last success, and until when entries are refused after too many
    pin_failures    int not null default 0,
    pin_locked_until timestamptz,
    is_primary      boolean not null default false,
    -- the avatar pipeline's re-encoded 256x256 PNG (account.Avatars), never the uploaded bytes
    avatar_png      bytea,
    avatar_etag     text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    -- lets per-profile rows reference (account_id, id): a profile row can never point at another account's profile
    unique (account_id, id)
);
create unique index profiles_one_primary on profiles (account_id) where is_primary;
create unique index profiles_name_per_account on profiles (account_id, lower(name));

-- Every account has a primary profile: existing ones now, new ones as they are inserted (whichever code inserts).
insert into profiles (id, account_id, name, maturity, is_primary, created_at, updated_at)
select gen_random_uuid(), a.id, left(coalesce(nullif(btrim(a.display_name), ''), a.username), 40), 'adult', true,
       a.created_at, a.created_at
  from accounts a;

create function profiles_primary_for_new_account() returns trigger language plpgsql as $$
begin
    insert into profiles (id, account_id, name, maturity, is_primary, created_at, updated_at)
    values (gen_random_uuid(), new.id, left(coalesce(nullif(btrim(new.display_name), ''), new.username), 40), 'adult',
            true, new.created_at, new.created_at);
    return new;
end $$;
create trigger accounts_primary_profile after insert on accounts
    for each row execute function profiles_primary_for_new_account();

-- The profile a session acts as (chosen with POST /me/profiles/{id}/select; null: the primary). A deleted profile's
-- sessions fall back to the primary.
alter table sessions add column profile_id uuid references profiles (id) on delete set null;

-- Per-profile rows: profile_id added, existing rows moved to their account's primary profile, keys changed.
alter table playback_progress add column profile_id uuid;
update playback_progress t set profile_id = p.id from profiles p where p.account_id = t.account_id and p.is_primary;
alter table playback_progress alter column profile_id set not null,
    drop constraint playback_progress_pkey,
    add primary key (profile_id, media_id),
    add foreign key (account_id, profile_id) references profiles (account_id, id) on delete cascade;
drop index playback_progress_account_updated;
create index playback_progress_profile_updated on playback_progress (profile_id, updated_at desc, media_id desc);

alter table watchlist_entries add column profile_id uuid;
update watchlist_entries t set profile_id = p.id from profiles p where p.account_id = t.account_id and p.is_primary;
alter table watchlist_entries alter column profile_id set not null,
    drop constraint watchlist_entries_pkey,
    add primary key (profile_id, title_id),
    add foreign key (account_id, profile_id) references profiles (account_id, id) on delete cascade;
drop index watchlist_entries_account_added;
create index watchlist_entries_profile_added on watchlist_entries (profile_id, added_at desc, title_id desc);

alter table ratings add column profile_id uuid;
update ratings t set profile_id = p.id from profiles p where p.account_id = t.account_id and p.is_primary;
alter table ratings alter column profile_id set not null,
    drop constraint ratings_pkey,
    add primary key (title_id, profile_id),
    add foreign key (account_id, profile_id) references profiles (account_id, id) on delete cascade;
create index ratings_profile on ratings (profile_id, updated_at desc);

alter table notification_settings add column profile_id uuid;
update notification_settings t set profile_id = p.id from profiles p where p.account_id = t.account_id and p.is_primary;
alter table notification_settings alter column profile_id set not null,
    drop constraint notification_settings_pkey,
    add primary key (profile_id, type),
    add foreign key (account_id, profile_id) references profiles (account_id, id) on delete cascade;

alter table recommend_taste add column profile_id uuid;
update recommend_taste t set profile_id = p.id from profiles p where p.account_id = t.account_id and p.is_primary;
alter table recommend_taste alter column profile_id set not null,
    drop constraint recommend_taste_pkey,
    add primary key (profile_id),
    add foreign key (account_id, profile_id) references profiles (account_id, id) on delete cascade;

-- Computed shelves: the next run of the recommendations job recomputes every profile's.
alter table recommend_shelves add column profile_id uuid;
update recommend_shelves t set profile_id = p.id from profiles p where p.account_id = t.account_id and p.is_primary;
alter table recommend_shelves alter column profile_id set not null,
    drop constraint recommend_shelves_pkey,
    add primary key (profile_id, position, rank),
    add foreign key (account_id, profile_id) references profiles (account_id, id) on delete cascade;

alter table recommend_accounts add column profile_id uuid;
update recommend_accounts t set profile_id = p.id from profiles p where p.account_id = t.account_id and p.is_primary;
alter table recommend_accounts alter column profile_id set not null,
    drop constraint recommend_accounts_pkey,
    add primary key (profile_id),
    add foreign key (account_id, profile_id) references profiles (account_id, id) on delete cascade;

-- Writers name the profile (its account is filled in) or, like code written before profiles, only the account (its
-- primary profile is filled in). The foreign keys above still refuse a profile of another account.
create function profile_rows_fill() returns trigger language plpgsql as $$
begin
    if new.profile_id is null then
        select p.id into new.profile_id from profiles p where p.account_id = new.account_id and p.is_primary;
    elsif new.account_id is null then
        select p.account_id into new.account_id from profiles p where p.id = new.profile_id;
    end if;
    return new;
end $$;
create trigger playback_progress_profile before insert on playback_progress
    for each row execute function profile_rows_fill();
create trigger watchlist_entries_profile before insert on watchlist_entries
    for each row execute function profile_rows_fill();
create trigger ratings_profile before insert on ratings
    for each row execute function profile_rows_fill();
create trigger notification_settings_profile before insert on notification_settings
    for each row execute function profile_rows_fill();
create trigger recommend_taste_profile before insert on recommend_taste
    for each row execute function profile_rows_fill();
create trigger recommend_shelves_profile before insert on recommend_shelves
    for each row execute function profile_rows_fill();
create trigger recommend_accounts_profile before insert on recommend_accounts
    for each row execute function profile_rows_fill();
