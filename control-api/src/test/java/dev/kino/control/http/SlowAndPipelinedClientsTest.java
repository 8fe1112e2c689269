package dev.kino.control.http;

import dev.kino.control.support.TestConfigs;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 §2 and issue 10 §1 on the control API (real server on port 0, raw sockets): the limits of the shared
 * pipeline under the {@code control.*} keys, answers in request order, Host required, and content coding.
 */
class SlowAndPipelinedClientsTest {
    @TempDir
    static Path dir;
    static ControlApiServer server;

    @BeforeAll
    static void start() {
        Router router = new Router();
        // Stands in for a login that checks a password slowly and refuses it.
        router.route(HttpMethod.POST, "/api/v1/auth/login").summary("Slow login").errors(401).response(200, null)
                .handler(req -> {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw ApiException.of(ProblemType.UNAUTHORIZED, "wrong e-mail or password");
                });
        router.route(HttpMethod.GET, "/api/v1/ping").summary("Ping").response(200, null)
                .handler(req -> Response.ok(Map.of("pong", true)));
        server = ControlApiServer.start(TestConfigs.config(dir, "control.readTimeout=2s", "control.maxHeaderBytes=4096",
                "control.maxUriBytes=1024").control(), router, token -> {
                    throw ApiException.of(ProblemType.INVALID_TOKEN, "no");
                });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String raw(String request) throws IOException {
        return rawTo(server.port(), request);
    }

    /** @return everything a server on {@code port} answers to {@code request} until it closes the connection */
    static String rawTo(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) >= 0; ) {
                    buf.write(b, 0, n);
                }
            } catch (SocketException reset) {
                // the server closed
            }
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends one byte a second; @return seconds until the server closed, or infinity if it never did. */
    static double drip(String head, String dripped) throws IOException, InterruptedException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            for (int i = 0; i < dripped.length(); i++) {
                try {
                    out.write(dripped.charAt(i));
                    out.flush();
                } catch (IOException closed) {
                    return (System.nanoTime() - start) / 1e9;
                }
                s.setSoTimeout(1000);
                try {
                    if (s.getInputStream().read() < 0) {
                        return (System.nanoTime() - start) / 1e9;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // drip on
                } catch (IOException reset) {
                    return (System.nanoTime() - start) / 1e9;
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }

    static List<Integer> statuses(String raw) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(raw);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void aHeadDrippedOneByteASecondIsCutAfterTheReadTimeout() throws Exception {
        double t = drip("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nX-Slow: ", "y".repeat(30));
        assertTrue(t >= 1 && t < 6, "cut after " + t + " s");
    }

    @Test
    void aBodyDrippedAfterACompleteHeadIsCut() throws Exception {
        double t = drip("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 500\r\n\r\n", "y".repeat(30));
        assertTrue(t < 8, "cut after " + t + " s");
    }

    @Test
    void oversizedHeadIs431AndOversizedUriIs414() throws IOException {
        String out = raw("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(5000) + "\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 431 "), out);
        assertTrue(out.contains("application/problem+json"), out);
        out = raw("GET /api/v1/ping?" + "x".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 414 "), out);
    }

    @Test
    void pipelinedSlowLoginThen404ThenCloseAreAnsweredInOrder() throws IOException {
        String out = raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}"
                + "GET /api/v1/no-such-thing HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(List.of(401, 404, 200), statuses(out), out);
        out = raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /api/v1/no-such-thing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(List.of(401, 404), statuses(out), out);
    }

    @Test
    void http11WithoutHostIs400() throws IOException {
        String out = raw("GET /api/v1/ping HTTP/1.1\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 400 "), out);
        out = raw("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 200 "), out);
    }

    @Test
    void refusedGzipGetsAnIdentityWebApp() throws IOException {
        // The app's script is large enough to be held gzip-compressed too (the HTML shell is not).
        String refused = raw("GET /js/app.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0, *\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 200 "), refused);
        assertTrue(refused.contains("Vary: Accept-Encoding"), refused);
        assertFalse(refused.toLowerCase().contains("content-encoding"), refused);
        String wanted = raw("GET /js/app.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: x-gzip\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(wanted.toLowerCase().contains("content-encoding: gzip"), wanted);
    }
}
