package dev.kino.control.social;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.http.OpenApi;
import dev.kino.control.playback.Plans;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Watchlist and continue-watching on a real server and database. */
class SocialRoutesTest {
    static Jdbi jdbi;
    static Catalog catalog;
    static Plans plans;
    static MutableClock clock;
    static FeatureServer server;
    static Http http;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        catalog = new Catalog(jdbi, Clock.systemUTC());
        plans = new Plans(jdbi, clock);
        server = FeatureServer.start(SharedDatabase.config(),
                r -> SocialRoutes.register(r, new SocialStore(jdbi, clock, catalog, plans), FeatureServer.access(jdbi)));
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Item(UUID title, UUID media) {
    }

    /** A movie with one media item in {@code state}, {@code seconds} long. */
    static Item movie(String state, Integer seconds) {
        return title("movie", state, seconds);
    }

    /** A series with episode 1 of season 1 in {@code state}, {@code seconds} long. */
    static Item series(String state, Integer seconds) {
        return title("series", state, seconds);
    }

    static Item title(String kind, String state, Integer seconds) {
        String name = "Social " + UUID.randomUUID();
        UUID title = catalog.createTitle(new TitleInput(kind, name, "en", Map.of("en", name),
                null, 2020, "all", List.of("drama"), null, null, null));
        boolean series = kind.equals("series");
        UUID media = catalog.createMedia(title, new MediaInput(series ? 1 : null, series ? 1 : null, null, "s-" + UUID.randomUUID(),
                List.of("720p"), List.of("en"), List.of(), seconds, true, "aes-128", "free", true)).id();
        setState(media, state);
        return new Item(title, media);
    }

    static void setState(UUID media, String state) {
        jdbi.useHandle(h -> h.createUpdate("update media_items set state = :s where id = :id").bind("s", state).bind("id", media).execute());
    }

    static Http.Resp put(String path, String token) {
        return http.send(http.builder(path, token).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    static List<String> ids(JsonNode page, String field) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(i -> out.add(i.at(field).asText()));
        return out;
    }

    @Test
    void watchlistAddsListsAndRemovesIdempotently() {
        TestAccounts.Account user = TestAccounts.user(jdbi);
        Item a = movie("published", 600);
        String path = "/api/v1/me/watchlist/" + a.title();

        Http.Resp status = http.get(path, user.token());
        assertEquals(200, status.status(), status.text());
        assertFalse(status.json().path("inWatchlist").asBoolean());

        Http.Resp added = put(path, user.token());
        assertEquals(200, added.status(), added.text());
        assertTrue(added.json().path("inWatchlist").asBoolean());
        String addedAt = added.json().path("addedAt").asText();
        clock.advance(Duration.ofMinutes(1));
        Http.Resp again = put(path, user.token());
        assertEquals(200, again.status());
        assertEquals(addedAt, again.json().path("addedAt").asText(), "adding again keeps the date");

        Http.Resp list = http.get("/api/v1/me/watchlist", user.token());
        assertEquals(200, list.status(), list.text());
        JsonNode entry = list.json().path("items").get(0);
        assertEquals(1, list.json().path("items").size());
        assertEquals(a.title().toString(), entry.path("titleId").asText());
        assertEquals(a.title().toString(), entry.path("title").path("id").asText());
        assertTrue(entry.path("title").path("originalTitle").asText().startsWith("Social "));
        assertTrue(entry.path("title").path("titles").path("en").asText().startsWith("Social "));
        assertTrue(list.json().path("next").isNull() || list.json().path("next").isMissingNode());

        assertEquals(204, http.delete(path, user.token()).status());
        assertEquals(204, http.delete(path, user.token()).status(), "removing again is fine");
        assertEquals(0, http.get("/api/v1/me/watchlist", user.token()).json().path("items").size());
        assertFalse(http.get(path, user.token()).json().path("inWatchlist").asBoolean());
    }

    @Test
    void everyAccountSeesAndChangesOnlyItsOwnWatchlist() {
        TestAccounts.Account alice = TestAccounts.user(jdbi);
        TestAccounts.Account bob = TestAccounts.user(jdbi);
        Item a = movie("published", 600);
        assertEquals(200, put("/api/v1/me/watchlist/" + a.title(), alice.token()).status());

        assertEquals(0, http.get("/api/v1/me/watchlist", bob.token()).json().path("items").size());
        assertFalse(http.get("/api/v1/me/watchlist/" + a.title(), bob.token()).json().path("inWatchlist").asBoolean());
        assertEquals(204, http.delete("/api/v1/me/watchlist/" + a.title(), bob.token()).status());
        assertEquals(List.of(a.title().toString()), ids(http.get("/api/v1/me/watchlist", alice.token()).json(), "/titleId"),
                "bob's delete touched only bob's list");

        for (String p : List.of("/api/v1/me/watchlist", "/api/v1/me/watchlist/" + a.title(), "/api/v1/me/continue-watching")) {
            assertEquals(401, http.get(p, null).status(), p);
        }
        assertEquals(401, put("/api/v1/me/watchlist/" + a.title(), null).status());
        assertEquals(401, http.delete("/api/v1/me/watchlist/" + a.title(), null).status());
    }

    @Test
    void unpublishedTitlesAreNotFoundForViewersAndLeaveTheList() {
        TestAccounts.Account user = TestAccounts.user(jdbi);
        TestAccounts.Account admin = TestAccounts.admin(jdbi);
        Item draft = movie("ready", 600);
        Http.Resp r = put("/api/v1/me/watchlist/" + draft.title(), user.token());
        assertEquals(404, r.status(), r.text());
        assertEquals(404, http.get("/api/v1/me/watchlist/" + draft.title(), user.token()).status());
        assertEquals(404, put("/api/v1/me/watchlist/" + UUID.randomUUID(), user.token()).status());
        assertEquals(200, put("/api/v1/me/watchlist/" + draft.title(), admin.token()).status(), "admins see drafts");

        Item shown = movie("published", 600);
        assertEquals(200, put("/api/v1/me/watchlist/" + shown.title(), user.token()).status());
        setState(shown.media(), "taken_down");
        assertEquals(0, http.get("/api/v1/me/watchlist", user.token()).json().path("items").size());
        setState(shown.media(), "published");
        assertEquals(1, http.get("/api/v1/me/watchlist", user.token()).json().path("items").size(),
                "the entry comes back with the title");
    }

    @Test
    void watchlistPagesNewestFirstWithoutRepeats() {
        TestAccounts.Account user = TestAccounts.user(jdbi);
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Item it = movie("published", 600);
            clock.advance(Duration.ofSeconds(1));
            assertEquals(200, put("/api/v1/me/watchlist/" + it.title(), user.token()).status());
            added.add(0, it.title().toString());
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            Http.Resp page = http.get("/api/v1/me/watchlist?limit=2" + (next == null ? "" : "&cursor=" + next), user.token());
            assertEquals(200, page.status(), page.text());
            seen.addAll(ids(page.json(), "/titleId"));
            next = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
            pages++;
        } while (next != null);
        assertEquals(3, pages);
        assertEquals(added, seen);
        assertEquals(400, http.get("/api/v1/me/watchlist?cursor=nonsense", user.token()).status());
        assertEquals(422, http.get("/api/v1/me/watchlist?limit=0", user.token()).status());
    }

    /**
     * Visibility is the catalogue's answer, not a join: pages stay full when hidden titles sit between visible ones,
     * because the store keeps reading its rows until the page is filled.
     */
    @Test
    void hiddenTitlesBetweenVisibleOnesLeaveNoHolesInPages() {
        TestAccounts.Account user = TestAccounts.user(jdbi);
        List<String> visible = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Item it = movie("published", 600);
            clock.advance(Duration.ofSeconds(1));
            assertEquals(200, put("/api/v1/me/watchlist/" + it.title(), user.token()).status());
            if (i % 3 != 0) {
                setState(it.media(), "taken_down"); // stays in the list, hidden from it
            } else {
                visible.add(0, it.title().toString());
            }
        }
        Http.Resp first = http.get("/api/v1/me/watchlist?limit=2", user.token());
        assertEquals(visible.subList(0, 2), ids(first.json(), "/titleId"), first.text());
        Http.Resp second = http.get("/api/v1/me/watchlist?limit=2&cursor=" + first.json().path("next").asText(),
                user.token());
        assertEquals(visible.subList(2, 3), ids(second.json(), "/titleId"), second.text());
        assertTrue(second.json().path("next").isNull() || second.json().path("next").isMissingNode());
    }

    @Test
    void continueWatchingListsUnfinishedMediaNewestFirstOnePerTitle() {
        TestAccounts.Account user = TestAccounts.user(jdbi);
        TestAccounts.Account other = TestAccounts.user(jdbi);
        Item older = series("published", 1000);
        Item newer = movie("published", 1000);
        Item finished = movie("published", 1000);
        Item hidden = movie("published", 1000);
        Item untouched = movie("published", 1000);
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, user.id()), older.media(), 100);
        clock.advance(Duration.ofSeconds(5));
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, user.id()), newer.media(), 400);
        clock.advance(Duration.ofSeconds(5));
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, user.id()), finished.media(), 990);
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, user.id()), hidden.media(), 10);
        setState(hidden.media(), "taken_down");
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, user.id()), untouched.media(), 0);
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, other.id()), older.media(), 500);

        // A second episode of the same series, watched after: it replaces the first in the row.
        UUID secondOfOlder = catalog.createMedia(older.title(), new MediaInput(1, 2, "Second", "s-" + UUID.randomUUID(),
                List.of("720p"), List.of("en"), List.of(), 300, true, "aes-128", "free", true)).id();
        setState(secondOfOlder, "published");

        Http.Resp r = http.get("/api/v1/me/continue-watching", user.token());
        assertEquals(200, r.status(), r.text());
        assertEquals(List.of(newer.media().toString(), older.media().toString()), ids(r.json(), "/media/id"));
        JsonNode first = r.json().path("items").get(0);
        assertEquals(newer.title().toString(), first.path("title").path("id").asText());
        assertEquals(400, first.path("positionSeconds").asInt());
        assertEquals(1000, first.path("durationSeconds").asInt());
        assertEquals(0.4, first.path("progress").asDouble(), 1e-9);
        assertNotNull(first.path("updatedAt").asText(null));

        clock.advance(Duration.ofSeconds(5));
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, user.id()), secondOfOlder, 30);
        Http.Resp page1 = http.get("/api/v1/me/continue-watching?limit=1", user.token());
        assertEquals(List.of(secondOfOlder.toString()), ids(page1.json(), "/media/id"));
        String next = page1.json().path("next").asText();
        Http.Resp page2 = http.get("/api/v1/me/continue-watching?limit=1&cursor=" + next, user.token());
        assertEquals(List.of(newer.media().toString()), ids(page2.json(), "/media/id"));
        assertTrue(page2.json().path("next").isNull() || page2.json().path("next").isMissingNode());

        Http.Resp others = http.get("/api/v1/me/continue-watching", other.token());
        assertEquals(List.of(older.media().toString()), ids(others.json(), "/media/id"));
        assertEquals(500, others.json().path("items").get(0).path("positionSeconds").asInt());
    }

    @Test
    void theRoutesAreDocumented() {
        JsonNode doc = http.get(OpenApi.PATH, null).json();
        JsonNode paths = doc.path("paths");
        assertTrue(paths.path("/api/v1/me/watchlist").has("get"));
        assertTrue(paths.path("/api/v1/me/watchlist/{titleId}").has("get"));
        assertTrue(paths.path("/api/v1/me/watchlist/{titleId}").has("put"));
        assertTrue(paths.path("/api/v1/me/watchlist/{titleId}").has("delete"));
        assertTrue(paths.path("/api/v1/me/continue-watching").has("get"));
        String list = paths.path("/api/v1/me/watchlist").path("get").toString();
        assertTrue(list.contains("cursor") && list.contains("limit"), list);
    }
}
