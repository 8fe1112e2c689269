-- Catalogue: titles (movie or series), their names and synopses per language, external ids, seasons,
-- and the playable media items (a movie's feature or a series' episode) with their packaging state.

create table titles (
    id                 uuid primary key,
    kind               text not null check (kind in ('movie', 'series')),
    original_title     text not null,
    original_language  text,
    -- lower-cased English (else original) title: the 'title' sort key
    sort_title         text not null,
    year               int check (year between 1870 and 2200),
    -- minimum viewer age: 0 for all ages
    min_age            smallint not null default 0 check (min_age between 0 and 21),
    genres             text[] not null default '{}',
    tags               text[] not null default '{}',
    studios            text[] not null default '{}',
    popularity         bigint not null default 0,
    -- lower-cased original and localised names, for the text query
    search_text        text not null default '',
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);
create index titles_newest on titles (created_at desc, id desc);
create index titles_by_title on titles (sort_title, id);
create index titles_popular on titles (popularity desc, id desc);
create index titles_genres on titles using gin (genres);

create table title_names (
    title_id  uuid not null references titles (id) on delete cascade,
    language  text not null,
    name      text not null,
    primary key (title_id, language)
);

create table title_synopses (
    title_id  uuid not null references titles (id) on delete cascade,
    language  text not null,
    synopsis  text not null,
    primary key (title_id, language)
);

-- One title per (source, external id): the importer's idempotency key.
create table title_external_ids (
    source       text not null check (source in ('mal', 'anilist', 'kitsu', 'tmdb')),
    external_id  text not null,
    title_id     uuid not null references titles (id) on delete cascade,
    primary key (source, external_id)
);
create index title_external_ids_title on title_external_ids (title_id);

create table seasons (
    id        uuid primary key,
    title_id  uuid not null references titles (id) on delete cascade,
    number    int not null check (number >= 0),
    name      text,
    unique (title_id, number)
);

create table media_items (
    id                  uuid primary key,
    title_id            uuid not null references titles (id) on delete cascade,
    season_id           uuid references seasons (id) on delete cascade,
    episode_number      int check (episode_number >= 0),
    name                text,
    -- the folder under media.root the media server serves (a protocol TitleId)
    packaged_title_id   text not null unique,
    renditions          text[] not null default '{}',
    audio_languages     text[] not null default '{}',
    subtitle_languages  text[] not null default '{}',
    duration_seconds    int check (duration_seconds >= 0),
    has_dash            boolean not null default false,
    protection          text not null default 'aes-128',
    -- who may play it once published: anyone (guests too), signed-in accounts, or accounts with a plan
    access              text not null default 'subscription' check (access in ('free', 'registered', 'subscription')),
    state               text not null default 'uploaded'
        check (state in ('uploaded', 'queued', 'packaging', 'ready', 'failed', 'published', 'taken_down')),
    source_path         text,
    published_at        timestamptz,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    unique (season_id, episode_number)
);
create index media_items_title on media_items (title_id);
create index media_items_audio on media_items using gin (audio_languages);
create index media_items_subtitles on media_items using gin (subtitle_languages);
