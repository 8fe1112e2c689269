package dev.kino.common.state;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary shipped in embedded-redis) on 127.0.0.1 and a free port, persisting nothing,
 * optionally with a password. Can be stopped and started again on the same port.
 */
final class EmbeddedRedis implements AutoCloseable {
    final int port;
    private final String password;
    private final Path dir;
    private RedisServer server;

    private EmbeddedRedis(int port, String password) throws IOException {
        this.port = port;
        this.password = password;
        this.dir = Files.createTempDirectory("kino-redis-");
    }

    static EmbeddedRedis start(String password) throws IOException {
        EmbeddedRedis r = new EmbeddedRedis(freePort(), password);
        r.start();
        return r;
    }

    void start() throws IOException {
        var builder = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("dir " + dir);
        if (password != null) {
            builder.setting("requirepass " + password);
        }
        server = builder.build();
        server.start();
    }

    void stop() throws IOException {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** @return the URL without credentials */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
