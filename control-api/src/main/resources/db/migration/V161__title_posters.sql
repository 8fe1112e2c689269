-- Posters uploaded by editors (owner: admin.TitlePosters): they take the place of the frame the packager grabbed.
-- Kept as the re-encoded JPEG only (never the uploaded bytes), in the database so every node serves the same one.
create table title_posters (
    title_id    uuid primary key references titles (id) on delete cascade,
    jpeg        bytea not null,
    width       int not null,
    height      int not null,
    updated_at  timestamptz not null
);
