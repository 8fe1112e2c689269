package dev.kino.control.support;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeepAliveClientTest {
    @Test
    void readsFixedLengthAndChunkedAnswersOnOneConnection() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fixed", x -> {
            byte[] body = (x.getRequestMethod() + " " + new String(x.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8) + " " + x.getRequestHeaders().getFirst("Authorization"))
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(201, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/chunked", x -> {
            x.sendResponseHeaders(200, 0); // 0: chunked
            for (int i = 0; i < 3; i++) {
                x.getResponseBody().write(("part" + i).getBytes(StandardCharsets.UTF_8));
                x.getResponseBody().flush();
            }
            x.close();
        });
        server.start();
        try (KeepAliveClient client = new KeepAliveClient(server.getAddress().getPort())) {
            byte[] put = KeepAliveClient.request("PUT", "/fixed", "abc", "{\"value\":\"like\"}");
            for (int i = 0; i < 3; i++) {
                KeepAliveClient.Answer a = client.exchange(put);
                assertEquals(201, a.status());
                assertEquals("PUT {\"value\":\"like\"} Bearer abc", a.text());
                KeepAliveClient.Answer c = client.exchange(KeepAliveClient.request("GET", "/chunked", null, null));
                assertEquals(200, c.status());
                assertEquals("part0part1part2", c.text());
            }
        } finally {
            server.stop(0);
        }
    }
}
