package dev.kino.control.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.mail.Mail;
import dev.kino.control.support.EventStreamClient;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notifications through the API on the real PostgreSQL: produced by the community, listed, read, streamed, mailed. */
class NotificationsTest {
    final TestApi.Node api = TestApi.inProcess();
    final Http http = api.http();

    String comment(TestApi.User u, UUID title, Map<String, Object> body) {
        api.resetRateLimit("limit:comments:" + u.id());
        api.resetRateLimit("limit:comments-hourly:" + u.id());
        Http.Resp r = http.post("/api/v1/titles/" + title + "/comments", u.accessToken(), body);
        assertEquals(201, r.status(), r.text());
        return r.json().get("id").asText();
    }

    Http.Resp like(TestApi.User u, String comment) {
        return http.send(http.builder("/api/v1/comments/" + comment + "/reaction", u.accessToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"like\"}")));
    }

    JsonNode list(TestApi.User u, String query) {
        Http.Resp r = http.get("/api/v1/me/notifications" + query, u.accessToken());
        assertEquals(200, r.status(), r.text());
        return r.json().get("items");
    }

    int unread(TestApi.User u) {
        return http.get("/api/v1/me/notifications/unread-count", u.accessToken()).json().get("unread").asInt();
    }

    Http.Resp put(String path, TestApi.User u, String json) {
        return http.send(http.builder(path, u.accessToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Confirms a user's e-mail address: only confirmed addresses are sent notices. */
    static void verified(TestApi.User u) {
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("update accounts set email_verified_at = now()"
                + " where id = :a").bind("a", u.id()).execute());
    }

    Notice note(String text) {
        return new Notice(NotificationType.REPLY, null, "comment", UUID.randomUUID(), null, text, "/forum", Map.of());
    }

    String ticket(TestApi.User u) {
        Http.Resp r = http.post("/api/v1/me/notifications/stream-ticket", u.accessToken(), Map.of());
        assertEquals(200, r.status(), r.text());
        return r.json().get("ticket").asText();
    }

    /**
     * @return the first value read that {@code done} accepts, reading again every 20 ms for at most 5 s; else the
     *         last one (the assertions that follow tell what it lacks)
     */
    static <T> T until(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        T v = read.get();
        while (!done.test(v) && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return v;
            }
            v = read.get();
        }
        return v;
    }

    @Test
    void likesWrittenTogetherLeaveTheNoticeOneByOneWould() {
        // one by one, the likes 2..7 announce the milestones 3 and 5, and each later like replaces the unread notice:
        // one unread notice with the last count; written together (group commit) the batch leaves the same one
        TestApi.User a = api.newUser();
        UUID object = UUID.randomUUID();
        List<Notifications.Like> likes = new java.util.ArrayList<>();
        for (int n = 2; n <= 7; n++) {
            likes.add(new Notifications.Like(UUID.randomUUID(), n));
        }
        likes.add(new Notifications.Like(a.id(), 8)); // one's own like tells nobody
        api.api().notifications().likedAll(a.id(), "comment", object, likes, "comment", "/c");
        JsonNode items = list(a, "");
        assertEquals(1, items.size(), items.toString());
        assertEquals("7 people liked your comment", items.get(0).get("data").get("text").asText());
        // no milestone in the batch and nothing unread: no notice (as one by one)
        http.post("/api/v1/me/notifications/read", a.accessToken(), Map.of("all", true));
        api.api().notifications().likedAll(a.id(), "comment", object,
                List.of(new Notifications.Like(UUID.randomUUID(), 8), new Notifications.Like(UUID.randomUUID(), 9)),
                "comment", "/c");
        assertEquals(0, unread(a));
    }

    @Test
    void repliesMentionsAndLikesAreListedCountedAndReadOnlyByTheirOwner() {
        UUID title = TestCatalog.published("Notified").titleId();
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        TestApi.User c = api.newUser();
        String mine = comment(a, title, Map.of("body", "What a finale"));
        comment(b, title, Map.of("body", "Agreed, @" + a.username() + "!", "parentId", mine));
        comment(c, title, Map.of("body", "@" + a.username() + " you called it"));
        assertEquals(200, like(b, mine).status());
        assertEquals(200, like(c, mine).status());
        assertEquals(200, like(a, mine).status()); // one's own like tells nobody

        // likes are announced after they are answered (off the vote's path): wait for the notice, at most 5 s
        JsonNode items = until(() -> list(a, ""), i -> i.size() == 3 && i.get(0).get("data").get("text").asText()
                .startsWith("2 people"));
        assertEquals(3, items.size(), items.toString());
        assertEquals("reactions", items.get(0).get("type").asText());
        assertEquals("2 people liked your comment", items.get(0).get("data").get("text").asText(), "folded, not two rows");
        assertEquals("mention", items.get(1).get("type").asText());
        assertEquals("reply", items.get(2).get("type").asText(), "the reply that mentions is told once, as a reply");
        assertTrue(items.get(2).get("data").get("text").asText().contains("Agreed, @" + a.username()));
        assertTrue(items.get(2).get("data").get("link").asText().startsWith("/title/" + title + "#comment-"));
        assertTrue(items.get(0).get("id").asLong() > items.get(1).get("id").asLong());
        assertEquals(3, unread(a));
        assertEquals(0, list(b, "").size(), "nobody else sees them");

        long first = items.get(2).get("id").asLong();
        Http.Resp foreign = http.post("/api/v1/me/notifications/read", b.accessToken(), Map.of("ids", List.of(first)));
        assertEquals(0, foreign.json().get("marked").asInt(), "another account's ids mark nothing");
        assertEquals(3, unread(a));
        Http.Resp one = http.post("/api/v1/me/notifications/read", a.accessToken(), Map.of("ids", List.of(first)));
        assertEquals(1, one.json().get("marked").asInt());
        assertEquals(2, one.json().get("unread").asInt());
        assertEquals(2, list(a, "?unread=true").size());
        assertEquals(2, http.post("/api/v1/me/notifications/read", a.accessToken(), Map.of("all", true)).json()
                .get("marked").asInt());
        assertEquals(0, unread(a));
        assertEquals(422, http.post("/api/v1/me/notifications/read", a.accessToken(), Map.of("ids", List.of())).status());

        // paging: newest first, a cursor for the rest
        JsonNode page = http.get("/api/v1/me/notifications?limit=2", a.accessToken()).json();
        assertEquals(2, page.get("items").size());
        JsonNode rest = http.get("/api/v1/me/notifications?limit=2&cursor=" + page.get("next").asText(), a.accessToken())
                .json();
        assertEquals(first, rest.get("items").get(0).get("id").asLong());

        for (String path : List.of("/api/v1/me/notifications", "/api/v1/me/notifications/unread-count",
                "/api/v1/me/notification-settings", "/api/v1/me/notifications/stream")) {
            assertEquals(401, http.get(path, null).status(), path);
        }
    }

    @Test
    void settingsAreRespectedAndSecurityCannotBeTurnedOff() {
        UUID title = TestCatalog.published("Quiet").titleId();
        TestApi.User a = api.newUser();
        TestApi.User b = api.newUser();
        Http.Resp r = put("/api/v1/me/notification-settings", a,
                "{\"settings\":[{\"type\":\"reply\",\"inApp\":false,\"email\":false}]}");
        assertEquals(200, r.status(), r.text());
        assertTrue(r.text().contains("{\"type\":\"reply\",\"inApp\":false,\"email\":false,\"locked\":false}"), r.text());
        String mine = comment(a, title, Map.of("body", "Leave me be"));
        comment(b, title, Map.of("body", "No", "parentId", mine));
        assertEquals(0, list(a, "").size(), "replies turned off");
        Http.Resp locked = put("/api/v1/me/notification-settings", a,
                "{\"settings\":[{\"type\":\"security\",\"email\":false}]}");
        assertEquals(422, locked.status(), locked.text());
        assertEquals(422, put("/api/v1/me/notification-settings", a, "{\"settings\":[{\"type\":\"gossip\"}]}").status());
        assertTrue(http.get("/api/v1/me/notification-settings", a.accessToken()).text()
                .contains("{\"type\":\"security\",\"inApp\":true,\"email\":true,\"locked\":true}"));
    }

    @Test
    void theStreamDeliversLiveAndResumesWithExactlyWhatWasMissed() throws Exception {
        TestApi.User a = api.newUser();
        Notifications n = api.api().notifications();
        n.notify(a.id(), note("before anyone listened"));
        String base = "http://127.0.0.1:" + api.api().port() + "/api/v1/me/notifications/stream";
        long last;
        String t = ticket(a);
        try (EventStreamClient s = new EventStreamClient(base + "?ticket=" + t)) {
            assertEquals(200, s.response().statusCode());
            assertEquals("text/event-stream; charset=utf-8", s.response().headers().firstValue("Content-Type").orElse(""));
            EventStreamClient.Event replayed = s.next(Duration.ofSeconds(5));
            assertNotNull(replayed, "what came before is replayed");
            assertEquals("notification", replayed.event());
            assertTrue(replayed.data().contains("before anyone listened"));
            for (int i = 1; i <= 3; i++) {
                n.notify(a.id(), note("live " + i));
            }
            List<EventStreamClient.Event> live = List.of(s.next(Duration.ofSeconds(5)), s.next(Duration.ofSeconds(5)),
                    s.next(Duration.ofSeconds(5)));
            for (int i = 0; i < 3; i++) {
                assertNotNull(live.get(i));
                assertTrue(live.get(i).data().contains("live " + (i + 1)), live.toString());
                assertEquals(Long.parseLong(replayed.id()) + i + 1, Long.parseLong(live.get(i).id()), "ids go up by one");
            }
            last = Long.parseLong(live.get(2).id());
            assertEquals("3000", s.retry());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (s.comments() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(s.comments() > 0, "heartbeats keep a quiet stream open");
        }
        assertEquals(401, new EventStreamClient(base + "?ticket=" + t).response().statusCode(), "a ticket opens one stream");
        for (int i = 1; i <= 2; i++) {
            n.notify(a.id(), note("missed " + i));
        }
        try (EventStreamClient s = new EventStreamClient(base + "?ticket=" + ticket(a), "Last-Event-ID",
                Long.toString(last))) {
            List<EventStreamClient.Event> got = s.drain(Duration.ofSeconds(2));
            assertEquals(2, got.size(), "exactly what was missed: " + got);
            assertTrue(got.get(0).data().contains("missed 1"));
            assertTrue(got.get(1).data().contains("missed 2"));
            assertEquals(last + 1, Long.parseLong(got.get(0).id()));
        }
        try (EventStreamClient s = new EventStreamClient(base, "Authorization", "Bearer " + a.accessToken(),
                "Last-Event-ID", Long.toString(last + 1))) {
            assertEquals(200, s.response().statusCode(), "a client that can send headers uses its token");
            assertEquals(1, s.drain(Duration.ofSeconds(2)).size());
        }
        assertEquals(400, http.send(http.builder("/api/v1/me/notifications/stream", a.accessToken())
                .header("Last-Event-ID", "yesterday")).status());
        assertEquals(401, http.get("/api/v1/me/notifications/stream?ticket=" + "x".repeat(43), null).status());
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithoutHoldingUpOthersAndResumesByReplay() throws Exception {
        TestApi.User slow = api.newUser();
        TestApi.User other = api.newUser();
        Notifications n = api.api().notifications();
        String base = "/api/v1/me/notifications/stream?ticket=";
        try (java.net.Socket socket = new java.net.Socket();
             EventStreamClient fine = new EventStreamClient("http://127.0.0.1:" + api.api().port() + base + ticket(other))) {
            socket.setReceiveBufferSize(2048); // before connecting: a small window, and this client never reads
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", api.api().port()));
            socket.getOutputStream().write(("GET " + base + ticket(slow) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(200, fine.response().statusCode());
            String big = "x".repeat(40_000);
            int sent = 300; // 12 MB: far more than the socket buffers and the channel's outbound limit hold
            long first = -1;
            for (int i = 0; i < sent; i++) {
                long id = n.notify(slow.id(), note(i + " " + big)).orElseThrow();
                first = first < 0 ? id : first;
            }
            long lastSent = first + sent - 1;
            // the other stream is served meanwhile
            n.notify(other.id(), note("still flowing"));
            EventStreamClient.Event e;
            do {
                e = fine.next(Duration.ofSeconds(10));
            } while (e != null && !e.data().contains("still flowing"));
            assertNotNull(e, "another client's stream is not held up by the stuck one");

            // the stuck stream was cut: reading now finds what was buffered, then the end
            socket.setSoTimeout(30_000);
            byte[] got = socket.getInputStream().readAllBytes();
            String text = new String(got, java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^id: (\\d+)$").matcher(text);
            List<Long> ids = new java.util.ArrayList<>();
            while (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
            assertTrue(ids.size() >= 2 && ids.size() < sent, "dropped part-way: " + ids.size() + " of " + sent);
            long resumeAfter = ids.get(ids.size() - 2); // the last one may be cut off; the one before is whole

            // it comes back with Last-Event-ID and gets exactly the rest, in order (40 KB notices: a replay of
            // 100 at a time can outrun a reading client too, which then reconnects from its last id, as the web app does)
            long last = resumeAfter;
            for (int attempt = 0; attempt < 20 && last < lastSent; attempt++) {
                try (EventStreamClient again = new EventStreamClient("http://127.0.0.1:" + api.api().port() + base
                        + ticket(slow), "Last-Event-ID", Long.toString(last))) {
                    for (EventStreamClient.Event e2 : again.drain(Duration.ofSeconds(3))) {
                        assertEquals(last + 1, Long.parseLong(e2.id()), "in order, nothing twice, nothing missed");
                        last++;
                    }
                }
            }
            assertEquals(lastSent, last);
        }
    }

    @Test
    void aPackagingJobsEndReachesTheAdminWhoStartedIt() {
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        TestCatalog.Item item = TestCatalog.item("Packaged", "failed");
        dev.kino.control.jobs.JobQueue queue = api.api().jobs();
        api.api().catalog().lifecycle().replaceSource(item.mediaId(), "/incoming/" + item.mediaId() + ".mkv");
        UUID job = queue.enqueue(item.mediaId(), new dev.kino.control.jobs.JobQueue.JobInput(null, null, 1),
                dev.kino.common.packaging.Protection.NONE, admin.id()).id();
        dev.kino.control.jobs.JobQueue.Claimed claimed = null;
        for (int i = 0; i < 100 && claimed == null; i++) {
            dev.kino.control.jobs.JobQueue.Claimed c = queue.claim("notifications-test", Duration.ofMinutes(1)).orElseThrow();
            if (c.id().equals(job)) {
                claimed = c;
            } else {
                queue.fail(c, "notifications-test", "left over by another test", true); // older jobs are claimed first
            }
        }
        assertNotNull(claimed);
        queue.fail(claimed, "notifications-test", "the source has no video stream", true);
        JsonNode mine = list(admin, "").get(0);
        assertEquals("job", mine.get("type").asText());
        assertEquals("Packaging failed: the source has no video stream", mine.get("data").get("text").asText());
        assertEquals("/admin", mine.get("data").get("link").asText());
    }

    @Test
    void aTitleBackAfterBeingWithdrawnReachesThoseWhoFollowOrWaitForIt() {
        TestCatalog.Item show = TestCatalog.published("Awaited");
        TestApi.User fan = api.newUser();
        TestApi.User waiting = api.newUser();
        assertEquals(200, put("/api/v1/me/follows/titles/" + show.titleId(), fan, "{}").status());
        assertEquals(200, put("/api/v1/me/watchlist/" + show.titleId(), waiting, "{}").status());
        api.api().catalog().lifecycle().unpublish(show.mediaId()); // the title is gone from the catalogue
        assertEquals(404, put("/api/v1/me/follows/titles/" + show.titleId(), api.newUser(), "{}").status());
        api.api().catalog().lifecycle().publish(show.mediaId());
        Notifications n = api.api().notifications();
        int idle = 0;
        while (list(fan, "").size() == 0 && idle++ < 50) {
            n.fanOutBatch();
        }
        for (TestApi.User u : List.of(fan, waiting)) {
            JsonNode got = list(u, "").get(0);
            assertEquals("title-published", got.get("type").asText());
            assertEquals("/title/" + show.titleId(), got.get("data").get("link").asText());
        }
    }

    @Test
    void moderatorsDecisionsReachReportersAndAuthorsAndWarningsAreDelivered() {
        UUID title = TestCatalog.published("Judged").titleId();
        TestApi.User author = api.newUser();
        TestApi.User reporter = api.newUser();
        TestApi.User mod = api.withRole(api.newUser(), "moderator");
        String c = comment(author, title, Map.of("body", "You are all wrong"));
        assertEquals(201, http.post("/api/v1/reports", reporter.accessToken(), Map.of("targetType", "comment",
                "targetId", c, "reason", "abuse")).status());
        JsonNode open = http.get("/api/v1/moderation/reports?status=open&limit=100", mod.accessToken()).json().get("items");
        String caseId = null;
        for (JsonNode x : open) {
            if (x.get("targetId").asText().equals(c)) {
                caseId = x.get("id").asText();
            }
        }
        assertEquals(200, http.post("/api/v1/moderation/reports/" + caseId + "/actions", mod.accessToken(),
                Map.of("action", "warn", "reason", "keep it civil")).status());
        JsonNode toAuthor = list(author, "").get(0);
        assertEquals("moderation", toAuthor.get("type").asText());
        assertEquals("A moderator warned you: keep it civil", toAuthor.get("data").get("text").asText());
        JsonNode toReporter = list(reporter, "").get(0);
        assertEquals("report-outcome", toReporter.get("type").asText());
        assertTrue(toReporter.get("data").get("text").asText().contains("upheld"), toReporter.toString());
    }

    @Test
    void securityNoticesAreMailedAtOnce() {
        TestApi.User u = api.newUser();
        verified(u);
        // a sign-in from an address not seen for 90 days is a new device
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("update sessions set created_at = created_at -"
                + " interval '100 days', last_used_at = last_used_at - interval '100 days' where account_id = :a")
                .bind("a", u.id()).execute());
        assertEquals(200, api.login(u.username(), u.password()).status());
        JsonNode notice = list(u, "").get(0);
        assertEquals("security", notice.get("type").asText());
        assertTrue(notice.get("data").get("text").asText().startsWith("New sign-in to your account from 127.0.0.1"));
        api.api().outbox().dispatchPending();
        assertTrue(TestApi.MAILS.stream().anyMatch(m -> m.recipient().equals(u.email()) && m.kind().equals("security")
                && m.subject().contains("New sign-in")), "mailed at once, no digest");
        assertEquals(200, api.login(u.username(), u.password()).status());
        assertEquals(1, list(u, "").size(), "a known device is no news");
    }

    @Test
    void digestsBatchAndUnsubscribeLinksWorkWithoutSignInAndCannotBeForged() {
        TestApi.User a = api.newUser();
        TestApi.User unconfirmed = api.newUnverifiedUser();
        verified(a);
        Notifications n = api.api().notifications();
        n.notify(unconfirmed.id(), note("never mailed"));
        n.notify(a.id(), note("first <b>news</b>"));
        n.notify(a.id(), new Notice(NotificationType.MENTION, null, "comment", UUID.randomUUID(), null, "second",
                "/forum", Map.of()));
        n.notify(a.id(), new Notice(NotificationType.REACTIONS, null, "comment", UUID.randomUUID(), null,
                "not by mail by default", null, Map.of()));
        while (n.sendDigests() > 0) {
            // other tests' accounts may be due too
        }
        api.api().outbox().dispatchPending();
        List<Mail> mails = TestApi.MAILS.stream().filter(m -> m.recipient().equals(a.email())
                && m.kind().equals("notifications")).toList();
        assertEquals(1, mails.size(), "one digest for both");
        assertTrue(TestApi.MAILS.stream().noneMatch(m -> m.recipient().equals(unconfirmed.email()) && m.kind().equals("notifications")),
                "an address not confirmed is never mailed");
        Mail digest = mails.get(0);
        assertTrue(digest.body().contains("first <b>news</b>") && digest.body().contains("second"), digest.body());
        assertFalse(digest.body().contains("not by mail by default"));
        assertTrue(digest.html().contains("first &lt;b&gt;news&lt;/b&gt;"), "user text is escaped in HTML");
        assertEquals("List-Unsubscribe=One-Click", digest.headers().get("List-Unsubscribe-Post"));
        String header = digest.headers().get("List-Unsubscribe");
        assertTrue(header.startsWith("<http") && header.endsWith(">"), header);

        String url = header.substring(1, header.length() - 1);
        String query = url.substring(url.indexOf('?'));
        String path = "/api/v1/notifications/unsubscribe" + query;
        String tampered = path.replace("types=reply,mention", "types=reply,mention,security");
        assertEquals(403, http.post(tampered, null, Map.of()).status(), "altered types");
        assertEquals(403, http.post(path.replace("account=" + a.id(), "account=" + UUID.randomUUID()), null, Map.of())
                .status(), "another account");
        assertEquals(403, http.post(path.substring(0, path.length() - 2) + "AA", null, Map.of()).status(), "forged sig");
        assertEquals(200, http.get(path, null).status(), "describes without doing");
        String before = http.get("/api/v1/me/notification-settings", a.accessToken()).text();
        assertTrue(before.contains("{\"type\":\"reply\",\"inApp\":true,\"email\":true"), before);
        Http.Resp done = http.raw("POST", path, "application/x-www-form-urlencoded",
                "List-Unsubscribe=One-Click".getBytes());
        assertEquals(200, done.status(), done.text());
        String settings = http.get("/api/v1/me/notification-settings", a.accessToken()).text();
        assertTrue(settings.contains("{\"type\":\"reply\",\"inApp\":true,\"email\":false"), settings);
        assertTrue(settings.contains("{\"type\":\"mention\",\"inApp\":true,\"email\":false"), settings);
        n.notify(a.id(), note("after unsubscribing"));
        assertTrue(list(a, "?unread=true").toString().contains("after unsubscribing"), "still in the app");

        // within the interval the next digest waits; after it, it goes, without what was unsubscribed
        n.notify(a.id(), new Notice(NotificationType.MODERATION, null, "comment", UUID.randomUUID(), null,
                "a moderator restored your comment", null, Map.of()));
        assertEquals(0, n.sendDigests(), "at most one digest per interval");
        TestApi.CLOCK.advance(Duration.ofHours(1));
        while (n.sendDigests() > 0) {
            // other tests' accounts may be due too
        }
        api.api().outbox().dispatchPending();
        List<Mail> second = TestApi.MAILS.stream().filter(m -> m.recipient().equals(a.email())
                && m.kind().equals("notifications")).toList();
        assertEquals(2, second.size());
        assertTrue(second.get(1).body().contains("a moderator restored your comment"));
        assertFalse(second.get(1).body().contains("after unsubscribing"), "no more replies by e-mail");
    }

    @Test
    void publishingANewEpisodeNotifiesTenThousandFollowersInBackgroundBatches() {
        TestCatalog.Item show = TestCatalog.published("Followed series");
        TestApi.User fan = api.newUser();
        TestApi.User watcher = api.newUnverifiedUser();
        assertEquals(200, put("/api/v1/me/follows/titles/" + show.titleId(), fan, "{}").status());
        assertEquals(404, put("/api/v1/me/follows/titles/" + UUID.randomUUID(), fan, "{}").status());
        assertEquals(200, put("/api/v1/me/watchlist/" + show.titleId(), watcher, "{}").status());
        verified(fan); // wants new episodes by e-mail too, and the address is confirmed: its row waits for a digest
        assertEquals(200, put("/api/v1/me/notification-settings", fan,
                "{\"settings\":[{\"type\":\"new-episode\",\"inApp\":true,\"email\":true}]}").status());
        TestApi.User quiet = api.newUser(); // follows, but wants new episodes neither in the app nor by e-mail
        assertEquals(200, put("/api/v1/me/follows/titles/" + show.titleId(), quiet, "{}").status());
        assertEquals(200, put("/api/v1/me/notification-settings", quiet,
                "{\"settings\":[{\"type\":\"new-episode\",\"inApp\":false,\"email\":false}]}").status());
        var jdbi = SharedDatabase.get().jdbi();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        jdbi.useHandle(h -> h.createUpdate("""
                insert into accounts (id, email, username, password_hash, tokens_valid_after, created_at, updated_at)
                select gen_random_uuid(), 'f' || g || '-' || :tag || '@example.org', 'f' || g || '_' || :tag, 'x',
                       now(), now(), now() from generate_series(1, 10000) g""").bind("tag", tag).execute());
        jdbi.useHandle(h -> h.createUpdate("""
                insert into follows (account_id, target_type, target_id, created_at)
                select id, 'title', :t, now() from accounts where username like '%\\_' || :tag""")
                .bind("t", show.titleId()).bind("tag", tag).execute());
        TestCatalog.Item second = TestCatalog.item("ignored", "ready");
        jdbi.useHandle(h -> h.createUpdate("update media_items set title_id = :t, episode_number = 2"
                + " where id = :m").bind("t", show.titleId()).bind("m", second.mediaId()).execute());
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        Http.Resp published = http.post("/api/v1/media/" + second.mediaId() + "/publish", admin.accessToken(), Map.of());
        assertEquals(200, published.status(), published.text());
        int right = count(jdbi, second.mediaId());
        assertEquals(0, right, "the publish request notified nobody itself");

        Notifications n = api.api().notifications();
        int rounds = 0;
        int idle = 0;
        // other tests' fan-outs (older, possibly reaching nobody) are claimed first: keep going until ours is done
        while (count(jdbi, second.mediaId()) < 10_002 && idle < 50) {
            if (n.fanOutBatch() > 0) {
                rounds++;
            } else {
                idle++;
            }
        }
        assertTrue(rounds >= 10, "in batches of " + Notifications.FANOUT_BATCH + ": " + rounds);
        assertEquals(10_002, count(jdbi, second.mediaId()), "every follower and watcher, once");
        assertEquals(0, list(quiet, "").size(), "settings are kept in fan-outs too");
        assertEquals("pending", emailState(jdbi, fan, second.mediaId()), "a confirmed address that wants it");
        assertEquals("none", emailState(jdbi, watcher, second.mediaId()), "never mail an unconfirmed address");
        JsonNode mine = list(fan, "").get(0);
        assertEquals("new-episode", mine.get("type").asText());
        assertEquals("/watch/" + show.titleId() + "/" + second.mediaId(), mine.get("data").get("link").asText());
    }

    static String emailState(org.jdbi.v3.core.Jdbi jdbi, TestApi.User u, UUID media) {
        return jdbi.withHandle(h -> h.createQuery("select email_state from notifications where account_id = :a"
                + " and type = 'new-episode' and object_id = :m").bind("a", u.id()).bind("m", media).mapTo(String.class).one());
    }

    static int count(org.jdbi.v3.core.Jdbi jdbi, UUID media) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from notifications where type = 'new-episode'"
                + " and object_id = :m").bind("m", media).mapTo(Integer.class).one());
    }
}
