package dev.kino.control.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.CatalogRoutes;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The importer for each source format, through {@code POST /api/v1/admin/import}. */
class ImportRoutesTest {
    static Jdbi jdbi;
    static FeatureServer server;
    static Http http;
    static String admin;
    static String user;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        Catalog catalog = new Catalog(jdbi, Clock.systemUTC());
        server = FeatureServer.start(SharedDatabase.config(), r -> {
            CatalogRoutes.register(r, catalog, FeatureServer.access(jdbi));
            ImportRoutes.register(r, new Importer(catalog), FeatureServer.access(jdbi));
        });
        http = server.http();
        admin = TestAccounts.admin(jdbi).token();
        user = TestAccounts.user(jdbi).token();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ImportRoutesTest.class.getResourceAsStream("/import/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Imports twice: the second time updates the same title. @return the title */
    static JsonNode importTwice(String source, String file) throws IOException {
        String doc = resource(file);
        Http.Resp first = http.post("/api/v1/admin/import?source=" + source, admin, doc);
        assertEquals(200, first.status(), first.text());
        Http.Resp again = http.post("/api/v1/admin/import?source=" + source, admin, doc);
        assertEquals(200, again.status(), again.text());
        String id = first.json().path("results").get(0).path("titleId").asText();
        assertEquals(id, again.json().path("results").get(0).path("titleId").asText(), "idempotent by external id");
        assertFalse(again.json().path("results").get(0).path("created").asBoolean());
        return http.get("/api/v1/titles/" + id, admin).json();
    }

    @Test
    void myAnimeList() throws IOException {
        JsonNode t = importTwice("mal", "jikan-anime-1.json");
        assertEquals("series", t.path("kind").asText());
        assertEquals("カウボーイビバップ", t.path("originalTitle").asText());
        assertEquals("Cowboy Bebop", t.path("titles").path("en").asText());
        assertEquals("Cowboy Bebop", t.path("titles").path("ja-Latn").asText());
        assertEquals(1998, t.path("year").asInt());
        assertEquals("17+", t.path("ageRating").asText());
        assertEquals("1", t.path("externalIds").path("mal").asText());
        assertTrue(t.path("genres").toString().contains("sci-fi"));
        assertTrue(t.path("tags").toString().contains("space"));
        assertEquals("Sunrise", t.path("studios").get(0).asText());
        assertEquals(0, t.path("people").size(), "Jikan serves cast and staff as separate documents");
    }

    @Test
    void aniList() throws IOException {
        JsonNode t = importTwice("anilist", "anilist-media-5114.json");
        assertEquals("Fullmetal Alchemist: Brotherhood", t.path("titles").path("en").asText());
        assertEquals("鋼の錬金術師 FULLMETAL ALCHEMIST", t.path("titles").path("ja").asText());
        assertEquals("5114", t.path("externalIds").path("anilist").asText());
        assertEquals(2009, t.path("year").asInt());
        assertFalse(t.path("synopses").path("en").asText().contains("<br>"));
        assertTrue(t.path("tags").toString().contains("alchemy"));
        assertEquals("Bones", t.path("studios").get(0).asText());
        assertEquals("[\"Romi Park\",\"Rie Kugimiya\",\"Yasuhiro Irie\",\"Hiromu Arakawa\"]", t.path("people").toString(),
                "voice actors in credit order, each once, then staff");
    }

    @Test
    void kitsu() throws IOException {
        JsonNode t = importTwice("kitsu", "kitsu-anime-7442.json");
        assertEquals("進撃の巨人", t.path("originalTitle").asText());
        assertEquals("Shingeki no Kyojin", t.path("titles").path("ja-Latn").asText());
        assertEquals(2013, t.path("year").asInt());
        assertEquals("17+", t.path("ageRating").asText());
        assertTrue(t.path("genres").toString().contains("drama"));
        assertTrue(t.path("tags").toString().contains("post apocalypse"));
        assertEquals("[\"Yuki Kaji\",\"Tetsurou Araki\"]", t.path("people").toString());
    }

    @Test
    void tmdbMovieAndTv() throws IOException {
        JsonNode movie = importTwice("tmdb", "tmdb-movie-129.json");
        assertEquals("movie", movie.path("kind").asText());
        assertEquals("Spirited Away", movie.path("titles").path("en").asText());
        assertEquals("movie-129", movie.path("externalIds").path("tmdb").asText());
        assertEquals(2001, movie.path("year").asInt());
        assertEquals("[\"Rumi Hiiragi\",\"Miyu Irino\",\"Hayao Miyazaki\",\"Joe Hisaishi\"]", movie.path("people").toString(),
                "cast in billing order, then the key crew only");
        JsonNode tv = importTwice("tmdb", "tmdb-tv-30991.json");
        assertEquals("series", tv.path("kind").asText());
        assertEquals("tv-30991", tv.path("externalIds").path("tmdb").asText());
        assertEquals(2, tv.path("seasons").size());
        assertEquals("Specials", tv.path("seasons").get(0).path("name").asText());
    }

    @Test
    void errors() throws IOException {
        assertEquals(422, http.post("/api/v1/admin/import?source=imdb", admin, "{}").status());
        assertEquals(422, http.post("/api/v1/admin/import", admin, "{}").status());
        assertEquals(422, http.post("/api/v1/admin/import?source=mal", admin, "{\"data\": {\"title\": \"no id\"}}").status());
        assertEquals(422, http.post("/api/v1/admin/import?source=kitsu", admin, "{\"meta\": 1}").status());
        assertEquals(400, http.post("/api/v1/admin/import?source=mal", admin, "{broken").status());
        assertEquals(403, http.post("/api/v1/admin/import?source=mal", user, resource("jikan-anime-1.json")).status());
        assertEquals(401, http.post("/api/v1/admin/import?source=mal", null, resource("jikan-anime-1.json")).status());
    }
}
