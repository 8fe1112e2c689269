package dev.kino.control.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.ActionLimits;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.forum.ForumStore;
import dev.kino.control.playback.PlaybackTypes;
import dev.kino.control.playback.Plans;
import dev.kino.control.ratings.Ratings;
import dev.kino.control.reactions.ReactionTypes;
import dev.kino.control.reactions.Reactions;
import dev.kino.control.social.SocialStore;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import dev.kino.control.support.TestApi;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recommendations end to end on a real server and the run's PostgreSQL: signals written through their owners' APIs
 * (saved positions, scores, likes, watchlist), the real job, the routes. A crowd of twelve viewers finishes a
 * five-part saga, five unrelated "Bee" films, an 18+ film, an unpublished film and a subscription-only film (and six
 * more go from the saga's first season to its second only); viewers with a little history then get shelves that
 * follow the crowd, minus what they may not see or play.
 */
class RecommendRoutesTest {
    static Jdbi jdbi;
    static Catalog catalog;
    static Plans plans;
    static Ratings ratings;
    static Reactions reactions;
    static SocialStore social;
    static RecommendJob job;
    static FeatureServer server;
    static Http http;
    static String tag;
    static String sagaGenre;
    static String beeGenre;
    static final List<Item> saga = new ArrayList<>();
    static final List<Item> bees = new ArrayList<>();
    static Item mature;
    static Item unpublished;
    static Item subscription;
    static TestAccounts.Account teen;
    static TestAccounts.Account adult;
    static TestAccounts.Account liker;

    record Item(UUID title, UUID media) {
    }

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        Clock clock = Clock.systemUTC();
        catalog = new Catalog(jdbi, clock);
        plans = new Plans(jdbi, clock);
        ActionLimits limits = new ActionLimits(TestApi.state().blocking(Duration.ofSeconds(5)));
        ratings = new Ratings(jdbi, clock, catalog, limits);
        reactions = new Reactions(jdbi, clock, limits);
        social = new SocialStore(jdbi, clock, catalog, plans);
        RecommendStore store = new RecommendStore(jdbi);
        job = new RecommendJob(jdbi, clock, store, catalog, plans, ratings, reactions, social, new ForumStore(jdbi),
                Blend.Params.DEFAULT);
        server = FeatureServer.start(SharedDatabase.config(), r -> RecommendRoutes.register(r,
                new Recommendations(store, catalog, plans, clock), FeatureServer.access(jdbi)));
        http = server.http();

        tag = UUID.randomUUID().toString().substring(0, 8);
        sagaGenre = "saga-" + tag;
        beeGenre = "bee-" + tag;
        for (int s = 1; s <= 5; s++) {
            saga.add(title("Saga" + tag + " Season " + s, List.of(sagaGenre), "Studio " + tag, "all", "free", "published"));
        }
        for (String w : List.of("Alpha", "Bravo", "Charlie", "Delta", "Echo")) {
            bees.add(title("Bee" + tag + " " + w, List.of(beeGenre), "Hive " + w + tag, "all", "free", "published"));
        }
        mature = title("Mature" + tag, List.of(beeGenre), "Night " + tag, "18+", "free", "published");
        unpublished = title("Unpublished" + tag, List.of(beeGenre), "Draft " + tag, "all", "free", "ready");
        subscription = title("Premium" + tag, List.of(beeGenre), "Gold " + tag, "all", "subscription", "published");
        List<Item> everything = new ArrayList<>(saga);
        everything.addAll(bees);
        everything.addAll(List.of(mature, unpublished, subscription));
        for (int c = 0; c < 12; c++) {
            TestAccounts.Account crowd = TestAccounts.user(jdbi);
            everything.forEach(i -> plans.saveProgress(TestAccounts.primaryProfile(jdbi, crowd.id()), i.media(), 600));
            ratings.rate(bees.get(1).title(), crowd.id(), 9);
        }
        for (int c = 0; c < 6; c++) {
            // viewers who went on from the first season to the second only: the second is the first one's best match
            TestAccounts.Account sequel = TestAccounts.user(jdbi);
            saga.subList(0, 2).forEach(i -> plans.saveProgress(TestAccounts.primaryProfile(jdbi, sequel.id()), i.media(), 600));
        }
        teen = TestAccounts.create(jdbi, null, "teen");
        adult = TestAccounts.user(jdbi);
        for (TestAccounts.Account a : List.of(teen, adult)) {
            plans.saveProgress(TestAccounts.primaryProfile(jdbi, a.id()), saga.get(0).media(), 600);
            plans.saveProgress(TestAccounts.primaryProfile(jdbi, a.id()), bees.get(0).media(), 600);
        }
        liker = TestAccounts.user(jdbi);
        reactions.react(ReactionTypes.Target.TITLE, bees.get(2).title(), liker.id(), ReactionTypes.Value.like);
        ratings.rate(bees.get(3).title(), liker.id(), 7);
        social.add(TestAccounts.primaryProfile(jdbi, liker.id()), false, bees.get(4).title());
        reactions.react(ReactionTypes.Target.TITLE, saga.get(0).title(), liker.id(), ReactionTypes.Value.dislike);
        runJob(true);
    }

    /** Runs the job, waiting while another API instance of this test run holds its lock. */
    static void runJob(boolean full) {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (job.run(full).isPresent()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the recommendations job never got its lock");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Item title(String name, List<String> genres, String studio, String age, String access, String state) {
        return title(name, genres, studio, List.of(), age, access, state);
    }

    static Item title(String name, List<String> genres, String studio, List<String> people, String age, String access,
                      String state) {
        UUID t = catalog.createTitle(new TitleInput("movie", name, "en", Map.of("en", name),
                Map.of("en", "A story of " + name), 2020, age, genres, List.of("tag-" + tag), List.of(studio), null,
                people));
        UUID m = catalog.createMedia(t, new MediaInput(null, null, "Feature", "r-" + UUID.randomUUID(), List.of("360p"),
                List.of("en"), List.of(), 600, true, "cenc", access, true)).id();
        jdbi.useHandle(h -> h.createUpdate("update media_items set state = :s where id = :id").bind("s", state)
                .bind("id", m).execute());
        return new Item(t, m);
    }

    static Set<UUID> ids(JsonNode items) {
        Set<UUID> out = new HashSet<>();
        items.forEach(i -> out.add(UUID.fromString(i.get("id").asText())));
        return out;
    }

    static List<UUID> list(JsonNode items) {
        List<UUID> out = new ArrayList<>();
        items.forEach(i -> out.add(UUID.fromString(i.get("id").asText())));
        return out;
    }

    static JsonNode shelf(JsonNode shelves, String kind) {
        for (JsonNode s : shelves.get("shelves")) {
            if (s.get("kind").asText().equals(kind)) {
                return s;
            }
        }
        return null;
    }

    static Set<UUID> everythingShown(JsonNode shelves) {
        Set<UUID> out = new HashSet<>();
        shelves.get("shelves").forEach(s -> out.addAll(ids(s.get("items"))));
        return out;
    }

    static Set<UUID> titles(List<Item> items) {
        Set<UUID> out = new HashSet<>();
        items.forEach(i -> out.add(i.title()));
        return out;
    }

    @Test
    void aViewerWithHistoryGetsShelvesThatFollowTheCrowdAndNeverWhatTheyFinished() {
        Http.Resp r = http.get("/api/v1/me/recommendations", adult.token());
        assertEquals(200, r.status(), r.text());
        JsonNode body = r.json();
        assertEquals("history", body.get("basis").asText());
        assertNotNull(body.get("computedAt"));
        JsonNode forYou = shelf(body, "recommended-for-you");
        assertNotNull(forYou, r.text());
        Set<UUID> rec = ids(forYou.get("items"));
        assertTrue(rec.contains(saga.get(1).title()), "the next season");
        for (Item b : bees.subList(1, 5)) {
            assertTrue(rec.contains(b.title()), "a film the crowd watched");
        }
        assertTrue(rec.contains(mature.title()), "an adult may get 18+ titles");
        Set<UUID> all = everythingShown(body);
        assertFalse(all.contains(saga.get(0).title()), "finished titles are excluded");
        assertFalse(all.contains(bees.get(0).title()), "finished titles are excluded");
        assertFalse(all.contains(unpublished.title()), "unpublished titles are never recommended");
        assertFalse(all.contains(subscription.title()), "subscription titles need a plan");
        assertEquals("recommended-for-you", body.get("shelves").get(0).get("kind").asText());
        Set<UUID> anchors = new HashSet<>();
        body.get("shelves").forEach(s -> {
            if (s.get("kind").asText().equals("because-you-watched")) {
                UUID a = UUID.fromString(s.get("anchor").get("id").asText());
                anchors.add(a);
                assertTrue(s.get("heading").asText().startsWith("Because you watched "), s.toString());
                assertFalse(ids(s.get("items")).contains(a));
            }
        });
        assertEquals(Set.of(saga.get(0).title(), bees.get(0).title()), anchors, "one shelf per watched franchise");
        assertNotNull(shelf(body, "trending"));
        JsonNode top = shelf(body, "top-rated-in-genre");
        assertNotNull(top, r.text());
        assertEquals(beeGenre, top.get("genre").asText(), "the genre the viewer watches and the crowd rated");
        assertEquals(bees.get(1).title(), list(top.get("items")).get(0));
    }

    @Test
    void maturityAndPlanAreTheViewersOwn() {
        JsonNode teenShelves = http.get("/api/v1/me/recommendations", teen.token()).json();
        assertFalse(everythingShown(teenShelves).contains(mature.title()), "an 18+ title for a teen account");
        assertTrue(ids(shelf(teenShelves, "recommended-for-you").get("items")).contains(saga.get(1).title()));

        TestAccounts.Account subscriber = TestAccounts.user(jdbi);
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, subscriber.id()), saga.get(0).media(), 600);
        plans.saveProgress(TestAccounts.primaryProfile(jdbi, subscriber.id()), bees.get(0).media(), 600);
        runJob(false);
        assertFalse(everythingShown(http.get("/api/v1/me/recommendations", subscriber.token()).json())
                .contains(subscription.title()), "no plan yet");
        PlaybackTypes.Plan plan = plans.create(new PlaybackTypes.Plan(null, "Plan " + tag, 2, 1080, 0L, "EUR", false,
                null, null, null, null));
        plans.assign(subscriber.id(), new PlaybackTypes.PlanAssignment(plan.id(), null));
        assertTrue(everythingShown(http.get("/api/v1/me/recommendations", subscriber.token()).json())
                .contains(subscription.title()), "a plan plays subscription titles");
    }

    @Test
    void oneFranchiseDoesNotFillAShelf() {
        JsonNode body = http.get("/api/v1/me/recommendations", adult.token()).json();
        Set<UUID> sagaIds = titles(saga);
        Set<UUID> beeIds = titles(bees);
        for (JsonNode s : body.get("shelves")) {
            List<UUID> items = list(s.get("items"));
            int sagaSeen = 0;
            int lastBee = -1;
            int thirdSaga = -1;
            for (int x = 0; x < items.size(); x++) {
                if (sagaIds.contains(items.get(x)) && ++sagaSeen == 3) {
                    thirdSaga = x;
                }
                if (beeIds.contains(items.get(x))) {
                    lastBee = x;
                }
            }
            assertTrue(thirdSaga < 0 || thirdSaga > lastBee,
                    "a third season comes only after every other candidate: " + s.get("kind") + " " + items);
        }
        List<UUID> similar = list(http.get("/api/v1/titles/" + saga.get(0).title() + "/similar", null).json().get("items"));
        assertTrue(similar.subList(0, 2).stream().allMatch(sagaIds::contains) || similar.contains(bees.get(1).title()),
                similar.toString());
        long sagaInFront = similar.subList(0, Math.min(similar.size(), 2 + 4)).stream().filter(sagaIds::contains).count();
        assertTrue(sagaInFront <= 2, "at most two seasons before the bees: " + similar);
    }

    @Test
    void likesScoresWatchlistAndDislikesCountAsSignals() {
        JsonNode body = http.get("/api/v1/me/recommendations", liker.token()).json();
        assertEquals("history", body.get("basis").asText(), body.toString());
        Set<UUID> all = everythingShown(body);
        for (int b = 2; b <= 4; b++) {
            assertFalse(all.contains(bees.get(b).title()), "liked, rated and listed titles are known, not recommended");
        }
        assertFalse(all.contains(saga.get(0).title()), "a disliked title is not recommended");
        Set<UUID> rec = ids(shelf(body, "recommended-for-you").get("items"));
        assertTrue(rec.contains(bees.get(1).title()), "what the likers of those films also watched: " + body);
    }

    @Test
    void coldTitlesAreSimilarThroughTheirCastAndStaff() {
        // three titles nobody watched, alike in everything but their people: the two that share a director and a
        // composer are each other's best match
        String cold = "cold-" + tag;
        Item first = title("First" + tag, List.of(cold), "Lone " + tag, List.of("Director " + tag, "Composer " + tag),
                "all", "free", "published");
        Item second = title("Second" + tag, List.of(cold), "Lone " + tag, List.of("Composer " + tag, "Director " + tag),
                "all", "free", "published");
        Item third = title("Third" + tag, List.of(cold), "Lone " + tag, List.of("Someone " + tag, "Else " + tag),
                "all", "free", "published");
        runJob(true);
        List<UUID> similar = list(http.get("/api/v1/titles/" + first.title() + "/similar", null).json().get("items"));
        assertTrue(similar.contains(third.title()), "the same genre and studio make the third similar too: " + similar);
        assertTrue(similar.indexOf(second.title()) >= 0 && similar.indexOf(second.title()) < similar.indexOf(third.title()),
                "shared people rank the second first: " + similar);
    }

    @Test
    void similarTitlesAndTrendingAreFilteredForTheCaller() {
        Http.Resp r = http.get("/api/v1/titles/" + saga.get(0).title() + "/similar", null);
        assertEquals(200, r.status(), r.text());
        Set<UUID> similar = ids(r.json().get("items"));
        assertTrue(similar.contains(saga.get(1).title()));
        assertTrue(similar.contains(bees.get(0).title()));
        assertFalse(similar.contains(saga.get(0).title()));
        assertFalse(similar.contains(mature.title()), "guests see titles up to 13+");
        assertFalse(similar.contains(unpublished.title()));
        assertFalse(similar.contains(subscription.title()), "guests play free titles only");
        assertTrue(ids(http.get("/api/v1/titles/" + saga.get(0).title() + "/similar", adult.token()).json().get("items"))
                .contains(mature.title()));
        assertEquals(3, http.get("/api/v1/titles/" + saga.get(0).title() + "/similar?limit=3", null).json()
                .get("items").size());
        assertEquals(404, http.get("/api/v1/titles/" + unpublished.title() + "/similar", null).status());
        assertEquals(404, http.get("/api/v1/titles/" + UUID.randomUUID() + "/similar", null).status());
        for (String bad : List.of("0", "51", "x")) {
            Http.Resp b = http.get("/api/v1/titles/" + saga.get(0).title() + "/similar?limit=" + bad, null);
            assertEquals(422, b.status(), bad);
        }

        Http.Resp t = http.get("/api/v1/titles/trending?genre=" + beeGenre, null);
        assertEquals(200, t.status(), t.text());
        Set<UUID> trending = ids(t.json().get("items"));
        assertEquals(titles(bees), trending, "watched by the crowd now; 18+, unpublished and subscription left out");
        assertTrue(ids(http.get("/api/v1/titles/trending?genre=" + beeGenre, adult.token()).json().get("items"))
                .contains(mature.title()));
        assertEquals(200, http.get("/api/v1/titles/trending", null).status(), "not read as /titles/{id}");
    }

    @Test
    void aNewAccountStartsWithTrendingThenItsTastePicks() {
        TestAccounts.Account fresh = TestAccounts.user(jdbi);
        JsonNode before = http.get("/api/v1/me/recommendations", fresh.token()).json();
        assertEquals("trending", before.get("basis").asText());
        assertEquals(1, before.get("shelves").size());
        assertEquals("trending", before.get("shelves").get(0).get("kind").asText());

        Http.Resp put = put("/api/v1/me/taste", fresh.token(),
                "{\"genres\":[\"" + beeGenre.toUpperCase() + "\"],\"titleIds\":[\"" + saga.get(0).title() + "\"]}");
        assertEquals(200, put.status(), put.text());
        assertEquals(beeGenre, put.json().get("genres").get(0).asText(), "genres are lower-cased");
        assertTrue(put.json().get("availableGenres").toString().contains(beeGenre));
        JsonNode after = http.get("/api/v1/me/recommendations", fresh.token()).json();
        assertEquals("taste", after.get("basis").asText(), after.toString());
        Set<UUID> forYou = ids(shelf(after, "recommended-for-you").get("items"));
        assertTrue(forYou.contains(saga.get(1).title()), "like the picked title: " + after);
        assertTrue(forYou.contains(bees.get(1).title()), "trending in the picked genre");
        assertFalse(forYou.contains(saga.get(0).title()), "not the pick itself");
        assertEquals(beeGenre, shelf(after, "top-rated-in-genre").get("genre").asText());

        runJob(false);
        JsonNode computed = http.get("/api/v1/me/recommendations", fresh.token()).json();
        assertEquals("history", computed.get("basis").asText(), "the job counts picks as signals");
        assertTrue(ids(shelf(computed, "recommended-for-you").get("items")).contains(saga.get(1).title()));

        assertEquals(422, put("/api/v1/me/taste", fresh.token(), "{\"titleIds\":[\"" + UUID.randomUUID() + "\"]}").status());
        assertEquals(422, put("/api/v1/me/taste", fresh.token(), "{\"titleIds\":[\"" + unpublished.title() + "\"]}").status());
        StringBuilder many = new StringBuilder("{\"genres\":[");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("\"g").append(i).append('"');
        }
        Http.Resp tooMany = put("/api/v1/me/taste", fresh.token(), many + "]}");
        assertEquals(422, tooMany.status());
        assertTrue(tooMany.text().contains("genres"), tooMany.text());
        assertEquals(422, put("/api/v1/me/taste", fresh.token(), "{\"genres\":[\"\"]}").status());
    }

    @Test
    void everyoneReadsOnlyTheirOwn() {
        assertEquals(401, http.get("/api/v1/me/recommendations", null).status());
        assertEquals(401, http.get("/api/v1/me/taste", null).status());
        assertEquals(401, put("/api/v1/me/taste", null, "{\"genres\":[\"drama\"]}").status());
        assertEquals(401, http.get("/api/v1/me/recommendations", "not-a-token").status());
        JsonNode teenShelves = http.get("/api/v1/me/recommendations", teen.token()).json();
        JsonNode adultShelves = http.get("/api/v1/me/recommendations", adult.token()).json();
        assertTrue(everythingShown(adultShelves).contains(mature.title()));
        assertFalse(everythingShown(teenShelves).contains(mature.title()), "the teen gets its own shelves");
        assertEquals(404, http.get("/api/v1/accounts/" + adult.id() + "/recommendations", teen.token()).status());
        TestAccounts.Account other = TestAccounts.user(jdbi);
        put("/api/v1/me/taste", teen.token(), "{\"genres\":[\"" + sagaGenre + "\"]}");
        assertEquals(0, http.get("/api/v1/me/taste", other.token()).json().get("genres").size(),
                "another account's picks are not shown");
    }

    @Test
    void readsAreFast() {
        for (int i = 0; i < 50; i++) {
            http.get("/api/v1/me/recommendations", adult.token());
            http.get("/api/v1/titles/" + saga.get(0).title() + "/similar", null);
        }
        for (String path : List.of("/api/v1/me/recommendations", "/api/v1/titles/" + saga.get(0).title() + "/similar",
                "/api/v1/titles/trending")) {
            long[] nanos = new long[300];
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                assertEquals(200, http.get(path, adult.token()).status());
                nanos[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(nanos);
            double p95 = nanos[(int) (nanos.length * 0.95)] / 1e6;
            System.out.printf("GET %s: p50 %.2f ms, p95 %.2f ms over %d sequential requests%n",
                    path.replaceAll("[0-9a-f-]{36}", "{id}"), nanos[nanos.length / 2] / 1e6, p95, nanos.length);
            // the target is 20 ms; the bound leaves room for a machine shared with other builds
            assertTrue(p95 < 60, path + " p95 " + p95 + " ms");
        }
    }

    static Http.Resp put(String path, String token, String json) {
        return http.send(http.builder(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }
}
