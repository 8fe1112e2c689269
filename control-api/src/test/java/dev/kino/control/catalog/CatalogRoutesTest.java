package dev.kino.control.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Catalogue browsing and admin CRUD on a real server and database. */
class CatalogRoutesTest {
    static Jdbi jdbi;
    static FeatureServer server;
    static Http http;
    static String admin;
    static String user;
    /** Unique tag of this run's titles, so other test classes' rows do not interfere. */
    static final String TAG = "t" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        Catalog catalog = new Catalog(jdbi, Clock.systemUTC());
        server = FeatureServer.start(SharedDatabase.config(), r -> CatalogRoutes.register(r, catalog, FeatureServer.access(jdbi)));
        http = server.http();
        admin = TestAccounts.admin(jdbi).token();
        user = TestAccounts.user(jdbi).token();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> title(String kind, String original, String en, int year, String... genres) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("kind", kind);
        t.put("originalTitle", original);
        t.put("originalLanguage", "ja");
        t.put("titles", Map.of("en", en, "uk", en + " (uk)"));
        t.put("synopses", Map.of("en", "About " + en));
        t.put("year", year);
        t.put("ageRating", "13+");
        t.put("genres", List.of(genres));
        t.put("tags", List.of(TAG));
        t.put("studios", List.of("Studio K"));
        return t;
    }

    static UUID create(Map<String, Object> body) {
        Http.Resp r = http.post("/api/v1/titles", admin, body);
        assertEquals(201, r.status(), r.text());
        return UUID.fromString(r.json().path("id").asText());
    }

    static UUID media(UUID title, Map<String, Object> body) {
        Http.Resp r = http.post("/api/v1/titles/" + title + "/media", admin, body);
        assertEquals(201, r.status(), r.text());
        return UUID.fromString(r.json().path("id").asText());
    }

    static void publish(UUID media) {
        jdbi.useHandle(h -> h.createUpdate("update media_items set state = 'published' where id = :id").bind("id", media).execute());
    }

    @Test
    void seriesWithSeasonsAndEpisodesAndVisibility() {
        UUID id = create(title("series", "カウボーイビバップ", "Cowboy Bebop", 1998, "Action", "Sci-Fi"));
        UUID e1 = media(id, Map.of("seasonNumber", 1, "episodeNumber", 1, "name", "Asteroid Blues",
                "audioLanguages", List.of("ja", "en"), "subtitleLanguages", List.of("en", "uk"), "packaged", true));
        UUID e2 = media(id, Map.of("seasonNumber", 1, "episodeNumber", 2, "name", "Stray Dog Strut"));
        assertEquals(201, http.post("/api/v1/titles/" + id + "/seasons", admin, Map.of("number", 2, "name", "Extras")).status());

        // Unpublished: admins see it, viewers do not.
        assertEquals(404, http.get("/api/v1/titles/" + id, user).status());
        assertEquals(404, http.get("/api/v1/titles/" + id, null).status());
        assertEquals(404, http.get("/api/v1/media/" + e1, user).status());
        JsonNode full = http.get("/api/v1/titles/" + id, admin).json();
        assertEquals(2, full.path("seasons").size());
        assertEquals(2, full.path("seasons").get(0).path("episodes").size());
        assertEquals("ready", full.path("seasons").get(0).path("episodes").get(0).path("state").asText());
        assertEquals("uploaded", full.path("seasons").get(0).path("episodes").get(1).path("state").asText());
        assertEquals("action", full.path("genres").get(0).asText());
        assertEquals("13+", full.path("ageRating").asText());
        assertEquals("Cowboy Bebop (uk)", full.path("titles").path("uk").asText());

        publish(e1);
        JsonNode seen = http.get("/api/v1/titles/" + id, null).json();
        assertEquals(1, seen.path("seasons").size(), seen.toString());
        assertEquals(1, seen.path("seasons").get(0).path("episodes").size());
        assertEquals(e1.toString(), seen.path("seasons").get(0).path("episodes").get(0).path("id").asText());
        assertTrue(seen.path("seasons").get(0).path("episodes").get(0).path("hasSource").isMissingNode());
        assertEquals(200, http.get("/api/v1/media/" + e1, user).status());
        assertEquals(404, http.get("/api/v1/media/" + e2, user).status());

        // Episode clash, episodes on a movie, second feature of a movie.
        assertEquals(409, http.post("/api/v1/titles/" + id + "/media", admin, Map.of("seasonNumber", 1, "episodeNumber", 2)).status());
        assertEquals(422, http.post("/api/v1/titles/" + id + "/media", admin, Map.of("episodeNumber", 3)).status());
        UUID movie = create(title("movie", "千と千尋の神隠し", "Spirited Away", 2001, "Fantasy"));
        assertEquals(409, http.post("/api/v1/titles/" + movie + "/media", admin, Map.of("seasonNumber", 1)).status());
        media(movie, Map.of("packagedTitleId", "spirited-" + TAG));
        assertEquals(409, http.post("/api/v1/titles/" + movie + "/media", admin, Map.of()).status());
        assertEquals(409, http.post("/api/v1/titles/" + movie + "/seasons", admin, Map.of("number", 1)).status());
        // Published media blocks deleting the title.
        assertEquals(409, http.delete("/api/v1/titles/" + id, admin).status());
    }

    @Test
    void filtersSortAndStablePagination() {
        String genre = "g-" + TAG;
        List<UUID> ids = new ArrayList<>();
        String[] names = {"Delta", "alpha", "Charlie", "bravo", "Echo", "Foxtrot", "golf"};
        for (int i = 0; i < names.length; i++) {
            UUID id = create(title(i % 2 == 0 ? "series" : "movie", "原作 " + names[i], names[i] + " " + TAG, 2000 + i % 3, genre));
            UUID m = media(id, i % 2 == 0
                    ? Map.of("seasonNumber", 1, "episodeNumber", 1, "audioLanguages", List.of("ja"), "subtitleLanguages", List.of(i == 2 ? "uk" : "en"))
                    : Map.of("audioLanguages", List.of("ja", "en"), "subtitleLanguages", List.of("en")));
            publish(m);
            ids.add(id);
        }
        // title sort, pages of 2, collected = full order
        List<String> byTitle = collect("/api/v1/titles?genre=" + genre + "&sort=title&limit=2");
        assertEquals(7, byTitle.size());
        assertEquals(7, new HashSet<>(byTitle).size());
        assertEquals(List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"),
                byTitle.stream().map(s -> s.split(" ")[0].toLowerCase()).toList());
        List<String> newest = collect("/api/v1/titles?genre=" + genre + "&limit=3");
        assertEquals(7, new HashSet<>(newest).size());
        assertTrue(newest.get(0).startsWith("golf"), newest.toString());
        // popularity: bump one
        jdbi.useHandle(h -> h.createUpdate("update titles set popularity = 42 where id = :id").bind("id", ids.get(3)).execute());
        List<String> popular = collect("/api/v1/titles?genre=" + genre + "&sort=popularity&limit=2");
        assertEquals(7, new HashSet<>(popular).size());
        assertTrue(popular.get(0).startsWith("bravo"), popular.toString());

        assertEquals(4, collect("/api/v1/titles?genre=" + genre + "&type=series&limit=100").size());
        assertEquals(3, collect("/api/v1/titles?genre=" + genre + "&type=movie").size());
        assertEquals(3, collect("/api/v1/titles?genre=" + genre + "&year=2000").size());
        assertEquals(3, collect("/api/v1/titles?genre=" + genre + "&audio=en").size());
        assertEquals(7, collect("/api/v1/titles?genre=" + genre + "&audio=ja").size());
        assertEquals(List.of("Charlie " + TAG), collect("/api/v1/titles?genre=" + genre + "&subtitle=uk"));
        assertEquals(List.of("Echo " + TAG), collect("/api/v1/titles?genre=" + genre + "&q=ECHO"));
        assertEquals(1, collect("/api/v1/titles?tag=" + TAG + "&q=" + enc("原作 golf")).size());
        assertEquals(0, collect("/api/v1/titles?genre=" + genre + "&q=%25").size());

        // bad parameters
        assertEquals(422, http.get("/api/v1/titles?type=cartoon", null).status());
        assertEquals(422, http.get("/api/v1/titles?sort=random", null).status());
        assertEquals(422, http.get("/api/v1/titles?year=abc", null).status());
        assertEquals(422, http.get("/api/v1/titles?limit=0", null).status());
        assertEquals(400, http.get("/api/v1/titles?cursor=bm9wZQ", null).status());
        String cursor = http.get("/api/v1/titles?genre=" + genre + "&sort=title&limit=2", null).json().path("next").asText();
        assertEquals(400, http.get("/api/v1/titles?genre=" + genre + "&sort=newest&cursor=" + cursor, null).status());
        assertEquals(401, http.get("/api/v1/titles", "bogus").status());
    }

    @Test
    void adminCrudAndErrors() {
        Map<String, Object> body = title("movie", "Akira", "Akira", 1988, "Sci-Fi");
        body.put("externalIds", Map.of("mal", "47-" + TAG));
        assertEquals(401, http.post("/api/v1/titles", null, body).status());
        assertEquals(403, http.post("/api/v1/titles", user, body).status());
        UUID id = create(body);
        assertEquals(409, http.post("/api/v1/titles", admin, body).status(), "external id taken");
        Http.Resp bad = http.post("/api/v1/titles", admin, Map.of("kind", "cartoon", "titles", Map.of("EN!", ""),
                "ageRating", "99+", "year", 1500));
        assertEquals(422, bad.status());
        assertEquals("validation", bad.problem());
        assertTrue(bad.json().path("errors").size() >= 5, bad.text());
        assertEquals(415, http.send(http.builder("/api/v1/titles", admin).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x"))).status());
        assertEquals(400, http.send(http.builder("/api/v1/titles", admin).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{nope"))).status());

        body.put("ageRating", "18+");
        body.put("titles", Map.of("en", "AKIRA"));
        Http.Resp put = http.send(http.builder("/api/v1/titles/" + id, admin).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(dev.kino.control.http.Json.MAPPER.valueToTree(body).toString())));
        assertEquals(200, put.status(), put.text());
        assertEquals("18+", put.json().path("ageRating").asText());
        assertEquals("47-" + TAG, put.json().path("externalIds").path("mal").asText());
        assertEquals(404, http.get("/api/v1/titles/" + UUID.randomUUID(), admin).status());
        assertEquals(404, http.get("/api/v1/titles/not-a-uuid", admin).status());
        assertEquals(403, http.delete("/api/v1/titles/" + id, user).status());

        UUID m = media(id, Map.of("packagedTitleId", "akira-" + TAG, "access", "free"));
        assertEquals(409, http.post("/api/v1/titles/" + create(title("movie", "Other", "Other", 1990)) + "/media", admin,
                Map.of("packagedTitleId", "akira-" + TAG)).status(), "folder in use");
        assertEquals(422, http.post("/api/v1/titles/" + id + "/media", admin, Map.of("packagedTitleId", "../etc")).status());
        assertEquals(422, http.post("/api/v1/titles/" + id + "/media", admin, Map.of("access", "vip", "renditions", List.of("big"))).status());
        assertEquals(204, http.delete("/api/v1/media/" + m, admin).status());
        assertEquals(404, http.delete("/api/v1/media/" + m, admin).status());
        assertEquals(204, http.delete("/api/v1/titles/" + id, admin).status());
        assertEquals(404, http.get("/api/v1/titles/" + id, admin).status());
    }

    @Test
    void routesAreInTheOpenApiDocument() {
        JsonNode doc = http.get("/api/v1/openapi.json", null).json();
        assertFalse(doc.path("paths").path("/api/v1/titles").path("get").isMissingNode());
        assertFalse(doc.path("paths").path("/api/v1/titles/{id}/media").path("post").isMissingNode());
        assertNull(doc.path("paths").path("/api/v1/nothing").textValue());
    }

    static List<String> collect(String path) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        for (int guard = 0; guard < 50; guard++) {
            String p = cursor == null ? path : path + "&cursor=" + cursor;
            Http.Resp r = http.get(p, null);
            assertEquals(200, r.status(), r.text());
            r.json().path("items").forEach(i -> out.add(i.path("titles").path("en").asText()));
            cursor = r.json().path("next").textValue();
            if (cursor == null) {
                return out;
            }
        }
        throw new AssertionError("too many pages");
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
