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
            // voters vote at the same time; each one's three votes in order (sent from different client threads,
            // two votes of one voter could overtake each other, and "the last round decides" would be a guess)
            List<Future<List<Integer>>> done = new ArrayList<>();
            for (int i = 0; i < voters.size(); i++) {
                TestApi.User u = voters.get(i);
                int n = i;
                done.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int round = 0; round < 3; round++) {
                        statuses.add(put(path, u, (n + round) % 3 == 0 ? "dislike" : "like").status());
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> f : done) {
                assertEquals(List.of(200, 200, 200), f.get());
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
    void changesWrittenTogetherAreExactAndAsIfOneByOne() throws Exception {
        // 100 voters at the same instant on one object, each with its own sequence of likes, dislikes, the same
        // again and removals: they queue and are written in batches (group commit); every answer, every batch's
        // counts and the end state must be what writing them one by one in commit order gives
        var jdbi = dev.kino.control.support.SharedDatabase.get().jdbi();
        Reactions reactions = new Reactions(jdbi, java.time.Clock.systemUTC(),
                new dev.kino.control.ActionLimits(api.state().blocking(java.time.Duration.ofSeconds(5))));
        UUID target = UUID.randomUUID();
        ReactionTypes.Value like = ReactionTypes.Value.like;
        ReactionTypes.Value dislike = ReactionTypes.Value.dislike;
        List<UUID> accounts = new ArrayList<>();
        List<List<ReactionTypes.Value>> scripts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            UUID a = UUID.randomUUID();
            jdbi.useHandle(h -> h.createUpdate("insert into accounts (id, email, username, password_hash,"
                    + " tokens_valid_after, created_at, updated_at) values (:id, :e, :u, 'x', now(), now(), now())")
                    .bind("id", a).bind("e", a + "@example.org").bind("u", "v" + a.toString().substring(0, 18)).execute());
            accounts.add(a);
            scripts.add(switch (i % 5) {
                case 0 -> java.util.Arrays.asList(like);
                case 1 -> java.util.Arrays.asList(like, dislike);
                case 2 -> java.util.Arrays.asList(dislike, null);
                case 3 -> java.util.Arrays.asList(like, null, like);
                default -> java.util.Arrays.asList(dislike, dislike, like, like);
            });
        }
        List<List<ReactionTypes.Change>> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        List<List<ReactionTypes.Change>> announced = java.util.Collections.synchronizedList(new ArrayList<>());
        Reactions.InTransaction then = (h, changes) -> {
            batches.add(List.copyOf(changes));
            ReactionTypes.ReactionSummary last = changes.get(changes.size() - 1).summary();
            List<Integer> row = h.createQuery("select likes, dislikes from reaction_counts where target_type = 'post'"
                            + " and target_id = :id").bind("id", target)
                    .map((rs, ctx) -> List.of(rs.getInt(1), rs.getInt(2))).one();
            if (row.get(0) != last.likes() || row.get(1) != last.dislikes()) {
                wrong.add("the last change's counts " + last + " are not the row's " + row);
            }
        };
        Reactions.AfterCommit after = changes -> announced.add(List.copyOf(changes));
        ExecutorService pool = Executors.newFixedThreadPool(accounts.size());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < accounts.size(); i++) {
                UUID a = accounts.get(i);
                List<ReactionTypes.Value> script = scripts.get(i);
                done.add(pool.submit(() -> {
                    go.await();
                    ReactionTypes.Value mine = null;
                    for (ReactionTypes.Value v : script) {
                        ReactionTypes.Change c = v == null
                                ? reactions.remove(ReactionTypes.Target.POST, target, a, then, after)
                                : reactions.react(ReactionTypes.Target.POST, target, a, v, then, after);
                        if (c.before() != mine || c.after() != v || c.summary().mine() != v || !a.equals(c.accountId())) {
                            wrong.add(a + " expected " + mine + " -> " + v + ", was told " + c);
                        }
                        mine = v;
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(), wrong);
        int ops = scripts.stream().mapToInt(List::size).sum();
        assertEquals(ops, batches.stream().mapToInt(List::size).sum(), "every change written once");
        // announced after the answers (off their path): wait for it, at most 5 s
        long end = System.nanoTime() + 5_000_000_000L;
        while (announced.stream().mapToInt(List::size).sum() < ops && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(batches, List.copyOf(announced), "every batch announced once, in commit order");
        assertTrue(batches.stream().anyMatch(b -> b.size() > 1), "changes were written together: " + batches.size()
                + " transactions for " + ops + " changes");
        // replayed one by one in commit order, every change's counts are the running counts
        int likes = 0;
        int dislikes = 0;
        for (List<ReactionTypes.Change> b : batches) {
            for (ReactionTypes.Change c : b) {
                likes += (c.after() == like ? 1 : 0) - (c.before() == like ? 1 : 0);
                dislikes += (c.after() == dislike ? 1 : 0) - (c.before() == dislike ? 1 : 0);
                assertEquals(new ReactionTypes.ReactionSummary(likes, dislikes, c.after()), c.summary(), c.toString());
            }
        }
        // the end state: each voter's last word, and counts that agree with the rows
        Map<UUID, ReactionTypes.Value> expected = new java.util.HashMap<>();
        for (int i = 0; i < accounts.size(); i++) {
            List<ReactionTypes.Value> script = scripts.get(i);
            expected.put(accounts.get(i), script.get(script.size() - 1));
        }
        long expectedLikes = expected.values().stream().filter(v -> v == like).count();
        long expectedDislikes = expected.values().stream().filter(v -> v == dislike).count();
        ReactionTypes.ReactionSummary counts = reactions.summary(ReactionTypes.Target.POST, target, null);
        assertEquals(expectedLikes, counts.likes());
        assertEquals(expectedDislikes, counts.dislikes());
        assertEquals(new ReactionTypes.ReactionSummary((int) expectedLikes, (int) expectedDislikes, null),
                new ReactionTypes.ReactionSummary(likes, dislikes, null), "the replay ends where the row is");
        for (UUID a : accounts) {
            assertEquals(expected.get(a), reactions.summary(ReactionTypes.Target.POST, target, a).mine(), a.toString());
        }
    }

    @Test
    void votesAreAnsweredWithoutWaitingForTheirAfterCommitWorkWhoseFailuresStopNothing() throws Exception {
        // the after-commit work (notifications) runs after the answer: a vote whose notification is stuck is
        // answered, a failed notification neither fails its vote nor stops the next one's
        var jdbi = dev.kino.control.support.SharedDatabase.get().jdbi();
        Reactions reactions = new Reactions(jdbi, java.time.Clock.systemUTC(),
                new dev.kino.control.ActionLimits(api.state().blocking(java.time.Duration.ofSeconds(5))));
        UUID target = UUID.randomUUID();
        UUID voter = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("insert into accounts (id, email, username, password_hash,"
                + " tokens_valid_after, created_at, updated_at) values (:id, :e, :u, 'x', now(), now(), now())")
                .bind("id", voter).bind("e", voter + "@example.org").bind("u", "v" + voter.toString().substring(0, 18))
                .execute());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<List<ReactionTypes.Change>> second = new java.util.concurrent.CompletableFuture<>();
        try {
            ReactionTypes.Change liked = reactions.reactLater(ReactionTypes.Target.POST, target, voter,
                    ReactionTypes.Value.like, Reactions.InTransaction.NONE, changes -> {
                        ran.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IllegalStateException("the notification failed (this test's doing)");
                    }).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(new ReactionTypes.ReactionSummary(1, 0, ReactionTypes.Value.like), liked.summary(),
                    "answered while its after-commit work waits");
            assertTrue(ran.await(5, java.util.concurrent.TimeUnit.SECONDS), "the after-commit work ran");
        } finally {
            release.countDown();
        }
        ReactionTypes.Change disliked = reactions.reactLater(ReactionTypes.Target.POST, target, voter,
                ReactionTypes.Value.dislike, Reactions.InTransaction.NONE, second::complete)
                .get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(new ReactionTypes.ReactionSummary(0, 1, ReactionTypes.Value.dislike), disliked.summary());
        assertEquals(List.of(disliked), second.get(5, java.util.concurrent.TimeUnit.SECONDS),
                "the first one's failure did not stop the next");
    }

    @Test
    void aReactionRemovedAndSetAgainInOneBatchIsANewRowAndTheCountsStayExact() throws Exception {
        // one by one, removing a reaction and setting it again makes a new row (created now); written together in
        // one statement the row is updated in place with both times set: the same end state
        var jdbi = dev.kino.control.support.SharedDatabase.get().jdbi();
        Reactions reactions = new Reactions(jdbi, java.time.Clock.systemUTC(),
                new dev.kino.control.ActionLimits(api.state().blocking(java.time.Duration.ofSeconds(5))));
        UUID target = UUID.randomUUID();
        List<UUID> voters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID a = UUID.randomUUID();
            jdbi.useHandle(h -> h.createUpdate("insert into accounts (id, email, username, password_hash,"
                    + " tokens_valid_after, created_at, updated_at) values (:id, :e, :u, 'x', now(), now(), now())")
                    .bind("id", a).bind("e", a + "@example.org").bind("u", "v" + a.toString().substring(0, 18)).execute());
            voters.add(a);
        }
        UUID again = voters.get(0);
        UUID flipped = voters.get(1);
        reactions.react(ReactionTypes.Target.POST, target, again, ReactionTypes.Value.like);
        reactions.react(ReactionTypes.Target.POST, target, flipped, ReactionTypes.Value.like);
        java.util.function.Function<UUID, List<Object>> row = a -> jdbi.withHandle(h -> h.createQuery(
                        "select value, created_at from reactions where target_type = 'post' and target_id = :t"
                                + " and account_id = :a").bind("t", target).bind("a", a)
                .map((rs, ctx) -> List.<Object>of(rs.getInt(1), rs.getTimestamp(2).toInstant())).one());
        java.time.Instant first = (java.time.Instant) row.apply(again).get(1);
        java.time.Instant flippedAt = (java.time.Instant) row.apply(flipped).get(1);
        Thread.sleep(5); // (so that "created now" differs from the first creation time)

        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        Reactions.InTransaction then = (h, changes) -> {
            batchSizes.add(changes.size());
            writing.countDown();
            try {
                assertTrue(release.await(5, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        var held = reactions.reactLater(ReactionTypes.Target.POST, target, voters.get(2), ReactionTypes.Value.dislike,
                then, Reactions.AfterCommit.NONE);
        assertTrue(writing.await(5, java.util.concurrent.TimeUnit.SECONDS));
        // queued behind the held batch, so written together: removed and set again; flipped there and back
        List<java.util.concurrent.CompletableFuture<ReactionTypes.Change>> queued = List.of(
                reactions.removeLater(ReactionTypes.Target.POST, target, again, then, Reactions.AfterCommit.NONE),
                reactions.reactLater(ReactionTypes.Target.POST, target, again, ReactionTypes.Value.like, then,
                        Reactions.AfterCommit.NONE),
                reactions.reactLater(ReactionTypes.Target.POST, target, flipped, ReactionTypes.Value.dislike, then,
                        Reactions.AfterCommit.NONE),
                reactions.reactLater(ReactionTypes.Target.POST, target, flipped, ReactionTypes.Value.like, then,
                        Reactions.AfterCommit.NONE));
        release.countDown();
        held.get(5, java.util.concurrent.TimeUnit.SECONDS);
        List<ReactionTypes.ReactionSummary> answers = new ArrayList<>();
        for (var q : queued) {
            answers.add(q.get(5, java.util.concurrent.TimeUnit.SECONDS).summary());
        }
        assertEquals(List.of(1, 4), batchSizes, "the four changes were written together");
        assertEquals(List.of(new ReactionTypes.ReactionSummary(1, 1, null),
                new ReactionTypes.ReactionSummary(2, 1, ReactionTypes.Value.like),
                new ReactionTypes.ReactionSummary(1, 2, ReactionTypes.Value.dislike),
                new ReactionTypes.ReactionSummary(2, 1, ReactionTypes.Value.like)), answers, "as if one by one");
        assertEquals(1, row.apply(again).get(0));
        assertTrue(((java.time.Instant) row.apply(again).get(1)).isAfter(first), "created again, now");
        assertEquals(List.of(1, flippedAt), row.apply(flipped), "changed and changed back: the same row");
        assertEquals(new ReactionTypes.ReactionSummary(2, 1, null), reactions.summary(ReactionTypes.Target.POST, target, null));
    }

    @Test
    void theSameVotersOnTwoNodesAtOnceLeaveOneRowEachAndExactCounts() throws Exception {
        // two nodes (two writers) insert rows of the same accounts at the same time: the one that finds a row
        // inserted after its read does its transaction again; every account ends with one row and the counts agree
        var jdbi = dev.kino.control.support.SharedDatabase.get().jdbi();
        Reactions[] nodes = new Reactions[2];
        for (int i = 0; i < 2; i++) {
            nodes[i] = new Reactions(jdbi, java.time.Clock.systemUTC(),
                    new dev.kino.control.ActionLimits(api.state().blocking(java.time.Duration.ofSeconds(5))));
        }
        UUID target = UUID.randomUUID();
        List<UUID> voters = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            UUID a = UUID.randomUUID();
            jdbi.useHandle(h -> h.createUpdate("insert into accounts (id, email, username, password_hash,"
                    + " tokens_valid_after, created_at, updated_at) values (:id, :e, :u, 'x', now(), now(), now())")
                    .bind("id", a).bind("e", a + "@example.org").bind("u", "v" + a.toString().substring(0, 18)).execute());
            voters.add(a);
        }
        ExecutorService pool = Executors.newFixedThreadPool(voters.size() * 2);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<Future<ReactionTypes.Change>> done = new ArrayList<>();
            for (UUID a : voters) {
                for (int n = 0; n < 2; n++) {
                    Reactions node = nodes[n];
                    ReactionTypes.Value v = n == 0 ? ReactionTypes.Value.like : ReactionTypes.Value.dislike;
                    done.add(pool.submit(() -> {
                        go.await();
                        return node.react(ReactionTypes.Target.POST, target, a, v);
                    }));
                }
            }
            go.countDown();
            for (Future<ReactionTypes.Change> f : done) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        List<Integer> rows = jdbi.withHandle(h -> h.createQuery("select value from reactions where target_type = 'post'"
                + " and target_id = :t").bind("t", target).mapTo(Integer.class).list());
        assertEquals(voters.size(), rows.size(), "one row per account");
        ReactionTypes.ReactionSummary counts = nodes[0].summary(ReactionTypes.Target.POST, target, null);
        assertEquals(rows.stream().filter(v -> v == 1).count(), counts.likes());
        assertEquals(rows.stream().filter(v -> v == -1).count(), counts.dislikes());
    }

    @Test
    void everyVoteOnACommentIsAuthorisedForItsVoter() {
        // a vote is answered when its batch commits; whether the voter may vote is decided per vote, for its own
        // voter, in the batch's transaction, from what is stored then: the comment's state, its place's
        // visibility, the voter's roles (bans: on the token, before the vote is queued)
        var jdbi = dev.kino.control.support.SharedDatabase.get().jdbi();
        TestCatalog.Item t = TestCatalog.published("Voted on");
        TestApi.User author = api.newUser();
        Http.Resp posted = http.post("/api/v1/media/" + t.mediaId() + "/comments", author.accessToken(),
                Map.of("body", "A comment to vote on"));
        assertEquals(201, posted.status(), posted.text());
        String comment = posted.json().get("id").asText();
        String path = "/api/v1/comments/" + comment + "/reaction";
        TestApi.User voter = api.newUser();
        assertEquals(200, put(path, voter, "like").status());
        assertEquals(404, put("/api/v1/comments/" + UUID.randomUUID() + "/reaction", voter, "like").status());

        // hidden: not there for a member; a moderator (the role given now applies at once) sees it but cannot vote
        jdbi.useHandle(h -> h.execute("update comments set state = 'hidden' where id = cast(? as uuid)", comment));
        assertEquals(404, put(path, voter, "dislike").status());
        assertEquals(404, http.delete(path, voter.accessToken()).status());
        jdbi.useHandle(h -> h.execute("insert into account_roles (account_id, role_name) values (?, 'moderator')",
                voter.id()));
        assertEquals(409, put(path, voter, "dislike").status(), "a moderator sees a hidden comment: 409, not 404");
        jdbi.useHandle(h -> h.execute("delete from account_roles where account_id = ? and role_name = 'moderator'",
                voter.id()));
        assertEquals(404, put(path, voter, "dislike").status(), "the role taken away applies at once");
        jdbi.useHandle(h -> h.execute("update comments set state = 'visible' where id = cast(? as uuid)", comment));

        // its episode unpublished: gone for everyone but catalogue writers
        jdbi.useHandle(h -> h.execute("update media_items set state = 'ready' where id = ?", t.mediaId()));
        assertEquals(404, put(path, voter, "dislike").status());
        jdbi.useHandle(h -> h.execute("update media_items set state = 'published' where id = ?", t.mediaId()));
        assertEquals(200, put(path, voter, "dislike").status());

        // a banned voter's token stops working
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        assertEquals(201, http.post("/api/v1/admin/users/" + voter.id() + "/ban", mod.accessToken(),
                Map.of("reason", "vote rigging")).status());
        Http.Resp banned = put(path, voter, "like");
        assertTrue(banned.status() == 401 || banned.status() == 403, banned.text());
        var counts = http.get("/api/v1/comments/" + comment, null).json().get("reactions");
        assertEquals(0, counts.get("likes").asInt(), counts.toString());
        assertEquals(1, counts.get("dislikes").asInt(), counts.toString());
    }

    @Test
    void votesReleasedTogetherAreEachAuthorisedForTheirOwnVoter() throws Exception {
        // votes of one comment are admitted in their batch's transaction (the comment read once): each must still be
        // judged for its own voter. Members and one staff voter at the same instant, on an unpublished episode's
        // comment (only a catalogue writer sees it) and on a hidden one (a moderator sees it, cannot vote: 409)
        var jdbi = dev.kino.control.support.SharedDatabase.get().jdbi();
        TestCatalog.Item t = TestCatalog.published("Voted on together");
        TestApi.User author = api.newUser();
        String comment = http.post("/api/v1/media/" + t.mediaId() + "/comments", author.accessToken(),
                Map.of("body", "Vote on me together")).json().get("id").asText();
        String path = "/api/v1/comments/" + comment + "/reaction";
        List<TestApi.User> members = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            members.add(api.newUser());
        }
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestApi.User moderator = api.withRole(api.newUser(), "moderator");

        jdbi.useHandle(h -> h.execute("update media_items set state = 'ready' where id = ?", t.mediaId()));
        List<TestApi.User> voters = new ArrayList<>(members);
        voters.add(15, admin);
        List<Integer> statuses = together(path, voters, "like");
        for (int i = 0; i < voters.size(); i++) {
            assertEquals(voters.get(i) == admin ? 200 : 404, statuses.get(i), "voter " + i);
        }
        var counts = http.get("/api/v1/comments/" + comment, admin.accessToken()).json().get("reactions");
        assertEquals(1, counts.get("likes").asInt(), counts.toString());
        jdbi.useHandle(h -> h.execute("update media_items set state = 'published' where id = ?", t.mediaId()));

        jdbi.useHandle(h -> h.execute("update comments set state = 'hidden' where id = cast(? as uuid)", comment));
        voters = new ArrayList<>(members);
        voters.add(7, moderator);
        statuses = together(path, voters, "dislike");
        for (int i = 0; i < voters.size(); i++) {
            assertEquals(voters.get(i) == moderator ? 409 : 404, statuses.get(i), "voter " + i);
        }
        jdbi.useHandle(h -> h.execute("update comments set state = 'visible' where id = cast(? as uuid)", comment));
        statuses = together(path, members, "dislike");
        assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
        counts = http.get("/api/v1/comments/" + comment, null).json().get("reactions");
        assertEquals(1, counts.get("likes").asInt(), counts.toString());
        assertEquals(members.size(), counts.get("dislikes").asInt(), counts.toString());
    }

    @Test
    void forumPostVotesReleasedTogetherAreEachAuthorisedForTheirOwnVoter() throws Exception {
        // forum post votes are admitted in their batch's transaction as comment votes are (the post, its thread and
        // the thread's place read once): each still judged for its own voter
        var jdbi = dev.kino.control.support.SharedDatabase.get().jdbi();
        TestCatalog.Item t = TestCatalog.published("Voted on in the forum");
        TestApi.User author = api.newUser();
        String thread = http.get("/api/v1/media/" + t.mediaId() + "/thread", author.accessToken()).json().get("id")
                .asText();
        Http.Resp posted = http.post("/api/v1/forum/threads/" + thread + "/posts", author.accessToken(),
                Map.of("body", "Vote on my post together"));
        assertEquals(201, posted.status(), posted.text());
        String post = posted.json().get("id").asText();
        String path = "/api/v1/forum/posts/" + post + "/reaction";
        List<TestApi.User> members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            members.add(api.newUser());
        }
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestApi.User moderator = api.withRole(api.newUser(), "moderator");
        java.util.function.Supplier<List<Integer>> counts = () -> jdbi.withHandle(h -> h.createQuery(
                        "select likes, dislikes from reaction_counts where target_type = 'post' and target_id = cast(:p as uuid)")
                .bind("p", post).map((rs, ctx) -> List.of(rs.getInt(1), rs.getInt(2))).findOne().orElse(List.of(0, 0)));

        // an unpublished episode's thread: only a catalogue writer sees it
        jdbi.useHandle(h -> h.execute("update media_items set state = 'ready' where id = ?", t.mediaId()));
        List<TestApi.User> voters = new ArrayList<>(members);
        voters.add(10, admin);
        List<Integer> statuses = together(path, voters, "like");
        for (int i = 0; i < voters.size(); i++) {
            assertEquals(voters.get(i) == admin ? 200 : 404, statuses.get(i), "voter " + i);
        }
        assertEquals(List.of(1, 0), counts.get());
        jdbi.useHandle(h -> h.execute("update media_items set state = 'published' where id = ?", t.mediaId()));

        // a held thread: hidden from members, not from a moderator
        jdbi.useHandle(h -> h.execute("update forum_threads set held = true where id = cast(? as uuid)", thread));
        voters = new ArrayList<>(members);
        voters.add(3, moderator);
        statuses = together(path, voters, "like");
        for (int i = 0; i < voters.size(); i++) {
            assertEquals(voters.get(i) == moderator ? 200 : 404, statuses.get(i), "voter " + i);
        }
        assertEquals(List.of(2, 0), counts.get());
        jdbi.useHandle(h -> h.execute("update forum_threads set held = false where id = cast(? as uuid)", thread));

        // a hidden post: a moderator sees it and may not vote on it (409), members do not see it (404)
        jdbi.useHandle(h -> h.execute("update forum_posts set state = 'hidden' where id = cast(? as uuid)", post));
        voters = new ArrayList<>(members);
        voters.add(7, moderator);
        statuses = together(path, voters, "dislike");
        for (int i = 0; i < voters.size(); i++) {
            assertEquals(voters.get(i) == moderator ? 409 : 404, statuses.get(i), "voter " + i);
        }
        jdbi.useHandle(h -> h.execute("update forum_posts set state = 'visible' where id = cast(? as uuid)", post));
        statuses = together(path, members, "dislike");
        assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
        assertEquals(List.of(2, members.size()), counts.get());
        assertEquals(404, put("/api/v1/forum/posts/" + UUID.randomUUID() + "/reaction", members.get(0), "like").status());
    }

    /** @return each voter's status, all released at one instant */
    List<Integer> together(String path, List<TestApi.User> voters, String value) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(voters.size());
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (TestApi.User u : voters) {
                done.add(pool.submit(() -> {
                    go.await();
                    return put(path, u, value).status();
                }));
            }
            go.countDown();
            List<Integer> out = new ArrayList<>();
            for (Future<Integer> f : done) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
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
