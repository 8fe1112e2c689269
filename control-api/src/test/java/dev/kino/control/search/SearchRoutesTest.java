package dev.kino.control.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search routes on the whole API (its catalogue feeding its index) against the run's PostgreSQL: what each
 * viewer may find, facets, highlights, suggestions, forum search visibility, and hostile queries.
 */
class SearchRoutesTest {
    private static final String WORD = "Zorblax" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    private static UUID published;
    private static UUID unpublished;
    private static UUID mature;
    private static TestApi.User admin;
    private static TestApi.User teen;

    @BeforeAll
    static void setUp() {
        Catalog catalog = TestApi.api().catalog();
        published = title(catalog, "series", WORD + " Chronicles", Map.of("uk", "Хроніки " + cyrillic(WORD)), "all",
                List.of("mecha"), 2011, true);
        unpublished = title(catalog, "movie", WORD + " Draft", Map.of(), "all", List.of("drama"), 2020, false);
        mature = title(catalog, "movie", WORD + " After Dark", Map.of(), "18+", List.of("horror"), 2021, true);
        admin = TestApi.withRole(TestApi.newUser(), "admin");
        teen = TestApi.newUser();
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("update accounts set maturity = '13+' where id = :id")
                .bind("id", teen.id()).execute());
    }

    private static String cyrillic(String latin) {
        return latin.toLowerCase().replace("z", "з").replace("o", "о").replace("r", "р").replace("b", "б")
                .replace("l", "л").replace("a", "а").replace("x", "кс");
    }

    private static UUID title(Catalog catalog, String kind, String name, Map<String, String> names, String age,
                              List<String> genres, int year, boolean publish) {
        UUID id = catalog.createTitle(new TitleInput(kind, name, "en", names,
                Map.of("en", "A pilot of the " + WORD.toLowerCase() + " fleet defends the last city."), year, age,
                genres, List.of(), List.of(), Map.of()));
        var media = catalog.createMedia(id, new MediaInput(kind.equals("series") ? 1 : null, kind.equals("series") ? 1 : null,
                "One", "p-" + UUID.randomUUID(), List.of("360p"), List.of("ja"), List.of("uk"), 600, true, "cenc",
                "free", true));
        if (publish) {
            catalog.lifecycle().publish(media.id());
        }
        return id;
    }

    private static Http.Resp search(String path, String q, String token) {
        return TestApi.http().get(path + "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), token);
    }

    private static List<UUID> ids(JsonNode hits) {
        List<UUID> out = new ArrayList<>();
        hits.forEach(h -> out.add(UUID.fromString(h.path("id").asText())));
        return out;
    }

    @Test
    void viewersFindOnlyPublishedTitlesWithinTheirMaturity() {
        Http.Resp guest = search("/api/v1/search", WORD, null);
        assertEquals(200, guest.status(), guest.text());
        assertEquals(List.of(published), ids(guest.json().path("hits")), guest.text());
        Http.Resp teenager = search("/api/v1/search", WORD, teen.accessToken());
        assertEquals(List.of(published), ids(teenager.json().path("hits")), teenager.text());
        Http.Resp user = search("/api/v1/search", WORD, TestApi.newUser().accessToken());
        assertTrue(ids(user.json().path("hits")).containsAll(List.of(published, mature)), user.text());
        assertFalse(ids(user.json().path("hits")).contains(unpublished), user.text());
        Http.Resp editor = search("/api/v1/search", WORD, admin.accessToken());
        assertEquals(3, ids(editor.json().path("hits")).size(), editor.text());
        // suggestions follow the same rules
        Http.Resp suggest = search("/api/v1/search/suggest", WORD.substring(0, 9), null);
        assertEquals(200, suggest.status(), suggest.text());
        assertEquals(List.of(published), ids(suggest.json().path("suggestions")), suggest.text());
    }

    @Test
    void facetsCountTheMatchesAndHighlightsAreOffsets() {
        JsonNode r = search("/api/v1/search", WORD, admin.accessToken()).json();
        assertEquals(3, r.path("total").asInt(), r.toString());
        assertEquals("1", facet(r, "type", "series"), r.toString());
        assertEquals("2", facet(r, "type", "movie"), r.toString());
        assertEquals("1", facet(r, "genre", "mecha"), r.toString());
        assertEquals("1", facet(r, "year", "2011"), r.toString());
        // filters narrow the hits and the facets
        JsonNode series = TestApi.http().get("/api/v1/search?q=" + WORD + "&type=series&audio=ja", admin.accessToken()).json();
        assertEquals(List.of(published), ids(series.path("hits")), series.toString());
        assertEquals("1", facet(series, "audio", "ja"), series.toString());
        // the other script finds it too, and the highlight is where the word is, as offsets into plain text
        JsonNode uk = search("/api/v1/search", cyrillic(WORD), null).json();
        JsonNode hit = uk.path("hits").get(0);
        assertEquals(published.toString(), hit.path("id").asText(), uk.toString());
        JsonNode h = hit.path("highlight");
        String text = h.path("text").asText();
        JsonNode range = h.path("ranges").get(0);
        assertTrue(text.substring(range.path("start").asInt(), range.path("end").asInt()).equalsIgnoreCase(WORD)
                || text.substring(range.path("start").asInt(), range.path("end").asInt()).equals(cyrillic(WORD)), h.toString());
        // a synopsis match is highlighted in an excerpt
        JsonNode syn = search("/api/v1/search", WORD + " fleet defends", null).json();
        assertEquals("name", syn.path("hits").get(0).path("highlight").path("field").asText(), syn.toString());
    }

    @Test
    void castAndStaffGivenThroughTheAdminApiAreSearched() {
        // a name of its own (the other tests' searches for WORD must not find it)
        String surname = "Qarvendi" + UUID.randomUUID().toString().substring(0, 6);
        String director = "Hayao " + surname;
        Http.Resp created = TestApi.http().post("/api/v1/titles", admin.accessToken(), Map.of("kind", "movie",
                "originalTitle", "Kaze " + UUID.randomUUID(), "titles", Map.of(), "people",
                List.of(director, "  Joe Hisaishi  ", director, "Joe Hisaishi")));
        assertEquals(201, created.status(), created.text());
        // trimmed, duplicates dropped, credit order kept
        assertEquals(List.of(director, "Joe Hisaishi"), strings(created.json().path("people")), created.text());
        UUID id = UUID.fromString(created.json().path("id").asText());
        Http.Resp tooLong = TestApi.http().post("/api/v1/titles", admin.accessToken(), Map.of("kind", "movie",
                "originalTitle", "Too long", "people", List.of("x".repeat(201))));
        assertEquals(422, tooLong.status(), tooLong.text());
        assertTrue(tooLong.text().contains("people[0]"), tooLong.text());

        Http.Resp found = search("/api/v1/search", surname, admin.accessToken());
        assertEquals(List.of(id), ids(found.json().path("hits")), found.text());
        JsonNode h = found.json().path("hits").get(0).path("highlight");
        assertEquals("person", h.path("field").asText(), h.toString());
        assertEquals(director, h.path("text").asText(), h.toString());
        // an edit that removes the person removes the match
        Http.Resp replaced = TestApi.http().put("/api/v1/titles/" + id, admin.accessToken(), Map.of("kind", "movie",
                "originalTitle", "Kaze", "people", List.of("Joe Hisaishi")));
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(List.of(), ids(search("/api/v1/search", surname, admin.accessToken()).json().path("hits")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String facet(JsonNode r, String facet, String value) {
        for (JsonNode f : r.path("facets").path(facet)) {
            if (f.path("value").asText().equals(value)) {
                return f.path("count").asText();
            }
        }
        return "absent";
    }

    @Test
    void cursorsPageThroughAndBelongToTheirQuery() {
        JsonNode first = TestApi.http().get("/api/v1/search?limit=1&q=" + WORD, admin.accessToken()).json();
        String next = first.path("next").asText();
        assertFalse(next.isEmpty(), first.toString());
        JsonNode second = TestApi.http().get("/api/v1/search?limit=1&q=" + WORD + "&cursor=" + next, admin.accessToken()).json();
        assertFalse(ids(second.path("hits")).isEmpty());
        assertFalse(ids(first.path("hits")).equals(ids(second.path("hits"))), second.toString());
        Http.Resp other = TestApi.http().get("/api/v1/search?limit=1&q=other&cursor=" + next, admin.accessToken());
        assertEquals(400, other.status(), other.text());
    }

    @Test
    void hiddenAndDeletedPostsAndCommentsAreNeverFound() {
        String word = "qwyzz" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        UUID thread = UUID.randomUUID();
        Instant now = Instant.now();
        SharedDatabase.get().jdbi().useHandle(h -> {
            h.createUpdate("""
                    insert into forum_threads (id, category_id, subject, last_post_at, created_at)
                    values (:id, '00000000-0000-4000-8000-000000000001', 'Search test', :now, :now)""")
                    .bind("id", thread).bind("now", now).execute();
            String[][] posts = {{"visible", "The visible " + word + " post"}, {"hidden", "A hidden " + word + " post"},
                    {"held", "A held " + word + " post"}};
            for (int i = 0; i < posts.length; i++) {
                h.createUpdate("""
                        insert into forum_posts (id, thread_id, seq, body, state, created_at)
                        values (:id, :t, :seq, :body, :state, :now)""")
                        .bind("id", UUID.randomUUID()).bind("t", thread).bind("seq", i + 1).bind("body", posts[i][1])
                        .bind("state", posts[i][0]).bind("now", now).execute();
            }
            for (String[] c : new String[][]{{"visible", "A comment about " + word}, {"hidden", "Hidden " + word},
                    {"visible", "On the unpublished title: " + word}, {"visible", "On the adult title: " + word}}) {
                UUID on = c[1].startsWith("On the unpublished") ? unpublished : c[1].startsWith("On the adult") ? mature : published;
                h.createUpdate("""
                        insert into comments (id, title_id, body, state, hot, created_at)
                        values (:id, :t, :body, :state, 0, :now)""")
                        .bind("id", UUID.randomUUID()).bind("t", on).bind("body", c[1]).bind("state", c[0])
                        .bind("now", now).execute();
            }
        });
        Http.Resp r = search("/api/v1/forum/search", word.toUpperCase(), null);
        assertEquals(200, r.status(), r.text());
        List<String> bodies = new ArrayList<>();
        r.json().path("hits").forEach(h -> bodies.add(h.path("kind").asText() + ": " + h.path("highlight").path("text").asText()));
        assertEquals(2, bodies.size(), r.text());
        assertTrue(bodies.contains("post: The visible " + word + " post"), bodies.toString());
        assertTrue(bodies.contains("comment: A comment about " + word), bodies.toString());
        JsonNode range = r.json().path("hits").get(0).path("highlight").path("ranges").get(0);
        String text = r.json().path("hits").get(0).path("highlight").path("text").asText();
        assertEquals(word, text.substring(range.path("start").asInt(), range.path("end").asInt()));
        // an adult viewer also sees the comment on the adult title; an editor the one on the unpublished title too
        assertEquals(3, search("/api/v1/forum/search", word, TestApi.newUser().accessToken()).json().path("hits").size());
        assertEquals(4, search("/api/v1/forum/search", word, admin.accessToken()).json().path("hits").size());
    }

    @Test
    void badQueriesAre400ProblemsNamingTheProblem() {
        for (String path : List.of("/api/v1/search", "/api/v1/search/suggest", "/api/v1/forum/search")) {
            Http.Resp tooLong = search(path, "x".repeat(201), null);
            assertEquals(400, tooLong.status(), tooLong.text());
            assertTrue(tooLong.header("Content-Type").startsWith("application/problem+json"), tooLong.text());
            assertTrue(tooLong.text().contains("'q'") && tooLong.text().contains("200"), tooLong.text());
            Http.Resp control = TestApi.http().get(path + "?q=a%07b", null);
            assertEquals(400, control.status(), control.text());
            assertTrue(control.text().contains("'q'") && control.text().contains("U+0007"), control.text());
            Http.Resp utf8 = TestApi.http().get(path + "?q=%C3%28abc", null);
            assertEquals(400, utf8.status(), utf8.text());
            assertTrue(utf8.text().contains("'q'") && utf8.text().contains("UTF-8"), utf8.text());
            Http.Resp overlong = TestApi.http().get(path + "?q=%C0%80", null);
            assertEquals(400, overlong.status(), overlong.text());
            assertEquals(200, search(path, "x".repeat(200), null).status());
        }
    }

    @Test
    void operatorsAreTextAndPathologicalQueriesStayCheap() {
        for (String q : List.of("& | ! :* \" % _ " + WORD, WORD + ":*", "\"" + WORD + "\"", WORD + " | ! & %_")) {
            Http.Resp r = search("/api/v1/search", q, null);
            assertEquals(200, r.status(), q + " → " + r.text());
            assertEquals(List.of(published), ids(r.json().path("hits")), q + " → " + r.text());
        }
        for (String q : List.of("& | ! :* \" % _", "%", "_", "'", "’ʼ", " ")) {
            for (String path : List.of("/api/v1/search", "/api/v1/search/suggest", "/api/v1/forum/search")) {
                assertEquals(200, search(path, q, null).status(), path + " " + q);
            }
        }
        String oneLetters = "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x";
        assertEquals(50, oneLetters.split(" ").length);
        String longWords = ("Щ" + "x".repeat(23) + " ").repeat(8).trim();
        for (String q : List.of(oneLetters, "a ".repeat(50).trim(), longWords, "ab".repeat(100), "進撃".repeat(100))) {
            for (String path : List.of("/api/v1/search", "/api/v1/search/suggest", "/api/v1/forum/search")) {
                long started = System.nanoTime();
                Http.Resp r = search(path, q, null);
                long ms = (System.nanoTime() - started) / 1_000_000;
                assertEquals(200, r.status(), path + " " + q + " → " + r.text());
                assertTrue(ms < 1_000, path + " took " + ms + " ms for " + q);
            }
        }
    }
}
