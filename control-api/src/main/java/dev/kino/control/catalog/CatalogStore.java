package dev.kino.control.catalog;

import dev.kino.control.http.ApiException;
import dev.kino.control.http.Page;
import dev.kino.control.http.ProblemType;
import dev.kino.control.http.Validation;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Titles, seasons and media items in PostgreSQL. Blocking (JDBC): call from handlers, which run on the
 * runtime's bounded executor, or from job workers. Methods taking a {@link Handle} join the caller's
 * transaction.
 */
public final class CatalogStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public CatalogStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** @return now, at PostgreSQL's microsecond precision (so cursors round-trip exactly) */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---- titles -------------------------------------------------------------------------------------------

    /** A validated, normalised {@link TitleInput}. */
    record CleanTitle(String kind, String originalTitle, String originalLanguage, Map<String, String> titles,
                      Map<String, String> synopses, Integer year, int minAge, List<String> genres, List<String> tags,
                      List<String> studios, Map<String, String> externalIds) {
    }

    /** @throws ApiException 422 listing every invalid field */
    static CleanTitle clean(TitleInput in) {
        Validation v = new Validation();
        v.check("kind", in.kind() != null && Checks.KINDS.contains(in.kind()), "must be movie or series");
        if (v.required("originalTitle", in.originalTitle())) {
            v.check("originalTitle", in.originalTitle().length() <= 500, "must be at most 500 characters");
        }
        if (in.originalLanguage() != null) {
            v.check("originalLanguage", Checks.LANGUAGE.matcher(in.originalLanguage()).matches(),
                    "must be a language code such as ja");
        }
        Checks.localised(v, "titles", in.titles(), 500);
        Checks.localised(v, "synopses", in.synopses(), 20_000);
        if (in.year() != null) {
            v.check("year", in.year() >= 1870 && in.year() <= 2200, "must be from 1870 to 2200");
        }
        int minAge = Checks.minAge(in.ageRating());
        v.check("ageRating", minAge >= 0, "must be 'all' or a minimum age such as '13+' (at most 21+)");
        List<String> genres = Checks.words(v, "genres", in.genres());
        List<String> tags = Checks.words(v, "tags", in.tags());
        List<String> studios = Checks.names(v, "studios", in.studios());
        Checks.externalIds(v, in.externalIds());
        v.throwIfInvalid();
        return new CleanTitle(in.kind(), in.originalTitle().trim(), in.originalLanguage(),
                in.titles() == null ? Map.of() : new TreeMap<>(in.titles()),
                in.synopses() == null ? Map.of() : new TreeMap<>(in.synopses()), in.year(), minAge, genres, tags,
                studios, in.externalIds() == null ? Map.of() : new TreeMap<>(in.externalIds()));
    }

    /**
     * Creates a title.
     *
     * @return its id
     * @throws ApiException 422 for invalid fields, 409 when an external id already belongs to a title
     */
    public UUID createTitle(Handle h, TitleInput input) {
        CleanTitle t = clean(input);
        UUID id = UUID.randomUUID();
        Instant now = now();
        h.createUpdate("""
                insert into titles (id, kind, original_title, original_language, sort_title, year, min_age, genres, tags,
                                    studios, search_text, created_at, updated_at)
                values (:id, :kind, :original, :lang, :sort, :year, :minAge, :genres, :tags, :studios, :search, :now, :now)""")
                .bind("id", id).bind("kind", t.kind()).bind("original", t.originalTitle())
                .bind("lang", t.originalLanguage()).bind("sort", sortTitle(t)).bind("year", t.year())
                .bind("minAge", t.minAge()).bind("genres", t.genres().toArray(String[]::new))
                .bind("tags", t.tags().toArray(String[]::new)).bind("studios", t.studios().toArray(String[]::new))
                .bind("search", searchText(t)).bind("now", now).execute();
        writeChildren(h, id, t);
        return id;
    }

    /**
     * Replaces a title's metadata (names, synopses and external ids included).
     *
     * @throws ApiException 404 for an unknown title, 422 for invalid fields, 409 when the kind would
     *                      change on a title that has seasons, or an external id belongs to another title
     */
    public void updateTitle(Handle h, UUID id, TitleInput input) {
        CleanTitle t = clean(input);
        String kind = h.createQuery("select kind from titles where id = :id for update").bind("id", id)
                .mapTo(String.class).findOne().orElseThrow(() -> notFound(id));
        if (!kind.equals(t.kind()) && t.kind().equals("movie")
                && h.createQuery("select count(*) from seasons where title_id = :id").bind("id", id).mapTo(int.class).one() > 0) {
            throw ApiException.of(ProblemType.CONFLICT, "title " + id + " has seasons; it cannot become a movie");
        }
        h.createUpdate("""
                update titles set kind = :kind, original_title = :original, original_language = :lang, sort_title = :sort,
                       year = :year, min_age = :minAge, genres = :genres, tags = :tags, studios = :studios,
                       search_text = :search, updated_at = :now
                 where id = :id""")
                .bind("id", id).bind("kind", t.kind()).bind("original", t.originalTitle())
                .bind("lang", t.originalLanguage()).bind("sort", sortTitle(t)).bind("year", t.year())
                .bind("minAge", t.minAge()).bind("genres", t.genres().toArray(String[]::new))
                .bind("tags", t.tags().toArray(String[]::new)).bind("studios", t.studios().toArray(String[]::new))
                .bind("search", searchText(t)).bind("now", now()).execute();
        h.createUpdate("delete from title_names where title_id = :id").bind("id", id).execute();
        h.createUpdate("delete from title_synopses where title_id = :id").bind("id", id).execute();
        h.createUpdate("delete from title_external_ids where title_id = :id").bind("id", id).execute();
        writeChildren(h, id, t);
    }

    private static void writeChildren(Handle h, UUID id, CleanTitle t) {
        t.titles().forEach((lang, name) -> h.createUpdate(
                        "insert into title_names (title_id, language, name) values (:id, :lang, :name)")
                .bind("id", id).bind("lang", lang).bind("name", name.trim()).execute());
        t.synopses().forEach((lang, text) -> h.createUpdate(
                        "insert into title_synopses (title_id, language, synopsis) values (:id, :lang, :text)")
                .bind("id", id).bind("lang", lang).bind("text", text.trim()).execute());
        t.externalIds().forEach((source, ext) -> {
            Optional<UUID> owner = h.createQuery(
                            "select title_id from title_external_ids where source = :s and external_id = :e")
                    .bind("s", source).bind("e", ext).mapTo(UUID.class).findOne();
            if (owner.isPresent() && !owner.get().equals(id)) {
                throw ApiException.of(ProblemType.CONFLICT, source + " id " + ext + " already belongs to title " + owner.get());
            }
            h.createUpdate("insert into title_external_ids (source, external_id, title_id) values (:s, :e, :id)")
                    .bind("s", source).bind("e", ext).bind("id", id).execute();
        });
    }

    private static String sortTitle(CleanTitle t) {
        String en = t.titles().get("en");
        return (en != null ? en : t.originalTitle()).trim().toLowerCase(Locale.ROOT);
    }

    private static String searchText(CleanTitle t) {
        StringBuilder sb = new StringBuilder(t.originalTitle().toLowerCase(Locale.ROOT));
        t.titles().values().forEach(n -> sb.append('\n').append(n.toLowerCase(Locale.ROOT)));
        return sb.toString();
    }

    /** @return the title of an external id, if imported before */
    public Optional<UUID> findByExternalId(Handle h, String source, String externalId) {
        return h.createQuery("select title_id from title_external_ids where source = :s and external_id = :e")
                .bind("s", source).bind("e", externalId).mapTo(UUID.class).findOne();
    }

    /**
     * Deletes a title with its seasons and media.
     *
     * @throws ApiException 404 for an unknown title, 409 while any of its media is published
     */
    public void deleteTitle(UUID id) {
        jdbi.useTransaction(h -> {
            h.createQuery("select id from titles where id = :id for update").bind("id", id).mapTo(UUID.class)
                    .findOne().orElseThrow(() -> notFound(id));
            int published = h.createQuery("select count(*) from media_items where title_id = :id and state = 'published'")
                    .bind("id", id).mapTo(int.class).one();
            if (published > 0) {
                throw ApiException.of(ProblemType.CONFLICT, "title " + id + " has " + published
                        + " published media item(s); unpublish or take them down first");
            }
            h.createUpdate("delete from titles where id = :id").bind("id", id).execute();
        });
    }

    /** Counts one playback towards the title's popularity. */
    public void countPlay(UUID titleId) {
        jdbi.useHandle(h -> h.createUpdate("update titles set popularity = popularity + 1 where id = :id")
                .bind("id", titleId).execute());
    }

    // ---- browsing -----------------------------------------------------------------------------------------

    /** Sort orders of {@code GET /titles}; each ends with the id so the order is total. */
    public enum Sort {
        /** Newest first: {@code created_at desc, id desc}. */
        NEWEST("t.created_at desc, t.id desc", "(t.created_at, t.id) < (:c0, :c1)"),
        /** By English (else original) title, A to Z: {@code sort_title, id}. */
        TITLE("t.sort_title asc, t.id asc", "(t.sort_title, t.id) > (:c0, :c1)"),
        /** Most played first: {@code popularity desc, id desc}. */
        POPULARITY("t.popularity desc, t.id desc", "(t.popularity, t.id) < (:c0, :c1)");

        final String order;
        final String after;

        Sort(String order, String after) {
            this.order = order;
            this.after = after;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Filters of {@code GET /titles}; null means no filter.
     *
     * @param genre lower-cased genre
     * @param tag lower-cased tag
     * @param year release year
     * @param kind {@code movie} or {@code series}
     * @param audio audio language code of some (visible) media item
     * @param subtitle subtitle language code of some (visible) media item
     * @param text case-insensitive substring of the original or any localised title
     * @param sort order
     */
    public record TitleQuery(String genre, String tag, Integer year, String kind, String audio, String subtitle,
                             String text, Sort sort) {
    }

    /**
     * One page of titles. Viewers without {@code catalog.write} see only titles with at least one
     * published item, and the language filters only consider published items.
     *
     * <p>Keyset pagination on the sort columns plus the id: a page never repeats or skips a title that
     * did not change; with {@link Sort#POPULARITY} a title whose count changes between pages may move.
     */
    public Page<TitleSummary> list(TitleQuery q, boolean admin, Page.Cursor cursor) {
        StringBuilder sql = new StringBuilder("select t.* from titles t where true");
        Map<String, Object> binds = new HashMap<>();
        String visible = admin ? "" : " and m.state = 'published'";
        if (!admin) {
            sql.append(" and exists (select 1 from media_items m where m.title_id = t.id").append(visible).append(")");
        }
        if (q.genre() != null) {
            sql.append(" and t.genres @> array[cast(:genre as text)]");
            binds.put("genre", q.genre().toLowerCase(Locale.ROOT));
        }
        if (q.tag() != null) {
            sql.append(" and t.tags @> array[cast(:tag as text)]");
            binds.put("tag", q.tag().toLowerCase(Locale.ROOT));
        }
        if (q.year() != null) {
            sql.append(" and t.year = :year");
            binds.put("year", q.year());
        }
        if (q.kind() != null) {
            sql.append(" and t.kind = :kind");
            binds.put("kind", q.kind());
        }
        if (q.audio() != null) {
            sql.append(" and exists (select 1 from media_items m where m.title_id = t.id and m.audio_languages @> array[cast(:audio as text)]")
                    .append(visible).append(")");
            binds.put("audio", q.audio());
        }
        if (q.subtitle() != null) {
            sql.append(" and exists (select 1 from media_items m where m.title_id = t.id and m.subtitle_languages @> array[cast(:sub as text)]")
                    .append(visible).append(")");
            binds.put("sub", q.subtitle());
        }
        if (q.text() != null) {
            sql.append(" and t.search_text like :text escape '\\'");
            binds.put("text", "%" + q.text().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        if (cursor.after() != null) {
            List<String> a = cursor.after();
            if (a.size() != 3 || !a.get(0).equals(q.sort().wire())) {
                throw ApiException.of(ProblemType.BAD_REQUEST, "cursor is not one returned by this API for sort="
                        + q.sort().wire());
            }
            sql.append(" and ").append(q.sort().after);
            try {
                binds.put("c0", switch (q.sort()) {
                    case NEWEST -> Timestamp.from(Instant.parse(a.get(1)));
                    case TITLE -> a.get(1);
                    case POPULARITY -> Long.parseLong(a.get(1));
                });
            } catch (RuntimeException e) {
                throw ApiException.of(ProblemType.BAD_REQUEST, "cursor is not one returned by this API");
            }
            binds.put("c1", new Page.Cursor(cursor.limit(), List.of(a.get(2))).uuid(0));
        }
        sql.append(" order by ").append(q.sort().order).append(" limit :fetch");
        binds.put("fetch", cursor.fetch());
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString());
            binds.forEach(query::bind);
            List<TitleRow> rows = query.map((rs, ctx) -> TitleRow.of(rs)).list();
            Map<UUID, Map<String, String>> names = names(h, rows.stream().map(TitleRow::id).toList());
            List<TitleSummary> items = rows.stream().map(r -> r.summary(names.getOrDefault(r.id(), Map.of()))).toList();
            Map<UUID, TitleRow> byId = rows.stream().collect(Collectors.toMap(TitleRow::id, r -> r));
            return Page.of(cursor, items, s -> {
                TitleRow r = byId.get(s.id());
                return List.of(q.sort().wire(), switch (q.sort()) {
                    case NEWEST -> r.createdAt().toString();
                    case TITLE -> r.sortTitle();
                    case POPULARITY -> Long.toString(r.popularity());
                }, r.id().toString());
            });
        });
    }

    /**
     * @param h an open handle
     * @param ids title ids
     * @return each title's localised names by language code, for the titles that have any
     */
    public static Map<UUID, Map<String, String>> names(Handle h, List<UUID> ids) {
        Map<UUID, Map<String, String>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        h.createQuery("select title_id, language, name from title_names where title_id = any(:ids) order by language")
                .bind("ids", ids.toArray(UUID[]::new))
                .map((rs, ctx) -> {
                    out.computeIfAbsent(rs.getObject("title_id", UUID.class), k -> new LinkedHashMap<>())
                            .put(rs.getString("language"), rs.getString("name"));
                    return 0;
                }).list();
        return out;
    }

    /**
     * The row of {@code titles}.
     *
     * @param minAge minimum viewer age, 0 for all ages
     * @param sortTitle lower-cased English (else original) title
     */
    public record TitleRow(UUID id, String kind, String originalTitle, String originalLanguage, String sortTitle, Integer year,
                    int minAge, List<String> genres, List<String> tags, List<String> studios, long popularity,
                    Instant createdAt, Instant updatedAt) {
        static TitleRow of(ResultSet rs) throws SQLException {
            int year = rs.getInt("year");
            Integer y = rs.wasNull() ? null : year;
            return new TitleRow(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getString("original_title"),
                    rs.getString("original_language"), rs.getString("sort_title"), y, rs.getInt("min_age"),
                    strings(rs.getArray("genres")), strings(rs.getArray("tags")), strings(rs.getArray("studios")),
                    rs.getLong("popularity"), rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("updated_at").toInstant());
        }

        /** @return the list shape with these localised names */
        public TitleSummary summary(Map<String, String> names) {
            return new TitleSummary(id, kind, originalTitle, names, year, Checks.rating(minAge), genres, tags, studios,
                    popularity, createdAt);
        }
    }

    static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return List.of((String[]) array.getArray());
    }

    /**
     * @param admin include media in every state (else only published, and 404 for a title without any)
     * @return the title with its seasons and media
     * @throws ApiException 404 for an unknown (or, to non-admins, unpublished) title
     */
    public TitleDetail get(UUID id, boolean admin) {
        return jdbi.withHandle(h -> {
            TitleRow t = h.createQuery("select * from titles where id = :id").bind("id", id)
                    .map((rs, ctx) -> TitleRow.of(rs)).findOne().orElseThrow(() -> notFound(id));
            List<MediaRow> media = h.createQuery("""
                    select m.*, s.number as season_number from media_items m left join seasons s on s.id = m.season_id
                     where m.title_id = :id order by s.number nulls first, m.episode_number nulls first, m.created_at, m.id""")
                    .bind("id", id).map((rs, ctx) -> MediaRow.of(rs)).list();
            if (!admin) {
                media = media.stream().filter(m -> m.state() == MediaState.PUBLISHED).toList();
                if (media.isEmpty()) {
                    throw notFound(id);
                }
            }
            Map<String, String> names = names(h, List.of(id)).getOrDefault(id, Map.of());
            Map<String, String> synopses = new TreeMap<>();
            h.createQuery("select language, synopsis from title_synopses where title_id = :id").bind("id", id)
                    .map((rs, ctx) -> synopses.put(rs.getString(1), rs.getString(2))).list();
            Map<String, String> ext = new TreeMap<>();
            h.createQuery("select source, external_id from title_external_ids where title_id = :id").bind("id", id)
                    .map((rs, ctx) -> ext.put(rs.getString(1), rs.getString(2))).list();
            record S(UUID id, int number, String name) {
            }
            List<S> seasons = h.createQuery("select id, number, name from seasons where title_id = :id order by number")
                    .bind("id", id).map((rs, ctx) -> new S(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3))).list();
            List<TitleDetail.SeasonView> seasonViews = new ArrayList<>();
            for (S s : seasons) {
                List<MediaView> eps = media.stream().filter(m -> s.id().equals(m.seasonId())).map(m -> m.view(admin)).toList();
                if (admin || !eps.isEmpty()) {
                    seasonViews.add(new TitleDetail.SeasonView(s.id(), s.number(), s.name(), eps));
                }
            }
            List<MediaView> loose = media.stream().filter(m -> m.seasonId() == null).map(m -> m.view(admin)).toList();
            return new TitleDetail(t.id(), t.kind(), t.originalTitle(), t.originalLanguage(), names, synopses, t.year(),
                    Checks.rating(t.minAge()), t.genres(), t.tags(), t.studios(), ext, t.popularity(), seasonViews, loose,
                    t.createdAt(), t.updatedAt());
        });
    }

    /** @return the title's row, for entitlement checks */
    public Optional<TitleRow> titleRow(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select * from titles where id = :id").bind("id", id)
                .map((rs, ctx) -> TitleRow.of(rs)).findOne());
    }

    /** @return the minimum viewer age of a title */
    public int minAge(UUID titleId) {
        return titleRow(titleId).map(TitleRow::minAge).orElse(0);
    }

    // ---- seasons ------------------------------------------------------------------------------------------

    /** @return the season's id, creating it (named {@code name}) when missing; 409 on a movie */
    public UUID ensureSeason(Handle h, UUID titleId, int number, String name) {
        String kind = h.createQuery("select kind from titles where id = :id").bind("id", titleId).mapTo(String.class)
                .findOne().orElseThrow(() -> notFound(titleId));
        if (!kind.equals("series")) {
            throw ApiException.of(ProblemType.CONFLICT, "title " + titleId + " is a movie; movies have no seasons");
        }
        h.createUpdate("""
                insert into seasons (id, title_id, number, name) values (:id, :t, :n, :name)
                on conflict (title_id, number) do update set name = coalesce(excluded.name, seasons.name)""")
                .bind("id", UUID.randomUUID()).bind("t", titleId).bind("n", number).bind("name", name).execute();
        return h.createQuery("select id from seasons where title_id = :t and number = :n").bind("t", titleId)
                .bind("n", number).mapTo(UUID.class).one();
    }

    /** Deletes a season with its episodes; 404 when unknown, 409 while an episode is published. */
    public void deleteSeason(UUID seasonId) {
        jdbi.useTransaction(h -> {
            h.createQuery("select id from seasons where id = :id for update").bind("id", seasonId).mapTo(UUID.class)
                    .findOne().orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "no season " + seasonId));
            if (h.createQuery("select count(*) from media_items where season_id = :id and state = 'published'")
                    .bind("id", seasonId).mapTo(int.class).one() > 0) {
                throw ApiException.of(ProblemType.CONFLICT, "season " + seasonId + " has published episodes");
            }
            h.createUpdate("delete from seasons where id = :id").bind("id", seasonId).execute();
        });
    }

    // ---- media items --------------------------------------------------------------------------------------

    /** The row of {@code media_items} (with its season number). */
    public record MediaRow(UUID id, UUID titleId, UUID seasonId, Integer seasonNumber, Integer episodeNumber,
                           String name, String packagedTitleId, List<String> renditions, List<String> audioLanguages,
                           List<String> subtitleLanguages, Integer durationSeconds, boolean hasDash, String protection,
                           String access, MediaState state, String sourcePath, Instant publishedAt) {
        static MediaRow of(ResultSet rs) throws SQLException {
            int season = rs.getInt("season_number");
            Integer sn = rs.wasNull() ? null : season;
            int ep = rs.getInt("episode_number");
            Integer en = rs.wasNull() ? null : ep;
            int d = rs.getInt("duration_seconds");
            Integer dur = rs.wasNull() ? null : d;
            Timestamp pub = rs.getTimestamp("published_at");
            return new MediaRow(rs.getObject("id", UUID.class), rs.getObject("title_id", UUID.class),
                    rs.getObject("season_id", UUID.class), sn, en, rs.getString("name"),
                    rs.getString("packaged_title_id"), strings(rs.getArray("renditions")),
                    strings(rs.getArray("audio_languages")), strings(rs.getArray("subtitle_languages")), dur,
                    rs.getBoolean("has_dash"), rs.getString("protection"), rs.getString("access"),
                    MediaState.of(rs.getString("state")), rs.getString("source_path"),
                    pub == null ? null : pub.toInstant());
        }

        /** @param admin include admin-only fields */
        public MediaView view(boolean admin) {
            return new MediaView(id, titleId, seasonNumber, episodeNumber, name, packagedTitleId, renditions,
                    audioLanguages, subtitleLanguages, durationSeconds, hasDash, protection, access, state.wire(),
                    admin ? sourcePath != null : null, publishedAt);
        }
    }

    private static final String MEDIA_SELECT = """
            select m.*, s.number as season_number from media_items m left join seasons s on s.id = m.season_id
             where m.id = :id""";

    /** @return the media item, if any */
    public Optional<MediaRow> media(UUID id) {
        return jdbi.withHandle(h -> media(h, id, false));
    }

    /** @return the media item, locked for update when {@code lock} */
    public Optional<MediaRow> media(Handle h, UUID id, boolean lock) {
        return h.createQuery(lock ? MEDIA_SELECT + " for update of m" : MEDIA_SELECT).bind("id", id)
                .map((rs, ctx) -> MediaRow.of(rs)).findOne();
    }

    /**
     * @return the media item a viewer may see: any to {@code catalog.write}, published ones to others
     * @throws ApiException 404 otherwise (an unpublished item does not exist for a viewer)
     */
    public MediaRow visibleMedia(UUID id, boolean admin) {
        return media(id).filter(m -> admin || m.state() == MediaState.PUBLISHED).orElseThrow(() -> mediaNotFound(id));
    }

    /**
     * Creates a media item under a title.
     *
     * @throws ApiException 404 for an unknown title, 422 for invalid fields, 409 for a second feature of a
     *                      movie, an episode on a movie, or a duplicate episode number or packaged title id
     */
    public MediaRow createMedia(UUID titleId, MediaInput in) {
        UUID id = UUID.randomUUID();
        validate(in);
        return jdbi.inTransaction(h -> {
            String kind = h.createQuery("select kind from titles where id = :id for update").bind("id", titleId)
                    .mapTo(String.class).findOne().orElseThrow(() -> notFound(titleId));
            UUID seasonId = null;
            if (kind.equals("movie")) {
                if (in.seasonNumber() != null || in.episodeNumber() != null) {
                    throw ApiException.of(ProblemType.CONFLICT, "title " + titleId + " is a movie; it has no seasons or episodes");
                }
                if (h.createQuery("select count(*) from media_items where title_id = :id").bind("id", titleId)
                        .mapTo(int.class).one() > 0) {
                    throw ApiException.of(ProblemType.CONFLICT, "movie " + titleId + " already has its media item");
                }
            } else {
                if (in.seasonNumber() == null) {
                    throw ApiException.invalid("seasonNumber", "is required for an episode of a series");
                }
                seasonId = ensureSeason(h, titleId, in.seasonNumber(), null);
                if (in.episodeNumber() != null && h.createQuery(
                                "select count(*) from media_items where season_id = :s and episode_number = :e")
                        .bind("s", seasonId).bind("e", in.episodeNumber()).mapTo(int.class).one() > 0) {
                    throw ApiException.of(ProblemType.CONFLICT, "season " + in.seasonNumber() + " already has episode "
                            + in.episodeNumber());
                }
            }
            String folder = in.packagedTitleId() != null ? in.packagedTitleId() : "m-" + id;
            requireFreeFolder(h, folder, id);
            Instant now = now();
            h.createUpdate("""
                    insert into media_items (id, title_id, season_id, episode_number, name, packaged_title_id, renditions,
                        audio_languages, subtitle_languages, duration_seconds, has_dash, protection, access, state,
                        created_at, updated_at)
                    values (:id, :title, :season, :ep, :name, :folder, :renditions, :audio, :subs, :duration, :dash,
                        :protection, :access, :state, :now, :now)""")
                    .bind("id", id).bind("title", titleId).bind("season", seasonId).bind("ep", in.episodeNumber())
                    .bind("name", in.name()).bind("folder", folder)
                    .bind("renditions", arr(in.renditions())).bind("audio", arr(in.audioLanguages()))
                    .bind("subs", arr(in.subtitleLanguages())).bind("duration", in.durationSeconds())
                    .bind("dash", Boolean.TRUE.equals(in.hasDash()))
                    .bind("protection", in.protection() == null ? "aes-128" : in.protection())
                    .bind("access", in.access() == null ? "subscription" : in.access())
                    .bind("state", Boolean.TRUE.equals(in.packaged()) ? "ready" : "uploaded").bind("now", now).execute();
            return media(h, id, false).orElseThrow();
        });
    }

    /**
     * Replaces a media item's metadata (not its state, source or place in the title).
     *
     * @throws ApiException 404, 422, 409 for a packaged title id in use or a change of folder while
     *                      published
     */
    public MediaRow updateMedia(UUID id, MediaInput in) {
        validate(in);
        return jdbi.inTransaction(h -> {
            MediaRow m = media(h, id, true).orElseThrow(() -> mediaNotFound(id));
            String folder = in.packagedTitleId() != null ? in.packagedTitleId() : m.packagedTitleId();
            if (!folder.equals(m.packagedTitleId())) {
                if (m.state() == MediaState.PUBLISHED || m.state() == MediaState.PACKAGING) {
                    throw ApiException.of(ProblemType.CONFLICT, "media " + id + " is " + m.state().wire()
                            + "; its packaged title id cannot change now");
                }
                requireFreeFolder(h, folder, id);
            }
            h.createUpdate("""
                    update media_items set name = :name, packaged_title_id = :folder, renditions = :renditions,
                        audio_languages = :audio, subtitle_languages = :subs, duration_seconds = :duration, has_dash = :dash,
                        protection = :protection, access = :access, updated_at = :now
                     where id = :id""")
                    .bind("id", id).bind("name", in.name()).bind("folder", folder)
                    .bind("renditions", arr(in.renditions() != null ? in.renditions() : m.renditions()))
                    .bind("audio", arr(in.audioLanguages() != null ? in.audioLanguages() : m.audioLanguages()))
                    .bind("subs", arr(in.subtitleLanguages() != null ? in.subtitleLanguages() : m.subtitleLanguages()))
                    .bind("duration", in.durationSeconds() != null ? in.durationSeconds() : m.durationSeconds())
                    .bind("dash", in.hasDash() != null ? in.hasDash() : m.hasDash())
                    .bind("protection", in.protection() != null ? in.protection() : m.protection())
                    .bind("access", in.access() != null ? in.access() : m.access()).bind("now", now()).execute();
            return media(h, id, false).orElseThrow();
        });
    }

    private static void requireFreeFolder(Handle h, String folder, UUID self) {
        Optional<UUID> owner = h.createQuery("select id from media_items where packaged_title_id = :f").bind("f", folder)
                .mapTo(UUID.class).findOne();
        if (owner.isPresent() && !owner.get().equals(self)) {
            throw ApiException.of(ProblemType.CONFLICT, "packaged title id '" + folder + "' is used by media " + owner.get());
        }
    }

    private static void validate(MediaInput in) {
        Validation v = new Validation();
        if (in.seasonNumber() != null) {
            v.check("seasonNumber", in.seasonNumber() >= 0 && in.seasonNumber() <= 10_000, "must be 0 to 10000");
        }
        if (in.episodeNumber() != null) {
            v.check("episodeNumber", in.episodeNumber() >= 0 && in.episodeNumber() <= 100_000, "must be 0 to 100000");
        }
        if (in.name() != null) {
            v.check("name", !in.name().isBlank() && in.name().length() <= 500, "must be 1 to 500 characters");
        }
        Checks.titleId(v, "packagedTitleId", in.packagedTitleId());
        Checks.renditions(v, in.renditions());
        Checks.languages(v, "audioLanguages", in.audioLanguages());
        Checks.languages(v, "subtitleLanguages", in.subtitleLanguages());
        if (in.durationSeconds() != null) {
            v.check("durationSeconds", in.durationSeconds() >= 0 && in.durationSeconds() <= 7 * 24 * 3600,
                    "must be 0 to 604800 seconds");
        }
        if (in.protection() != null) {
            v.check("protection", Checks.PROTECTIONS.contains(in.protection()), "must be one of " + Checks.PROTECTIONS);
        }
        if (in.access() != null) {
            v.check("access", Checks.ACCESS.contains(in.access()), "must be free, registered or subscription");
        }
        v.throwIfInvalid();
    }

    private static String[] arr(List<String> list) {
        return list == null ? new String[0] : list.stream().distinct().toArray(String[]::new);
    }

    /** Deletes a media item; 404 when unknown, 409 while published or packaging. */
    public void deleteMedia(UUID id) {
        jdbi.useTransaction(h -> {
            MediaRow m = media(h, id, true).orElseThrow(() -> mediaNotFound(id));
            if (m.state() == MediaState.PUBLISHED || m.state() == MediaState.PACKAGING) {
                throw ApiException.of(ProblemType.CONFLICT, "media " + id + " is " + m.state().wire()
                        + "; unpublish it or cancel its job first");
            }
            h.createUpdate("delete from media_items where id = :id").bind("id", id).execute();
        });
    }

    /**
     * Moves a media item to {@code to} inside the caller's transaction, after checking the move is legal.
     *
     * @param verb what the caller is doing, for the 409 detail ({@code publish}, {@code take down})
     * @return the row before the move
     * @throws ApiException 404 for an unknown item, 409 for an illegal move
     */
    public MediaRow transition(Handle h, UUID id, MediaState to, String verb) {
        MediaRow m = media(h, id, true).orElseThrow(() -> mediaNotFound(id));
        if (!m.state().canMoveTo(to)) {
            throw ApiException.of(ProblemType.CONFLICT, "cannot " + verb + " media " + id + ": it is " + m.state().wire()
                    + " (allowed from " + MediaState.from(to).stream().map(MediaState::wire).sorted()
                    .collect(Collectors.joining(", ")) + ")");
        }
        h.createUpdate("""
                update media_items set state = :to, updated_at = :now,
                       published_at = case when :to = 'published' then :now else published_at end
                 where id = :id""")
                .bind("id", id).bind("to", to.wire()).bind("now", now()).execute();
        return m;
    }

    /** Sets the state without checks (job workers, whose moves the queue already serialises). */
    public void forceState(Handle h, UUID id, MediaState to) {
        h.createUpdate("update media_items set state = :to, updated_at = :now where id = :id")
                .bind("id", id).bind("to", to.wire()).bind("now", now()).execute();
    }

    /** Records what packaging produced. */
    public void packaged(Handle h, UUID id, List<String> renditions, List<String> audio, List<String> subs,
                         Integer durationSeconds, boolean dash) {
        h.createUpdate("""
                update media_items set state = 'ready', renditions = :r, audio_languages = :a, subtitle_languages = :s,
                       duration_seconds = :d, has_dash = :dash, updated_at = :now where id = :id""")
                .bind("id", id).bind("r", arr(renditions)).bind("a", arr(audio)).bind("s", arr(subs))
                .bind("d", durationSeconds).bind("dash", dash).bind("now", now()).execute();
    }

    /** Registers a source file and moves the item back to {@code uploaded}; 409 when packaging or published. */
    public void setSource(UUID id, String path) {
        jdbi.useTransaction(h -> {
            MediaRow m = transition(h, id, MediaState.UPLOADED, "replace the source of");
            h.createUpdate("update media_items set source_path = :p where id = :id").bind("p", path).bind("id", m.id()).execute();
        });
    }

    static ApiException notFound(UUID id) {
        return ApiException.of(ProblemType.NOT_FOUND, "no title " + id);
    }

    public static ApiException mediaNotFound(UUID id) {
        return ApiException.of(ProblemType.NOT_FOUND, "no media " + id);
    }
}
