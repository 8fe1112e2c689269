package dev.kino.control.reactions;

import dev.kino.control.support.Http;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Likes and dislikes on titles and media items through the API: one per account, changeable, exact counts. */
class ReactionsTest {
    final TestApi.Node api = node();
    final Http http = api.http();

    TestApi.Node node() {
        return TestApi.inProcess();
    }

    @Test
    void oneReactionPerAccountChangeableAndRemovable() {
        TestCatalog.Item t = TestCatalog.published("Reacted");
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        String path = "/api/v1/titles/" + t.titleId() + "/reaction";
        assertEquals("{\"likes\":0,\"dislikes\":0}", http.get(path, null).text());
        assertEquals(401, http.send(http.builder(path, null).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"value\":\"like\"}"))).status());
        assertEquals("{\"likes\":1,\"dislikes\":0,\"mine\":\"like\"}", put(path, a, "like").text());
        assertEquals("{\"likes\":1,\"dislikes\":0,\"mine\":\"like\"}", put(path, a, "like").text(), "idempotent");
        assertEquals("{\"likes\":1,\"dislikes\":1,\"mine\":\"dislike\"}", put(path, b, "dislike").text());
        assertEquals("{\"likes\":0,\"dislikes\":2,\"mine\":\"dislike\"}", put(path, a, "dislike").text(), "changed");
        assertEquals("{\"likes\":0,\"dislikes\":1}", http.delete(path, a.accessToken()).text());
        assertEquals("{\"likes\":0,\"dislikes\":1}", http.delete(path, a.accessToken()).text(), "idempotent");
        assertEquals("{\"likes\":0,\"dislikes\":1,\"mine\":\"dislike\"}", http.get(path, b.accessToken()).text());
        Http.Resp bad = put(path, a, "love");
        assertEquals(422, bad.status(), bad.text());
        assertTrue(bad.text().contains("like, dislike"), bad.text());
    }

    @Test
    void onlyWhatTheCallerMaySeeCanBeReactedTo() {
        TestCatalog.Item draft = TestCatalog.item("Unpublished", "ready");
        TestApi.User a = api.newUser();
        assertEquals(404, put("/api/v1/titles/" + draft.titleId() + "/reaction", a, "like").status());
        assertEquals(404, put("/api/v1/media/" + draft.mediaId() + "/reaction", a, "like").status());
        assertEquals(404, put("/api/v1/titles/" + UUID.randomUUID() + "/reaction", a, "like").status());
        TestCatalog.Item published = TestCatalog.published("Episode");
        assertEquals(200, put("/api/v1/media/" + published.mediaId() + "/reaction", a, "like").status());
    }

    @Test
    void countsStayExactUnderConcurrentVotes() throws Exception {
        TestCatalog.Item t = TestCatalog.published("Contested");
        String path = "/api/v1/media/" + t.mediaId() + "/reaction";
        List<TestApi.User> voters = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            voters.add(api.newUser());
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < voters.size(); i++) {
                    TestApi.User u = voters.get(i);
                    String value = (i + round) % 3 == 0 ? "dislike" : "like";
                    done.add(pool.submit(() -> put(path, u, value).status()));
                }
            }
            for (Future<Integer> f : done) {
                assertEquals(200, f.get());
            }
        } finally {
            pool.shutdown();
        }
        // the last round decides: (i + 2) % 3 == 0 dislikes
        long dislikes = java.util.stream.IntStream.range(0, voters.size()).filter(i -> (i + 2) % 3 == 0).count();
        Http.Resp r = http.get(path, null);
        assertEquals(voters.size() - dislikes, r.json().get("likes").asInt(), r.text());
        assertEquals(dislikes, r.json().get("dislikes").asInt(), r.text());
    }

    @Test
    void aFloodOfReactionsIsRefusedWith429() {
        TestCatalog.Item t = TestCatalog.published("Flooded");
        TestApi.User bot = api.newUser();
        String path = "/api/v1/titles/" + t.titleId() + "/reaction";
        Http.Resp last = null;
        for (int i = 0; i <= Reactions.LIMIT.max(); i++) {
            last = put(path, bot, i % 2 == 0 ? "like" : "dislike");
        }
        assertEquals(429, last.status(), last.text());
        assertTrue(Long.parseLong(last.header("retry-after")) >= 1);
        assertEquals(200, put(path, api.newUser(), "like").status(), "another account is not limited");
    }

    Http.Resp put(String path, TestApi.User u, String value) {
        return http.send(http.builder(path, u.accessToken()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\"}")));
    }
}
