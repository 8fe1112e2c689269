package dev.kino.control.notifications;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.SharedStates;
import dev.kino.control.ControlApi;
import dev.kino.control.auth.PasswordHasher;
import dev.kino.control.support.EventStreamClient;
import dev.kino.control.support.Http;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import dev.kino.control.support.TestCatalog;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three control-API nodes on one PostgreSQL and a Redis of their own (so stopping it touches no other test): a
 * notification caused through node 1 reaches a stream on node 2 by pub/sub (node 2 never catches up from the table
 * in this test, so only pub/sub can deliver there); with Redis stopped, a client resumes on node 3 with
 * {@code Last-Event-ID} and node 3 keeps delivering from the table.
 */
class NotificationNodesTest {
    record Node(ControlApi api, SharedState state, Http http) implements AutoCloseable {
        @Override
        public void close() {
            api.close();
            state.close();
        }
    }

    static Node node(String redisUrl, Duration catchUp) {
        KinoConfig config = SharedDatabase.config();
        SharedState state = SharedStates.create(new KinoConfig.Redis(redisUrl));
        ControlApi api = ControlApi.builder(config, SecretStore.resolve(config), SharedDatabase.get(), state)
                .clock(TestApi.CLOCK).mailSender(m -> { }).passwordParams(PasswordHasher.Params.FAST_INSECURE)
                .outboxInterval(Duration.ZERO).notificationRounds(Duration.ZERO)
                .notificationStreams(Duration.ofSeconds(5), catchUp).start();
        return new Node(api, state, new Http(api.port()));
    }

    @Test
    void aNotificationFromOneNodeReachesAStreamOnAnotherAndDeliveryOutlivesRedis() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").setting("dir " + Files.createTempDirectory("kino-test-redis-nodes")).build();
        redis.start();
        String url = "redis://127.0.0.1:" + port;
        TestApi.User a = TestApi.newUser();
        TestApi.User b = TestApi.newUser();
        UUID title = TestCatalog.published("Across nodes").titleId();
        try (Node one = node(url, Duration.ofHours(1)); Node two = node(url, Duration.ofHours(1));
             Node three = node(url, Duration.ofMillis(300))) {
            Http.Resp mine = one.http().post("/api/v1/titles/" + title + "/comments", a.accessToken(),
                    Map.of("body", "Node one speaking"));
            assertEquals(201, mine.status(), mine.text());
            // a ticket from node 1 opens a stream on node 2: tickets live in the shared state
            String ticket = one.http().post("/api/v1/me/notifications/stream-ticket", a.accessToken(), Map.of()).json()
                    .get("ticket").asText();
            long last;
            try (EventStreamClient s = new EventStreamClient("http://127.0.0.1:" + two.api().port()
                    + "/api/v1/me/notifications/stream?ticket=" + ticket + "&lastEventId=" + lastId(a))) {
                assertEquals(200, s.response().statusCode());
                Http.Resp reply = one.http().post("/api/v1/titles/" + title + "/comments", b.accessToken(),
                        Map.of("body", "Node one replying", "parentId", mine.json().get("id").asText()));
                assertEquals(201, reply.status(), reply.text());
                EventStreamClient.Event e = s.next(Duration.ofSeconds(10));
                assertNotNull(e, "caused on node 1, delivered on node 2 by pub/sub");
                assertTrue(e.data().contains("Node one replying"), e.data());
                last = Long.parseLong(e.id());

                redis.stop();
                Notifications n = one.api().notifications();
                n.notify(a.id(), new Notice(NotificationType.REPLY, b.id(), "comment", UUID.randomUUID(), null,
                        "while Redis was down", null, Map.of()));
                assertNull(s.next(Duration.ofSeconds(2)), "node 2 heard nothing: pub/sub is down, it does not poll");
            }
            // the client reconnects (to another node) and replays what it missed, exactly
            try (EventStreamClient s = new EventStreamClient("http://127.0.0.1:" + three.api().port()
                    + "/api/v1/me/notifications/stream", "Authorization", "Bearer " + a.accessToken(),
                    "Last-Event-ID", Long.toString(last))) {
                List<EventStreamClient.Event> missed = s.drain(Duration.ofSeconds(2));
                assertEquals(1, missed.size(), missed.toString());
                assertTrue(missed.get(0).data().contains("while Redis was down"));
                assertEquals(last + 1, Long.parseLong(missed.get(0).id()));
                // and new ones keep coming from the table while Redis is down
                one.api().notifications().notify(a.id(), new Notice(NotificationType.REPLY, b.id(), "comment",
                        UUID.randomUUID(), null, "still down", null, Map.of()));
                EventStreamClient.Event e = s.next(Duration.ofSeconds(10));
                assertNotNull(e, "node 3 catches up from the table");
                assertTrue(e.data().contains("still down"));
                assertEquals(last + 2, Long.parseLong(e.id()));
            }
        } finally {
            if (redis.isActive()) {
                redis.stop();
            }
        }
    }

    static long lastId(TestApi.User u) {
        return SharedDatabase.get().jdbi().withHandle(h -> h.createQuery(
                "select coalesce(max(id), 0) from notifications where account_id = :a").bind("a", u.id())
                .mapTo(Long.class).one());
    }
}
