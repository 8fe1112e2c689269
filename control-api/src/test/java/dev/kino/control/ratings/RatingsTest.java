package dev.kino.control.ratings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ratings 1-10: average, count, distribution, the weighted rating, and "top rated" in the catalogue. */
class RatingsTest {
    final Http http = TestApi.http();

    @Test
    void averageCountDistributionAndYourScore() {
        TestCatalog.Item t = TestCatalog.published("Rated");
        String path = "/api/v1/titles/" + t.titleId() + "/rating";
        TestApi.User a = TestApi.newUser();
        TestApi.User b = TestApi.newUser();
        assertEquals(0, http.get(path, null).json().get("count").asInt());
        assertEquals(200, rate(path, a, 8).status());
        JsonNode r = rate(path, b, 5).json();
        assertEquals(2, r.get("count").asInt());
        assertEquals(6.5, r.get("average").asDouble(), 1e-9);
        assertEquals(5, r.get("mine").asInt());
        assertEquals("[0,0,0,0,1,0,0,1,0,0]", r.get("distribution").toString());
        r = rate(path, b, 10).json();
        assertEquals(9.0, r.get("average").asDouble(), 1e-9, "a new score replaces the old one");
        assertEquals("[0,0,0,0,0,0,0,1,0,1]", r.get("distribution").toString());
        r = http.delete(path, a.accessToken()).json();
        assertEquals(1, r.get("count").asInt());
        assertEquals("[0,0,0,0,0,0,0,0,0,1]", r.get("distribution").toString());
        for (Object bad : List.of(0, 11, -3)) {
            assertEquals(422, rate(path, a, (Integer) bad).status());
        }
        Http.Resp fraction = http.send(http.builder(path, a.accessToken()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"score\":7.5}")));
        assertEquals(400, fraction.status(), "7.5 is refused, not truncated to 7");
        assertTrue(fraction.text().contains("'score' must be an integer"), fraction.text());
        assertEquals(404, rate("/api/v1/titles/" + TestCatalog.item("Hidden", "ready").titleId() + "/rating", a, 5).status());
    }

    @Test
    void twoTensDoNotTopTheChart() {
        TestCatalog.Item hyped = TestCatalog.published("Hyped");
        TestCatalog.Item loved = TestCatalog.published("Loved");
        List<TestApi.User> users = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            users.add(TestApi.newUser());
        }
        rate("/api/v1/titles/" + hyped.titleId() + "/rating", users.get(0), 10);
        rate("/api/v1/titles/" + hyped.titleId() + "/rating", users.get(1), 10);
        TestCatalog.Item meh = TestCatalog.published("Meh"); // most of a catalogue: the mean vote is not 9
        for (TestApi.User u : users) {
            rate("/api/v1/titles/" + loved.titleId() + "/rating", u, 9);
            rate("/api/v1/titles/" + meh.titleId() + "/rating", u, 4);
        }
        JsonNode h = http.get("/api/v1/titles/" + hyped.titleId() + "/rating", null).json();
        JsonNode l = http.get("/api/v1/titles/" + loved.titleId() + "/rating", null).json();
        assertTrue(h.get("average").asDouble() > l.get("average").asDouble());
        assertTrue(l.get("weighted").asDouble() > h.get("weighted").asDouble(), h + " vs " + l);
        // the catalogue's "top rated" order agrees, page after page
        List<String> order = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = http.get("/api/v1/titles?sort=top-rated&limit=5" + (cursor == null ? "" : "&cursor=" + cursor),
                    null).json();
            page.get("items").forEach(i -> order.add(i.get("id").asText()));
            cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (cursor != null);
        int lovedAt = order.indexOf(loved.titleId().toString());
        int hypedAt = order.indexOf(hyped.titleId().toString());
        assertTrue(lovedAt >= 0 && hypedAt > lovedAt, "loved " + lovedAt + ", hyped " + hypedAt);
        assertEquals(order.size(), new java.util.HashSet<>(order).size(), "no title twice across pages");
    }

    Http.Resp rate(String path, TestApi.User u, int score) {
        return http.send(http.builder(path, u.accessToken()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"score\":" + score + "}")));
    }
}
