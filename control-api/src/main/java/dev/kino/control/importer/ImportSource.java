package dev.kino.control.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.catalog.TitleInput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The document formats the importer reads, each mapping one document (a single entry or a list of
 * them) to titles. Unknown fields are ignored; a missing title is an error.
 */
public enum ImportSource {
    /**
     * Jikan v4 {@code /anime/{id}} ({@code {"data": {...}}}) or a search ({@code {"data": [...]}}). Jikan serves cast
     * and staff as separate documents ({@code /anime/{id}/characters}, {@code /staff}), so MAL imports carry no people.
     */
    MAL("mal") {
        @Override
        List<Entry> read(JsonNode doc) {
            List<Entry> out = new ArrayList<>();
            for (JsonNode a : items(doc.path("data"))) {
                Map<String, String> titles = new LinkedHashMap<>();
                put(titles, "en", text(a, "title_english"));
                put(titles, "ja", text(a, "title_japanese"));
                put(titles, "ja-Latn", text(a, "title"));
                for (JsonNode t : a.path("titles")) {
                    if ("English".equals(t.path("type").asText())) {
                        put(titles, "en", text(t, "title"));
                    }
                }
                Integer year = a.hasNonNull("year") ? Integer.valueOf(a.get("year").asInt())
                        : a.path("aired").path("prop").path("from").hasNonNull("year")
                        ? Integer.valueOf(a.path("aired").path("prop").path("from").path("year").asInt()) : null;
                List<String> tags = names(a.path("themes"), "name");
                tags.addAll(names(a.path("demographics"), "name"));
                String rating = text(a, "rating");
                out.add(new Entry(id(a, "mal_id"), new TitleInput("Movie".equalsIgnoreCase(text(a, "type")) ? "movie" : "series",
                        first(text(a, "title_japanese"), text(a, "title")), "ja", titles, synopsis(text(a, "synopsis")), year,
                        malRating(rating), names(a.path("genres"), "name"), tags, names(a.path("studios"), "name"),
                        Map.of("mal", id(a, "mal_id"))), List.of()));
            }
            return out;
        }
    },
    /**
     * AniList GraphQL: {@code {"data": {"Media": {...}}}} or {@code {"data": {"Page": {"media": [...]}}}}. People come
     * from {@code characters.edges[].voiceActors[].name.full} and {@code staff.edges[].node.name.full} when the query
     * selects them.
     */
    ANILIST("anilist") {
        @Override
        List<Entry> read(JsonNode doc) {
            JsonNode data = doc.path("data");
            JsonNode list = data.has("Media") ? data.get("Media") : data.path("Page").path("media");
            List<Entry> out = new ArrayList<>();
            for (JsonNode m : items(list)) {
                JsonNode t = m.path("title");
                Map<String, String> titles = new LinkedHashMap<>();
                put(titles, "en", text(t, "english"));
                put(titles, "ja", text(t, "native"));
                put(titles, "ja-Latn", text(t, "romaji"));
                Integer year = m.hasNonNull("seasonYear") ? Integer.valueOf(m.get("seasonYear").asInt())
                        : m.path("startDate").hasNonNull("year") ? Integer.valueOf(m.path("startDate").path("year").asInt()) : null;
                List<String> studios = names(m.path("studios").path("nodes"), "name");
                for (JsonNode e : m.path("studios").path("edges")) {
                    String n = text(e.path("node"), "name");
                    if (n != null && !studios.contains(n)) {
                        studios.add(n);
                    }
                }
                Map<String, String> ext = new LinkedHashMap<>();
                ext.put("anilist", id(m, "id"));
                if (m.hasNonNull("idMal")) {
                    ext.put("mal", id(m, "idMal"));
                }
                List<String> genres = new ArrayList<>();
                m.path("genres").forEach(g -> genres.add(g.asText()));
                String desc = text(m, "description");
                out.add(new Entry(id(m, "id"), new TitleInput("MOVIE".equals(text(m, "format")) ? "movie" : "series",
                        first(text(t, "native"), text(t, "romaji"), text(t, "english")),
                        m.hasNonNull("countryOfOrigin") && "JP".equals(text(m, "countryOfOrigin")) ? "ja" : null, titles,
                        synopsis(desc == null ? null : desc.replaceAll("<[^>]+>", "")), year,
                        m.path("isAdult").asBoolean(false) ? "18+" : "all", genres, names(m.path("tags"), "name"), studios,
                        ext, aniListPeople(m)), List.of()));
            }
            return out;
        }
    },
    /**
     * Kitsu JSON:API: {@code {"data": {"type": "anime", "attributes": {...}}, "included": [...]}}; included
     * {@code people} (from {@code include=staff.person}) become the title's people.
     */
    KITSU("kitsu") {
        @Override
        List<Entry> read(JsonNode doc) {
            List<String> genres = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            List<String> people = new ArrayList<>();
            for (JsonNode inc : doc.path("included")) {
                String type = inc.path("type").asText();
                if (type.equals("people")) {
                    people.add(text(inc.path("attributes"), "name"));
                } else if (type.equals("genres")) {
                    genres.add(inc.path("attributes").path("name").asText());
                } else if (type.equals("categories")) {
                    tags.add(inc.path("attributes").path("title").asText());
                }
            }
            List<Entry> out = new ArrayList<>();
            for (JsonNode d : items(doc.path("data"))) {
                JsonNode a = d.path("attributes");
                Map<String, String> titles = new LinkedHashMap<>();
                put(titles, "en", first(text(a.path("titles"), "en"), text(a.path("titles"), "en_us")));
                put(titles, "ja", text(a.path("titles"), "ja_jp"));
                put(titles, "ja-Latn", text(a.path("titles"), "en_jp"));
                String start = text(a, "startDate");
                Integer year = start != null && start.matches("\\d{4}-.*") ? Integer.valueOf(start.substring(0, 4)) : null;
                out.add(new Entry(id(d, "id"), new TitleInput("movie".equalsIgnoreCase(text(a, "subtype")) ? "movie" : "series",
                        first(text(a.path("titles"), "ja_jp"), text(a, "canonicalTitle")), "ja", titles,
                        synopsis(first(text(a, "synopsis"), text(a, "description"))), year, kitsuRating(text(a, "ageRating")),
                        genres, tags, List.of(), Map.of("kitsu", id(d, "id")), credits(people)), List.of()));
            }
            return out;
        }
    },
    /**
     * TMDb {@code /movie/{id}} (has {@code title}) or {@code /tv/{id}} (has {@code name}, {@code seasons}). With
     * {@code append_to_response=credits}, the cast in billing order and the key crew (directors, writers, composers)
     * become the title's people, after a series' {@code created_by}.
     */
    TMDB("tmdb") {
        @Override
        List<Entry> read(JsonNode doc) {
            List<Entry> out = new ArrayList<>();
            for (JsonNode m : items(doc.has("results") ? doc.get("results") : doc)) {
                boolean tv = m.has("name") || m.has("first_air_date");
                String lang = text(m, "original_language");
                Map<String, String> titles = new LinkedHashMap<>();
                put(titles, "en", text(m, tv ? "name" : "title"));
                if (lang != null) {
                    put(titles, lang, text(m, tv ? "original_name" : "original_title"));
                }
                String date = text(m, tv ? "first_air_date" : "release_date");
                Integer year = date != null && date.matches("\\d{4}-.*") ? Integer.valueOf(date.substring(0, 4)) : null;
                List<String> studios = names(m.path("production_companies"), "name");
                List<Season> seasons = new ArrayList<>();
                for (JsonNode s : m.path("seasons")) {
                    seasons.add(new Season(s.path("season_number").asInt(), text(s, "name")));
                }
                out.add(new Entry(id(m, "id"), new TitleInput(tv ? "series" : "movie",
                        first(text(m, tv ? "original_name" : "original_title"), text(m, tv ? "name" : "title")),
                        lang != null && lang.matches("[a-z]{2,3}") ? lang : null, titles, synopsis(text(m, "overview")), year,
                        m.path("adult").asBoolean(false) ? "18+" : "all", names(m.path("genres"), "name"), List.of(), studios,
                        Map.of("tmdb", (tv ? "tv-" : "movie-") + id(m, "id")), tmdbPeople(m)), seasons));
            }
            return out;
        }
    };

    private final String wire;

    ImportSource(String wire) {
        this.wire = wire;
    }

    /** @return the {@code source} parameter value and external-id source, e.g. {@code mal} */
    public String wire() {
        return wire;
    }

    /** @return the source named {@code wire}, or null */
    public static ImportSource of(String wire) {
        for (ImportSource s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        return null;
    }

    /**
     * One title read from a document.
     *
     * @param externalId its id in the source (TMDb ids are prefixed {@code movie-} / {@code tv-})
     * @param title the metadata
     * @param seasons seasons to create (TMDb tv)
     */
    public record Entry(String externalId, TitleInput title, List<Season> seasons) {
    }

    /**
     * @param number season number
     * @param name season name, or null
     */
    public record Season(int number, String name) {
    }

    /**
     * @throws IllegalArgumentException naming what is missing when an entry has no id or title
     */
    abstract List<Entry> read(JsonNode doc);

    private static List<JsonNode> items(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (node.isObject()) {
            out.add(node);
        }
        return out;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static String id(JsonNode n, String field) {
        String id = text(n, field);
        if (id == null) {
            throw new IllegalArgumentException("an entry has no '" + field + "'");
        }
        return id;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        throw new IllegalArgumentException("an entry has no title");
    }

    private static void put(Map<String, String> m, String lang, String value) {
        if (value != null) {
            m.put(lang, value.length() > 500 ? value.substring(0, 500) : value);
        }
    }

    private static Map<String, String> synopsis(String s) {
        return s == null ? Map.of() : Map.of("en", s.length() > 20_000 ? s.substring(0, 20_000) : s);
    }

    /** Crew jobs kept from TMDb credits: the people a viewer searches a film by, not the whole crew list. */
    private static final Set<String> TMDB_KEY_JOBS = Set.of("Director", "Screenplay", "Writer", "Novel", "Story",
            "Original Music Composer", "Music", "Series Composition", "Original Story", "Characters");

    private static List<String> aniListPeople(JsonNode media) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : media.path("characters").path("edges")) {
            for (JsonNode va : c.path("voiceActors")) {
                out.add(text(va.path("name"), "full"));
            }
        }
        for (JsonNode s : media.path("staff").path("edges")) {
            out.add(text(s.path("node").path("name"), "full"));
        }
        return credits(out);
    }

    private static List<String> tmdbPeople(JsonNode m) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : m.path("created_by")) {
            out.add(text(c, "name"));
        }
        List<JsonNode> cast = new ArrayList<>();
        m.path("credits").path("cast").forEach(cast::add);
        cast.sort(java.util.Comparator.comparingInt(c -> c.path("order").asInt(Integer.MAX_VALUE)));
        for (JsonNode c : cast) {
            out.add(text(c, "name"));
        }
        for (JsonNode c : m.path("credits").path("crew")) {
            if (TMDB_KEY_JOBS.contains(c.path("job").asText())) {
                out.add(text(c, "name"));
            }
        }
        return credits(out);
    }

    /**
     * @param names names in credit order, possibly with nulls and repeats (one voice actor, several characters)
     * @return the first 50 distinct names of 1 to 200 characters: what {@link TitleInput} accepts
     */
    private static List<String> credits(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            if (n != null && n.length() <= 200 && out.size() < 50) {
                out.add(n);
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> names(JsonNode array, String field) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : array) {
            String v = text(n, field);
            if (v != null && v.length() <= 64) {
                out.add(v);
            }
        }
        return new ArrayList<>(out);
    }

    /** Jikan ratings: {@code G - All Ages}, {@code PG - Children}, {@code PG-13 - Teens 13 or older}, {@code R - 17+ ...}, {@code R+ - Mild Nudity}, {@code Rx - Hentai}. */
    static String malRating(String rating) {
        if (rating == null) {
            return "all";
        }
        String r = rating.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        return switch (r) {
            case "PG" -> "7+";
            case "PG-13" -> "13+";
            case "R", "R+" -> "17+";
            case "RX" -> "18+";
            default -> "all";
        };
    }

    /** Kitsu ratings: {@code G}, {@code PG}, {@code R}, {@code R18}. */
    static String kitsuRating(String rating) {
        if (rating == null) {
            return "all";
        }
        return switch (rating.toUpperCase(Locale.ROOT)) {
            case "PG" -> "7+";
            case "R" -> "17+";
            case "R18" -> "18+";
            default -> "all";
        };
    }
}
