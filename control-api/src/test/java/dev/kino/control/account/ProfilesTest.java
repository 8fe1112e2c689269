package dev.kino.control.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Viewer profiles (#17) against the whole API on the real embedded PostgreSQL: every account has a primary profile;
 * profiles keep their own resume positions, watchlists, ratings, taste picks and notification settings; a profile's
 * maturity filters the catalogue, search and playback; PINs are required, checked and rate-limited; the limit comes
 * from the plan; streams count per account; deletion and export cover every profile; and no route acts on another
 * account's profile.
 */
class ProfilesTest {
    private final Http http = TestApi.http();
    private static final Jdbi JDBI = SharedDatabase.get().jdbi();

    @AfterEach
    void sendQueuedMail() {
        TestApi.api().outbox().dispatchPending();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Http.Resp put(String path, String token, String json) {
        return http.send(http.builder(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Http.Resp withBody(String method, String path, String token, Object body) {
        try {
            return http.send(http.builder(path, token).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(
                            dev.kino.control.http.Json.MAPPER.writeValueAsBytes(body))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Adds a profile from the caller's (primary) profile. @return its id */
    private UUID create(TestApi.User u, String name, String maturity, String pin) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "maturity", maturity));
        if (pin != null) {
            body.put("pin", pin);
        }
        Http.Resp r = http.post("/api/v1/me/profiles", u.accessToken(), body);
        assertEquals(201, r.status(), r.text());
        return UUID.fromString(r.json().get("id").asText());
    }

    /** Switches the user's session to a profile. @return the new access token */
    private String select(TestApi.User u, UUID profile, String pin) {
        Http.Resp r = http.post("/api/v1/me/profiles/" + profile + "/select", u.accessToken(),
                pin == null ? Map.of() : Map.of("pin", pin));
        assertEquals(200, r.status(), r.text());
        return r.json().get("accessToken").asText();
    }

    /** A second session of the same account (another device). */
    private static TestApi.User signInAgain(TestApi.User u) {
        JsonNode t = TestApi.login(u.username(), u.password()).json();
        return new TestApi.User(u.id(), u.username(), u.email(), u.password(), t.get("accessToken").asText(),
                t.get("refreshToken").asText(), UUID.fromString(t.get("sessionId").asText()));
    }

    private static TestApi.User as(TestApi.User u, String accessToken) {
        return new TestApi.User(u.id(), u.username(), u.email(), u.password(), accessToken, u.refreshToken(),
                u.sessionId());
    }

    private static UUID primaryOf(UUID account) {
        return JDBI.withHandle(h -> h.createQuery("select id from profiles where account_id = :a and is_primary")
                .bind("a", account).mapTo(UUID.class).one());
    }

    private static UUID published(String name, String ageRating) {
        // the API's own catalogue: its clock (which tests move) stamps the changes the search index syncs from
        Catalog catalog = TestApi.api().catalog();
        UUID id = catalog.createTitle(new TitleInput("movie", name + " " + UUID.randomUUID(), "en", Map.of(),
                Map.of(), 2020, ageRating, List.of("drama"), List.of(), List.of(), Map.of()));
        UUID media = catalog.createMedia(id, new MediaInput(null, null, "Feature", "p-" + UUID.randomUUID(),
                List.of("360p"), List.of("en"), List.of(), 600, true, "cenc", "free", true)).id();
        catalog.lifecycle().publish(media);
        return id;
    }

    private static UUID mediaOf(UUID title) {
        return JDBI.withHandle(h -> h.createQuery("select id from media_items where title_id = :t").bind("t", title)
                .mapTo(UUID.class).one());
    }

    private static void givePlan(UUID account, int streams, int maxProfiles) {
        UUID plan = UUID.randomUUID();
        JDBI.useHandle(h -> {
            h.createUpdate("""
                            insert into plans (id, name, concurrent_streams, max_resolution, price_minor, currency,
                                               max_profiles, created_at, updated_at)
                            values (:id, :n, :s, 1080, 999, 'EUR', :p, now(), now())""")
                    .bind("id", plan).bind("n", "Profiles plan " + plan).bind("s", streams).bind("p", maxProfiles)
                    .execute();
            h.createUpdate("""
                            insert into subscriptions (account_id, plan_id, status, created_at, updated_at)
                            values (:a, :p, 'active', now(), now())""").bind("a", account).bind("p", plan).execute();
        });
    }

    // ---- tests --------------------------------------------------------------------------------------------------

    @Test
    void everyAccountHasAPrimaryProfileThatActsWithoutASelection() {
        TestApi.User u = TestApi.newUser();
        Http.Resp r = http.get("/api/v1/me/profiles", u.accessToken());
        assertEquals(200, r.status(), r.text());
        JsonNode list = r.json().get("profiles");
        assertEquals(1, list.size());
        assertTrue(list.get(0).get("primary").asBoolean());
        assertTrue(list.get(0).get("current").asBoolean(), "without a selection the primary acts");
        assertEquals(u.username(), list.get(0).get("name").asText());
        assertEquals("adult", list.get(0).get("maturity").asText());
        assertEquals(5, r.json().get("maxProfiles").asInt(), "billing.defaultMaxProfiles without a plan");
        assertEquals(primaryOf(u.id()).toString(), list.get(0).get("id").asText());
        assertEquals(401, http.get("/api/v1/me/profiles", null).status());
        assertEquals(401, http.post("/api/v1/me/profiles", null, Map.of("name", "x")).status());
    }

    @Test
    void twoProfilesKeepTheirOwnProgressWatchlistRatingsTasteAndNotificationSettings() {
        TestApi.User u = TestApi.newUser();
        TestCatalog.Item film = TestCatalog.published("Shared film");
        UUID kid = create(u, "Kid", "kids", null);
        TestApi.User other = signInAgain(u);
        TestApi.User kidSession = as(other, select(other, kid, null));

        // the primary watches, lists, rates, picks and turns a notification type off
        assertEquals(204, put("/api/v1/playback/progress", u.accessToken(),
                "{\"mediaId\":\"" + film.mediaId() + "\",\"positionSeconds\":120}").status());
        assertEquals(200, put("/api/v1/me/watchlist/" + film.titleId(), u.accessToken(), "{}").status());
        assertEquals(200, put("/api/v1/titles/" + film.titleId() + "/rating", u.accessToken(), "{\"score\":9}").status());
        assertEquals(200, put("/api/v1/me/taste", u.accessToken(), "{\"genres\":[\"drama\"],\"titleIds\":[]}").status());
        assertEquals(200, put("/api/v1/me/notification-settings", u.accessToken(),
                "{\"settings\":[{\"type\":\"new-episode\",\"inApp\":false,\"email\":false}]}").status());

        // the kid sees none of it
        assertEquals(0, http.get("/api/v1/me/continue-watching", kidSession.accessToken()).json().get("items").size());
        assertEquals(0, http.get("/api/v1/me/watchlist", kidSession.accessToken()).json().get("items").size());
        JsonNode kidsRating = http.get("/api/v1/titles/" + film.titleId() + "/rating", kidSession.accessToken()).json();
        assertTrue(kidsRating.path("mine").isNull() || kidsRating.path("mine").isMissingNode(), kidsRating.toString());
        assertEquals(0, http.get("/api/v1/me/taste", kidSession.accessToken()).json().get("genres").size());
        assertTrue(setting(kidSession, "new-episode").get("inApp").asBoolean(), "the kid keeps the default");

        // the kid's own: a different position, a different score (both count in the title's figures)
        put("/api/v1/playback/progress", kidSession.accessToken(),
                "{\"mediaId\":\"" + film.mediaId() + "\",\"positionSeconds\":30}");
        assertEquals(200, put("/api/v1/titles/" + film.titleId() + "/rating", kidSession.accessToken(),
                "{\"score\":3}").status());
        JsonNode rating = http.get("/api/v1/titles/" + film.titleId() + "/rating", kidSession.accessToken()).json();
        assertEquals(3, rating.get("mine").asInt());
        assertEquals(2, rating.get("count").asInt());
        assertEquals(9, http.get("/api/v1/titles/" + film.titleId() + "/rating", u.accessToken()).json()
                .get("mine").asInt());
        assertEquals(120, http.get("/api/v1/me/continue-watching", u.accessToken()).json().get("items").get(0)
                .get("positionSeconds").asInt());
        assertEquals(30, http.get("/api/v1/me/continue-watching", kidSession.accessToken()).json().get("items").get(0)
                .get("positionSeconds").asInt());
        assertEquals(1, http.get("/api/v1/me/watchlist", u.accessToken()).json().get("items").size());
        assertFalse(setting(u, "new-episode").get("inApp").asBoolean());
        // recommendations are computed per profile: each one's known titles are its own signals
        UUID other2 = UUID.randomUUID();
        TestCatalog.Item kidsFilm = TestCatalog.published("Kid's film " + other2);
        put("/api/v1/playback/progress", kidSession.accessToken(),
                "{\"mediaId\":\"" + kidsFilm.mediaId() + "\",\"positionSeconds\":60}");
        runRecommendations();
        assertTrue(known(kid).contains(kidsFilm.titleId()), "the kid's shelves know the kid's film");
        assertFalse(known(primaryOf(u.id())).contains(kidsFilm.titleId()), "the primary's do not");
        assertTrue(known(primaryOf(u.id())).contains(film.titleId()));
        // the resume position a playback grant carries is the profile's
        assertEquals(30, http.post("/api/v1/playback", kidSession.accessToken(), Map.of("mediaId", film.mediaId()))
                .json().get("resumePositionSeconds").asInt());
    }

    private static void runRecommendations() {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (TestApi.api().recommendJob().run(true).isPresent()) {
                return;
            }
            try {
                Thread.sleep(100); // another API instance of this test run holds the job's lock
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the recommendations job never ran");
    }

    private static List<UUID> known(UUID profile) {
        return JDBI.withHandle(h -> h.createQuery("select unnest(known_titles) from recommend_accounts"
                + " where profile_id = :p").bind("p", profile).mapTo(UUID.class).list());
    }

    private JsonNode setting(TestApi.User u, String type) {
        for (JsonNode s : http.get("/api/v1/me/notification-settings", u.accessToken()).json().get("settings")) {
            if (s.get("type").asText().equals(type)) {
                return s;
            }
        }
        throw new AssertionError("no setting " + type);
    }

    @Test
    void aProfilesMaturityFiltersCatalogueSearchAndPlayback() throws Exception {
        TestApi.User u = TestApi.newUser();
        // letters only: one search term, unique to this run
        String word = "Zorblax" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").substring(0, 5);
        UUID mature = published(word + " After Dark", "18+");
        UUID gentle = published(word + " Picnic", "all");
        UUID kid = create(u, "Little one", "kids", null);
        TestApi.User other = signInAgain(u);
        String kidToken = select(other, kid, null);

        // catalogue
        assertEquals(200, http.get("/api/v1/titles/" + mature, u.accessToken()).status());
        assertEquals(404, http.get("/api/v1/titles/" + mature, kidToken).status());
        assertEquals(200, http.get("/api/v1/titles/" + gentle, kidToken).status());
        String q = "/api/v1/titles?q=" + URLEncoder.encode(word, StandardCharsets.UTF_8);
        assertEquals(List.of(gentle), ids(http.get(q, kidToken).json().get("items")));
        assertTrue(ids(http.get(q, u.accessToken()).json().get("items")).containsAll(List.of(mature, gentle)));
        // search
        assertTrue(TestApi.api().search().awaitBuilt(Duration.ofSeconds(60)), "the search index is built");
        TestApi.api().search().sync();
        String s = "/api/v1/search?q=" + URLEncoder.encode(word, StandardCharsets.UTF_8);
        Http.Resp kidSearch = searchWhole(s, kidToken);
        assertEquals(List.of(gentle), ids(kidSearch.json().get("hits")), kidSearch.text());
        Http.Resp adultSearch = searchWhole(s, u.accessToken());
        assertTrue(ids(adultSearch.json().get("hits")).contains(mature), adultSearch.text());
        // playback: 403 problem+json above the profile's maturity, allowed to the primary
        Http.Resp refused = http.post("/api/v1/playback", kidToken, Map.of("mediaId", mediaOf(mature)));
        assertEquals(403, refused.status(), refused.text());
        assertEquals("forbidden", refused.problem());
        assertTrue(refused.header("content-type").startsWith("application/problem+json"));
        Http.Resp allowed = http.post("/api/v1/playback", kidToken, Map.of("mediaId", mediaOf(gentle)));
        assertEquals(200, allowed.status(), allowed.text());
        // (streams count per account: free the kid's before the primary plays)
        assertEquals(204, http.delete("/api/v1/playback/sessions/" + allowed.json().get("sessionId").asText(), kidToken)
                .status());
        Http.Resp primaryPlays = http.post("/api/v1/playback", u.accessToken(), Map.of("mediaId", mediaOf(mature)));
        assertEquals(200, primaryPlays.status(), primaryPlays.text());
        assertEquals(204, http.delete("/api/v1/playback/sessions/" + primaryPlays.json().get("sessionId").asText(),
                u.accessToken()).status());
        // the account's own limit still caps an adult profile
        JDBI.useHandle(h -> h.createUpdate("update accounts set maturity = 'teen' where id = :a").bind("a", u.id())
                .execute());
        assertEquals(403, http.post("/api/v1/playback", u.accessToken(), Map.of("mediaId", mediaOf(mature))).status());
    }

    /**
     * A search answers what it found within its time budget, marked {@code partial}; on this shared test machine a
     * cold index can run past it, so ask again until an answer is whole.
     */
    private Http.Resp searchWhole(String path, String token) {
        Http.Resp r = http.get(path, token);
        for (int i = 0; i < 20 && r.json().path("partial").asBoolean(); i++) {
            r = http.get(path, token);
        }
        return r;
    }

    private static List<UUID> ids(JsonNode items) {
        List<UUID> out = new ArrayList<>();
        items.forEach(i -> out.add(UUID.fromString(i.get("id").asText())));
        return out;
    }

    @Test
    void aPinIsRequiredCheckedAndRateLimitedAndNoHeaderBypassesIt() {
        TestApi.User u = TestApi.newUser();
        UUID locked = create(u, "Grown-up", "adult", "4821");
        Http.Resp list = http.get("/api/v1/me/profiles", u.accessToken());
        // no value is the PIN and no value is its hash (ids are hex, so a plain substring test could match one by chance)
        assertFalse(list.json().findValuesAsText("pin").contains("4821") || list.text().contains("\"4821\"")
                || list.text().contains("argon") || list.text().contains("pinHash"), "the PIN never leaves");
        String path = "/api/v1/me/profiles/" + locked + "/select";

        Http.Resp none = http.post(path, u.accessToken(), Map.of());
        assertEquals(403, none.status(), none.text());
        assertEquals("forbidden", none.problem());
        // headers a proxy or client might add do not stand in for the PIN
        Http.Resp headers = http.send(http.builder(path, u.accessToken()).header("Content-Type", "application/json")
                .header("X-Profile-Id", locked.toString()).header("X-Profile-Pin", "4821")
                .header("X-Forwarded-For", "127.0.0.1").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(403, headers.status());
        Http.Resp asProfile = http.send(http.builder("/api/v1/me/profiles", u.accessToken())
                .header("X-Profile-Id", locked.toString()).GET());
        for (JsonNode p : asProfile.json().get("profiles")) {
            assertEquals(p.get("primary").asBoolean(), p.get("current").asBoolean(), "a header selects nothing");
        }
        assertEquals(403, http.post(path, u.accessToken(), Map.of("pin", "0000")).status());
        // 5 wrong PINs in a row (one above, 4 here) lock the profile: even the right PIN is refused then
        for (int i = 0; i < 3; i++) {
            assertEquals(403, http.post(path, u.accessToken(), Map.of("pin", "12345" + i)).status());
        }
        Http.Resp fifth = http.post(path, u.accessToken(), Map.of("pin", "9999"));
        assertEquals(429, fifth.status(), fifth.text());
        assertEquals("rate-limited", fifth.problem());
        assertTrue(Long.parseLong(fifth.header("retry-after")) > 0);
        assertEquals(429, http.post(path, u.accessToken(), Map.of("pin", "4821")).status());
        TestApi.inProcess().elapse(Profiles.PIN_LOCKOUT.plusSeconds(1));
        // the clock moved past the access token's life as well: sign in again
        TestApi.User again = signInAgain(u);
        String token = select(again, locked, "4821");
        JsonNode current = http.get("/api/v1/me/profiles", token).json().get("profiles");
        for (JsonNode p : current) {
            assertEquals(p.get("id").asText().equals(locked.toString()), p.get("current").asBoolean());
        }
        // the session's earlier access token stopped working when it switched profile
        assertEquals(401, http.get("/api/v1/me/profiles", again.accessToken()).status());
        // a refresh keeps the profile
        Http.Resp refreshed = http.post("/api/v1/auth/refresh", null, Map.of("refreshToken",
                http.post(path, token, Map.of("pin", "4821")).json().get("refreshToken").asText()));
        assertEquals(200, refreshed.status(), refreshed.text());
        for (JsonNode p : http.get("/api/v1/me/profiles", refreshed.json().get("accessToken").asText()).json()
                .get("profiles")) {
            assertEquals(p.get("id").asText().equals(locked.toString()), p.get("current").asBoolean());
        }
        // a PIN on the primary guards it too: a child's profile cannot step back without it
        UUID primary = primaryOf(u.id());
        TestApi.User third = signInAgain(u);
        assertEquals(200, http.patch("/api/v1/me/profiles/" + primary, third.accessToken(), Map.of("pin", "135790"))
                .status());
        UUID kid = create(third, "Kid", "kids", null);
        String kidToken = select(third, kid, null);
        assertEquals(403, http.post("/api/v1/me/profiles/" + primary + "/select", kidToken, Map.of()).status());
        assertEquals(200, http.post("/api/v1/me/profiles/" + primary + "/select", kidToken, Map.of("pin", "135790"))
                .status());
    }

    @Test
    void onlyThePrimaryManagesProfilesAndAChildCannotRaiseItsMaturity() {
        TestApi.User u = TestApi.newUser();
        UUID kid = create(u, "Kid", "kids", null);
        UUID teen = create(u, "Teen", "teen", null);
        TestApi.User other = signInAgain(u);
        String kidToken = select(other, kid, null);
        assertEquals(403, http.post("/api/v1/me/profiles", kidToken, Map.of("name", "Sneaky")).status());
        assertEquals(403, http.patch("/api/v1/me/profiles/" + kid, kidToken, Map.of("maturity", "adult")).status());
        assertEquals(403, http.patch("/api/v1/me/profiles/" + kid, kidToken, Map.of("pin", "1234")).status());
        assertEquals(403, http.patch("/api/v1/me/profiles/" + teen, kidToken, Map.of("name", "Renamed")).status());
        assertEquals(403, http.delete("/api/v1/me/profiles/" + teen, kidToken).status());
        Http.Resp renamed = http.patch("/api/v1/me/profiles/" + kid, kidToken, Map.of("name", "Dino fan"));
        assertEquals(200, renamed.status(), renamed.text());
        assertEquals("Dino fan", renamed.json().get("name").asText());
        // the primary does all of it
        Http.Resp raised = http.patch("/api/v1/me/profiles/" + kid, u.accessToken(), Map.of("maturity", "family"));
        assertEquals(200, raised.status(), raised.text());
        assertEquals("family", raised.json().get("maturity").asText());
        Http.Resp bad = http.patch("/api/v1/me/profiles/" + kid, u.accessToken(),
                Map.of("maturity", "x", "pin", "12", "colour", "red"));
        assertEquals(422, bad.status());
        assertEquals("validation", bad.problem());
        assertEquals(409, http.post("/api/v1/me/profiles", u.accessToken(), Map.of("name", "teen")).status(),
                "names are unique per account, whatever the case");
        Http.Resp primaryDelete = http.delete("/api/v1/me/profiles/" + primaryOf(u.id()), u.accessToken());
        assertEquals(409, primaryDelete.status());
        assertEquals("conflict", primaryDelete.problem());
        assertEquals(422, http.post("/api/v1/me/profiles", u.accessToken(), Map.of("name", " ")).status());
    }

    @Test
    void theLimitComesFromThePlanAndTheDefaultOtherwise() {
        TestApi.User u = TestApi.newUser();
        for (int i = 1; i < 5; i++) {
            create(u, "P" + i, "adult", null);
        }
        Http.Resp over = http.post("/api/v1/me/profiles", u.accessToken(), Map.of("name", "P5"));
        assertEquals(409, over.status(), over.text());
        assertEquals("conflict", over.problem());
        assertTrue(over.json().get("detail").asText().contains("maxProfiles = 5"), over.text());

        TestApi.User planned = TestApi.newUser();
        givePlan(planned.id(), 2, 2);
        assertEquals(2, http.get("/api/v1/me/profiles", planned.accessToken()).json().get("maxProfiles").asInt());
        create(planned, "Second", "teen", null);
        Http.Resp full = http.post("/api/v1/me/profiles", planned.accessToken(), Map.of("name", "Third"));
        assertEquals(409, full.status());
        assertTrue(full.json().get("detail").asText().contains("maxProfiles = 2"), full.text());
    }

    @Test
    void concurrentStreamsCountPerAccountAcrossProfiles() {
        TestApi.User u = TestApi.newUser();
        givePlan(u.id(), 1, 3);
        TestCatalog.Item film = TestCatalog.published("Stream limit");
        UUID kid = create(u, "Kid", "kids", null);
        TestApi.User other = signInAgain(u);
        String kidToken = select(other, kid, null);
        Http.Resp first = http.post("/api/v1/playback", u.accessToken(), Map.of("mediaId", film.mediaId()));
        assertEquals(200, first.status(), first.text());
        Http.Resp second = http.post("/api/v1/playback", kidToken, Map.of("mediaId", film.mediaId()));
        assertEquals(429, second.status(), "one stream for the whole account: " + second.text());
        assertEquals(204, http.delete("/api/v1/playback/sessions/" + first.json().get("sessionId").asText(),
                u.accessToken()).status());
        assertEquals(200, http.post("/api/v1/playback", kidToken, Map.of("mediaId", film.mediaId())).status());
    }

    @Test
    void deletingAProfileRemovesItsHistoryWatchlistAndRatingsOnly() {
        TestApi.User u = TestApi.newUser();
        TestCatalog.Item film = TestCatalog.published("Deleted profile's film");
        UUID kid = create(u, "Kid", "kids", null);
        TestApi.User other = signInAgain(u);
        String kidToken = select(other, kid, null);
        put("/api/v1/playback/progress", kidToken, "{\"mediaId\":\"" + film.mediaId() + "\",\"positionSeconds\":40}");
        put("/api/v1/me/watchlist/" + film.titleId(), kidToken, "{}");
        put("/api/v1/titles/" + film.titleId() + "/rating", kidToken, "{\"score\":6}");
        put("/api/v1/titles/" + film.titleId() + "/rating", u.accessToken(), "{\"score\":8}");
        assertEquals(2, http.get("/api/v1/titles/" + film.titleId() + "/rating", null).json().get("count").asInt());

        assertEquals(204, http.delete("/api/v1/me/profiles/" + kid, u.accessToken()).status());
        assertEquals(404, http.get("/api/v1/me/profiles/" + kid, u.accessToken()).status());
        for (String table : List.of("playback_progress", "watchlist_entries", "ratings")) {
            int rows = JDBI.withHandle(h -> h.createQuery("select count(*) from " + table
                    + " where profile_id = :p").bind("p", kid).mapTo(Integer.class).one());
            assertEquals(0, rows, table);
        }
        JsonNode rating = http.get("/api/v1/titles/" + film.titleId() + "/rating", u.accessToken()).json();
        assertEquals(1, rating.get("count").asInt(), "the title's figures lost the deleted profile's score");
        assertEquals(8, rating.get("mine").asInt());
        // the device that watched as it is signed out (not moved to the primary, which may have a PIN)
        assertEquals(401, http.get("/api/v1/me/profiles", kidToken).status());
        assertEquals("profile-deleted", JDBI.withHandle(h -> h.createQuery("select revoke_reason from sessions"
                + " where id = :s").bind("s", other.sessionId()).mapTo(String.class).one()));
        assertEquals(200, http.get("/api/v1/me/profiles", u.accessToken()).status(), "the primary's session goes on");
    }

    @Test
    void exportAndErasureCoverEveryProfile() {
        TestApi.User u = TestApi.newUser();
        TestCatalog.Item film = TestCatalog.published("Exported profile film");
        UUID kid = create(u, "Kid", "kids", "2468");
        TestApi.User other = signInAgain(u);
        String kidToken = select(other, kid, "2468");
        put("/api/v1/playback/progress", kidToken, "{\"mediaId\":\"" + film.mediaId() + "\",\"positionSeconds\":50}");
        put("/api/v1/me/watchlist/" + film.titleId(), kidToken, "{}");
        put("/api/v1/titles/" + film.titleId() + "/rating", kidToken, "{\"score\":7}");

        Http.Resp r = http.get("/api/v1/me/export", u.accessToken());
        assertEquals(200, r.status(), r.text());
        assertFalse(r.text().contains("2468") || r.text().contains("$argon2"), "no PIN");
        JsonNode profiles = r.json().get("viewerProfiles");
        assertEquals(2, profiles.size());
        JsonNode kidData = profiles.get(0).get("primary").asBoolean() ? profiles.get(1) : profiles.get(0);
        assertEquals("Kid", kidData.get("name").asText());
        assertTrue(kidData.get("pinSet").asBoolean());
        assertEquals(50, kidData.get("watchHistory").get(0).get("positionSeconds").asInt());
        assertEquals(film.titleId().toString(), kidData.get("watchlist").get(0).get("titleId").asText());
        assertEquals(7, kidData.get("ratings").get(0).get("score").asInt());
        assertTrue(kidData.get("notificationSettings").has("new-episode"));
        assertEquals(0, r.json().get("watchlist").size(), "the top-level sections are the primary profile's");

        assertEquals(202, withBody("DELETE", "/api/v1/me", u.accessToken(), Map.of("currentPassword", u.password()))
                .status());
        TestApi.inProcess().elapse(Duration.ofDays(14).plusMinutes(1));
        assertTrue(TestApi.api().accountDeletion().eraseDue() >= 1);
        var left = JDBI.withHandle(h -> h.createQuery("""
                        select (select count(*) from playback_progress where account_id = :a) as progress,
                               (select count(*) from watchlist_entries where account_id = :a) as listed,
                               (select count(*) from profiles where account_id = :a and (name like 'Kid%'
                                       or pin_hash is not null or avatar_png is not null)) as named""")
                .bind("a", u.id()).mapToMap().one());
        assertEquals(0L, left.get("progress"));
        assertEquals(0L, left.get("listed"));
        assertEquals(0L, left.get("named"), "profiles keep no name, PIN or avatar");
    }

    @Test
    void noRouteActsOnAnotherAccountsProfile() throws IOException {
        TestApi.User owner = TestApi.newUser();
        TestApi.User intruder = TestApi.newUser();
        UUID theirs = create(owner, "Theirs", "teen", null);
        UUID theirPrimary = primaryOf(owner.id());
        String t = intruder.accessToken();
        for (UUID id : List.of(theirs, theirPrimary, UUID.randomUUID())) {
            String p = "/api/v1/me/profiles/" + id;
            assertEquals(404, http.get(p, t).status(), "GET " + p);
            assertEquals(404, http.patch(p, t, Map.of("name", "Mine now")).status(), "PATCH " + p);
            assertEquals(404, http.delete(p, t).status(), "DELETE " + p);
            Http.Resp select = http.post(p + "/select", t, Map.of());
            assertEquals(404, select.status(), "select " + p);
            assertEquals("not-found", select.problem());
            assertEquals(404, http.get(p + "/avatar", t).status(), "GET avatar " + p);
            assertEquals(404, http.send(http.builder(p + "/avatar", t).header("Content-Type", "image/png")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(png()))).status(), "PUT avatar " + p);
            assertEquals(404, http.delete(p + "/avatar", t).status(), "DELETE avatar " + p);
        }
        // nothing of theirs changed, and the list shows only the caller's own
        assertEquals("Theirs", http.get("/api/v1/me/profiles/" + theirs, owner.accessToken()).json().get("name").asText());
        JsonNode mine = http.get("/api/v1/me/profiles", t).json().get("profiles");
        assertEquals(1, mine.size());
        assertNotEquals(theirPrimary.toString(), mine.get(0).get("id").asText());
        // every route refuses a caller without a token
        for (String p : List.of("/api/v1/me/profiles/" + theirs, "/api/v1/me/profiles/" + theirs + "/avatar")) {
            assertEquals(401, http.get(p, null).status());
            assertEquals(401, http.delete(p, null).status());
        }
        assertEquals(401, http.patch("/api/v1/me/profiles/" + theirs, null, Map.of("name", "x")).status());
        assertEquals(401, http.post("/api/v1/me/profiles/" + theirs + "/select", null, Map.of()).status());
    }

    @Test
    void aProfileAvatarIsReencodedNeverTheUploadedBytes() throws IOException {
        TestApi.User u = TestApi.newUser();
        UUID kid = create(u, "Kid", "kids", null);
        byte[] upload = png();
        Http.Resp putIt = http.send(http.builder("/api/v1/me/profiles/" + kid + "/avatar", u.accessToken())
                .header("Content-Type", "image/png").PUT(HttpRequest.BodyPublishers.ofByteArray(upload)));
        assertEquals(204, putIt.status(), putIt.text());
        var got = http.sendBytes(http.builder("/api/v1/me/profiles/" + kid + "/avatar", u.accessToken()).GET());
        assertEquals(200, got.statusCode());
        BufferedImage stored = ImageIO.read(new java.io.ByteArrayInputStream(got.body()));
        assertEquals(Avatars.SIZE, stored.getWidth());
        assertFalse(java.util.Arrays.equals(upload, got.body()));
        assertEquals("/api/v1/me/profiles/" + kid + "/avatar",
                http.get("/api/v1/me/profiles/" + kid, u.accessToken()).json().get("avatarUrl").asText());
        Http.Resp notImage = http.send(http.builder("/api/v1/me/profiles/" + kid + "/avatar", u.accessToken())
                .header("Content-Type", "image/png").PUT(HttpRequest.BodyPublishers.ofByteArray(
                        "<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8))));
        assertEquals(422, notImage.status());
        assertArrayEquals(got.body(), http.sendBytes(http.builder("/api/v1/me/profiles/" + kid + "/avatar",
                u.accessToken()).GET()).body(), "a refused upload changes nothing");
    }

    private static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        img.setRGB(10, 10, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
