package dev.kino.control.support;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.state.RedisSharedState;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.SharedStates;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The one real redis-server of a test run (the binary shipped in embedded-redis), on 127.0.0.1 and a free port,
 * started on first use and stopped when the JVM exits. Nodes connect to it through {@link SharedStates#create}, as
 * the application does with {@code redis.url} set.
 */
public final class SharedRedis {
    private static RedisServer server;
    private static String url;
    private static RedisCommands<String, String> admin;

    private SharedRedis() {
    }

    /** @return {@code redis://127.0.0.1:PORT} of the running server */
    public static synchronized String url() {
        if (server == null) {
            try {
                int port;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = s.getLocalPort();
                }
                Path dir = Files.createTempDirectory("kino-test-redis");
                server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").setting("dir " + dir).build();
                server.start();
                url = "redis://127.0.0.1:" + port;
                RedisClient client = RedisClient.create(url);
                admin = client.connect().sync();
                RedisServer started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    client.shutdown();
                    try {
                        started.stop();
                    } catch (IOException e) {
                        // the JVM is exiting
                    }
                }, "kino-test-redis-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return url;
    }

    /** @return a new node's shared state on the server ({@link RedisSharedState}); the caller closes it */
    public static SharedState newState() {
        return SharedStates.create(new KinoConfig.Redis(url()));
    }

    /** @return the time to live of a value key of {@link SharedState#put}, if it exists */
    public static synchronized Optional<Duration> ttl(String key) {
        url();
        long ms = admin.pttl(RedisSharedState.DEFAULT_PREFIX + "v:" + key);
        return ms < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ms));
    }

    /**
     * Lets {@code d} pass for everything stored, as the nodes' movable clock does in process (Redis measures
     * time with its own clock): keys' TTLs shrink by {@code d} (expiring those that would have), and lease
     * expiries (sorted-set scores in epoch ms) move {@code d} earlier.
     */
    public static synchronized void elapse(Duration d) {
        url();
        long ms = d.toMillis();
        for (String key : admin.keys(RedisSharedState.DEFAULT_PREFIX + "*")) {
            if (key.startsWith(RedisSharedState.DEFAULT_PREFIX + "l:")) {
                for (ScoredValue<String> v : admin.zrangeWithScores(key, 0, -1)) {
                    admin.zadd(key, v.getScore() - ms, v.getValue());
                }
            }
            long ttl = admin.pttl(key);
            if (ttl > 0) {
                if (ttl <= ms) {
                    admin.del(key);
                } else {
                    admin.pexpire(key, ttl - ms);
                }
            }
        }
    }
}
