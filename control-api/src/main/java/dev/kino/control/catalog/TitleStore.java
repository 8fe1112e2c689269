package dev.kino.control.catalog;

import dev.kino.control.BadRequestException;
import dev.kino.control.ConflictException;
import dev.kino.control.http.Page;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Owns {@code titles}, {@code title_names}, {@code title_synopses} and {@code title_external_ids}: the only class
 * with SQL on them. Blocking (JDBC). Methods taking a {@link Handle} join the caller's transaction (the
 * {@link Catalog} composes them with the season and media stores); the others open their own.
 *
 * <p>Browsing ({@link #browse}) also reads {@code media_items}, the same feature's table, in subqueries: whether a
 * title is visible, and the language filters, must be decided in SQL for keyset pagination to hold.
 */
public final class TitleStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public TitleStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Inserts a title with its names, synopses and external ids.
     *
     * @return its id
     * @throws ConflictException when an external id already belongs to another title
     */
    public UUID insert(Handle h, TitleInput.Normalised t) {
        UUID id = UUID.randomUUID();
        h.createUpdate("""
                insert into titles (id, kind, original_title, original_language, sort_title, year, min_age, genres, tags,
                                    studios, people, search_text, created_at, updated_at)
                values (:id, :kind, :original, :lang, :sort, :year, :minAge, :genres, :tags, :studios, :people, :search,
                        :now, :now)""")
                .bind("id", id).bind("kind", t.kind()).bind("original", t.originalTitle())
                .bind("lang", t.originalLanguage()).bind("sort", sortTitle(t)).bind("year", t.year())
                .bind("minAge", t.minAge()).bind("genres", t.genres().toArray(String[]::new))
                .bind("tags", t.tags().toArray(String[]::new)).bind("studios", t.studios().toArray(String[]::new))
                .bind("people", t.people().toArray(String[]::new))
                .bind("search", searchText(t)).bind("now", now()).execute();
        writeChildren(h, id, t);
        return id;
    }

    /**
     * Replaces a title's row and its names, synopses and external ids.
     *
     * @throws ConflictException when an external id belongs to another title
     */
    public void update(Handle h, UUID id, TitleInput.Normalised t) {
        h.createUpdate("""
                update titles set kind = :kind, original_title = :original, original_language = :lang, sort_title = :sort,
                       year = :year, min_age = :minAge, genres = :genres, tags = :tags, studios = :studios,
                       people = :people, search_text = :search, updated_at = :now
                 where id = :id""")
                .bind("id", id).bind("kind", t.kind()).bind("original", t.originalTitle())
                .bind("lang", t.originalLanguage()).bind("sort", sortTitle(t)).bind("year", t.year())
                .bind("minAge", t.minAge()).bind("genres", t.genres().toArray(String[]::new))
                .bind("tags", t.tags().toArray(String[]::new)).bind("studios", t.studios().toArray(String[]::new))
                .bind("people", t.people().toArray(String[]::new))
                .bind("search", searchText(t)).bind("now", now()).execute();
        h.createUpdate("delete from title_names where title_id = :id").bind("id", id).execute();
        h.createUpdate("delete from title_synopses where title_id = :id").bind("id", id).execute();
        h.createUpdate("delete from title_external_ids where title_id = :id").bind("id", id).execute();
        writeChildren(h, id, t);
    }

    private void writeChildren(Handle h, UUID id, TitleInput.Normalised t) {
        t.titles().forEach((lang, name) -> h.createUpdate(
                        "insert into title_names (title_id, language, name) values (:id, :lang, :name)")
                .bind("id", id).bind("lang", lang).bind("name", name).execute());
        t.synopses().forEach((lang, text) -> h.createUpdate(
                        "insert into title_synopses (title_id, language, synopsis) values (:id, :lang, :text)")
                .bind("id", id).bind("lang", lang).bind("text", text).execute());
        t.externalIds().forEach((source, ext) -> {
            Optional<UUID> owner = findByExternalId(h, source, ext);
            if (owner.isPresent() && !owner.get().equals(id)) {
                throw new ConflictException(source + " id " + ext + " already belongs to title " + owner.get());
            }
            h.createUpdate("insert into title_external_ids (source, external_id, title_id) values (:s, :e, :id)")
                    .bind("s", source).bind("e", ext).bind("id", id).execute();
        });
    }

    private static String sortTitle(TitleInput.Normalised t) {
        String en = t.titles().get("en");
        return (en != null ? en : t.originalTitle()).trim().toLowerCase(Locale.ROOT);
    }

    private static String searchText(TitleInput.Normalised t) {
        StringBuilder sb = new StringBuilder(t.originalTitle().toLowerCase(Locale.ROOT));
        t.titles().values().forEach(n -> sb.append('\n').append(n.toLowerCase(Locale.ROOT)));
        return sb.toString();
    }

    /** @return the title's kind ({@code movie} or {@code series}), the row locked for update when {@code lock} */
    public Optional<String> kind(Handle h, UUID id, boolean lock) {
        return h.createQuery("select kind from titles where id = :id" + (lock ? " for update" : "")).bind("id", id)
                .mapTo(String.class).findOne();
    }

    /** Deletes a title; its names, seasons and media go with it (foreign keys cascade). */
    public void delete(Handle h, UUID id) {
        h.createUpdate("delete from titles where id = :id").bind("id", id).execute();
    }

    /** @return the title of an external id, if imported before */
    public Optional<UUID> findByExternalId(Handle h, String source, String externalId) {
        return h.createQuery("select title_id from title_external_ids where source = :s and external_id = :e")
                .bind("s", source).bind("e", externalId).mapTo(UUID.class).findOne();
    }

    /** @return the title's external ids by source, sorted */
    public Map<String, String> externalIds(Handle h, UUID id) {
        Map<String, String> ext = new TreeMap<>();
        h.createQuery("select source, external_id from title_external_ids where title_id = :id").bind("id", id)
                .map((rs, ctx) -> ext.put(rs.getString(1), rs.getString(2))).list();
        return ext;
    }

    /** @return the title's synopses by language, sorted */
    public Map<String, String> synopses(Handle h, UUID id) {
        Map<String, String> synopses = new TreeMap<>();
        h.createQuery("select language, synopsis from title_synopses where title_id = :id").bind("id", id)
                .map((rs, ctx) -> synopses.put(rs.getString(1), rs.getString(2))).list();
        return synopses;
    }

    /** @return each title's localised names by language code, for the titles that have any */
    public Map<UUID, Map<String, String>> names(Handle h, List<UUID> ids) {
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

    /** @return the title's row */
    public Optional<TitleRow> row(Handle h, UUID id) {
        return h.createQuery("select * from titles where id = :id").bind("id", id)
                .map((rs, ctx) -> TitleRow.of(rs)).findOne();
    }

    /** @return the title's row */
    public Optional<TitleRow> row(UUID id) {
        return jdbi.withHandle(h -> row(h, id));
    }

    /** @return the rows of those of {@code ids} that exist, in no particular order */
    public List<TitleRow> rows(Handle h, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return h.createQuery("select * from titles where id = any(:ids)").bind("ids", ids.toArray(UUID[]::new))
                .map((rs, ctx) -> TitleRow.of(rs)).list();
    }

    /**
     * Reads titles for the search index: rows, names, synopses, and the languages and states of their media items
     * (this feature's own table), in three queries.
     *
     * @param ids title ids; unknown ones are left out
     * @return the titles, in no particular order
     */
    public List<SearchableTitle> searchable(Handle h, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        UUID[] array = ids.toArray(UUID[]::new);
        List<TitleRow> rows = rows(h, ids);
        Map<UUID, Map<String, String>> names = names(h, ids);
        Map<UUID, Map<String, String>> synopses = new HashMap<>();
        h.createQuery("select title_id, language, synopsis from title_synopses where title_id = any(:ids)")
                .bind("ids", array).map((rs, ctx) -> synopses.computeIfAbsent(rs.getObject(1, UUID.class),
                        k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3))).list();
        record MediaLangs(UUID title, boolean published, List<String> audio, List<String> subs, Instant updated) {
        }
        Map<UUID, List<MediaLangs>> media = new HashMap<>();
        h.createQuery("""
                        select title_id, state = 'published' as published, audio_languages, subtitle_languages, updated_at
                          from media_items where title_id = any(:ids)""")
                .bind("ids", array)
                .map((rs, ctx) -> new MediaLangs(rs.getObject(1, UUID.class), rs.getBoolean(2),
                        Sql.strings(rs.getArray(3)), Sql.strings(rs.getArray(4)), rs.getTimestamp(5).toInstant()))
                .forEach(m -> media.computeIfAbsent(m.title(), k -> new java.util.ArrayList<>()).add(m));
        List<SearchableTitle> out = new java.util.ArrayList<>(rows.size());
        for (TitleRow r : rows) {
            java.util.Set<String> audio = new java.util.TreeSet<>();
            java.util.Set<String> subs = new java.util.TreeSet<>();
            java.util.Set<String> audioAll = new java.util.TreeSet<>();
            java.util.Set<String> subsAll = new java.util.TreeSet<>();
            boolean published = false;
            Instant version = r.updatedAt();
            for (MediaLangs m : media.getOrDefault(r.id(), List.of())) {
                audioAll.addAll(m.audio());
                subsAll.addAll(m.subs());
                if (m.published()) {
                    published = true;
                    audio.addAll(m.audio());
                    subs.addAll(m.subs());
                }
                if (m.updated().isAfter(version)) {
                    version = m.updated();
                }
            }
            out.add(new SearchableTitle(r.id(), r.kind(), r.originalTitle(), r.originalLanguage(),
                    names.getOrDefault(r.id(), Map.of()), synopses.getOrDefault(r.id(), Map.of()), r.year(), r.minAge(),
                    r.genres(), r.tags(), r.studios(), r.people(), r.popularity(), r.ratingCount(), r.ratingSum(), published,
                    audio, subs, audioAll, subsAll, version));
        }
        return out;
    }

    /** @return up to {@code limit} title ids after {@code after} (null: from the first) in id order */
    public List<UUID> idsAfter(Handle h, UUID after, int limit) {
        return h.createQuery("select id from titles where (cast(:after as uuid) is null or id > :after) order by id limit :n")
                .bind("after", after).bind("n", limit).mapTo(UUID.class).list();
    }

    /**
     * @return the titles whose row, or one of whose media items, changed after {@code since}, with the latest such
     *         change
     */
    public Map<UUID, Instant> changedSince(Handle h, Instant since) {
        Map<UUID, Instant> out = new HashMap<>();
        h.createQuery("""
                        select id, updated_at from titles where updated_at > :t
                        union all
                        select title_id, max(updated_at) from media_items where updated_at > :t group by title_id""")
                .bind("t", since)
                .map((rs, ctx) -> out.merge(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(),
                        (a, b) -> a.isAfter(b) ? a : b)).list();
        return out;
    }

    /** A title's figures that change without an edit: plays and votes. */
    public record Figures(long popularity, int ratingCount, long ratingSum) {
    }

    /** @return every title's plays and votes, by id */
    public Map<UUID, Figures> figures(Handle h) {
        Map<UUID, Figures> out = new HashMap<>();
        h.createQuery("select id, popularity, rating_count, rating_sum from titles").setFetchSize(10_000)
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), new Figures(rs.getLong(2), rs.getInt(3), rs.getLong(4))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Facts of titles for recommendations: their rows, English title and synopsis, and the access values of their
     * published media (a subquery on {@code media_items}, the same feature's table).
     *
     * @param ids the titles, or null for a page of all titles in id order after {@code after}
     * @param after with {@code ids} null: the last id of the previous page, or null to start
     * @param limit with {@code ids} null: most titles returned
     */
    public List<TitleFacts> facts(Handle h, List<UUID> ids, UUID after, int limit) {
        String where = ids != null ? "t.id = any(:ids)" : "(cast(:after as uuid) is null or t.id > cast(:after as uuid))";
        Query q = h.createQuery("""
                select t.id, t.kind, t.original_title, t.min_age, t.genres, t.tags, t.studios, t.people, t.rating_count, t.rating_sum,
                       (select n.name from title_names n where n.title_id = t.id and n.language = 'en') as english,
                       (select s.synopsis from title_synopses s where s.title_id = t.id
                         order by (s.language = 'en') desc, s.language limit 1) as synopsis,
                       array(select distinct m.access from media_items m
                              where m.title_id = t.id and m.state = 'published') as access
                  from titles t""" + " where " + where + " order by t.id" + (ids != null ? "" : " limit :limit"));
        if (ids != null) {
            q.bind("ids", ids.toArray(UUID[]::new));
        } else {
            q.bind("after", after).bind("limit", limit);
        }
        return q.map((rs, ctx) -> new TitleFacts(rs.getObject("id", UUID.class), rs.getString("kind"),
                rs.getString("original_title"), rs.getString("english"), rs.getInt("min_age"),
                Sql.strings(rs.getArray("genres")), Sql.strings(rs.getArray("tags")), Sql.strings(rs.getArray("studios")),
                Sql.strings(rs.getArray("people")), rs.getString("synopsis"), rs.getInt("rating_count"), rs.getLong("rating_sum"),
                java.util.Set.copyOf(Sql.strings(rs.getArray("access"))))).list();
    }

    /** Votes of the mean score every title is assumed to have on top of its own (the "m" of a Bayesian rating). */
    public static final int RATING_PRIOR_VOTES = 10;
    /** The weighted rating of {@code t} in SQL: (sum + m·C) / (count + m), with {@code :rm} = m and {@code :rc} = C. */
    static final String WEIGHTED = "((t.rating_sum + :rm * :rc) / (t.rating_count + :rm))";

    /** Records a title's vote count and score sum (the ratings feature's figures) for sorting. */
    public void ratingChanged(Handle h, UUID titleId, int count, long sum) {
        h.createUpdate("update titles set rating_count = :c, rating_sum = :s where id = :id")
                .bind("c", count).bind("s", sum).bind("id", titleId).execute();
    }

    /** @return the mean score of every vote on every title, 0 when there is none */
    public double meanRating(Handle h) {
        return h.createQuery("select coalesce(sum(rating_sum)::float8 / nullif(sum(rating_count), 0), 0) from titles")
                .mapTo(Double.class).one();
    }

    /** @return the weighted rating of a title with {@code count} votes summing to {@code sum}, given the mean C */
    public static double weighted(int count, long sum, double mean) {
        return (sum + RATING_PRIOR_VOTES * mean) / (count + RATING_PRIOR_VOTES);
    }

    /** Counts one playback towards the title's popularity. */
    public void countPlay(UUID titleId) {
        jdbi.useHandle(h -> h.createUpdate("update titles set popularity = popularity + 1 where id = :id")
                .bind("id", titleId).execute());
    }

    /**
     * One page of titles. Viewers without {@code catalog.write} ({@code admin} false) see only titles with at
     * least one published item, and the language filters only consider published items.
     *
     * <p>Keyset pagination on the sort columns plus the id: a page never repeats or skips a title that did not
     * change; with {@link TitleQuery.Sort#POPULARITY} a title whose count changes between pages may move.
     *
     * @throws BadRequestException for a cursor of another sort order, or not one this API issued
     */
    public Page<TitleSummary> browse(TitleQuery q, boolean admin, Page.Cursor cursor) {
        return browse(q, admin, Integer.MAX_VALUE, cursor);
    }

    /**
     * One page of titles, as {@link #browse(TitleQuery, boolean, Page.Cursor)}, rated at most {@code maxAge}.
     *
     * @param maxAge the highest minimum age shown (a viewer profile's maturity); {@link Integer#MAX_VALUE}: no limit
     */
    public Page<TitleSummary> browse(TitleQuery q, boolean admin, int maxAge, Page.Cursor cursor) {
        StringBuilder sql = new StringBuilder("select t.* from titles t where true");
        Map<String, Object> binds = new HashMap<>();
        if (maxAge != Integer.MAX_VALUE) {
            sql.append(" and t.min_age <= :maxAge");
            binds.put("maxAge", maxAge);
        }
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
                throw new BadRequestException("cursor is not one returned by this API for sort=" + q.sort().wire());
            }
            sql.append(" and ").append(q.sort().after);
            try {
                binds.put("c0", switch (q.sort()) {
                    case NEWEST -> Timestamp.from(Instant.parse(a.get(1)));
                    case TITLE -> a.get(1);
                    case POPULARITY -> Long.parseLong(a.get(1));
                    case TOP_RATED -> Double.parseDouble(a.get(1));
                });
            } catch (RuntimeException e) {
                throw new BadRequestException("cursor is not one returned by this API");
            }
            binds.put("c1", cursor.uuid(2));
        }
        if (q.sort() == TitleQuery.Sort.TOP_RATED) {
            binds.put("rm", (double) RATING_PRIOR_VOTES);
            binds.put("rc", jdbi.withHandle(this::meanRating));
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
                    case TOP_RATED -> Double.toString(weighted(r.ratingCount(), r.ratingSum(), (Double) binds.get("rc")));
                }, r.id().toString());
            });
        });
    }
}
