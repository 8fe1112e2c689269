package dev.kino.control.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebAppTest {
    @TempDir
    Path tmp;
    /** The app's root; {@code tmp/outside.txt} sits next to it, outside. */
    Path dir;

    private WebApp app() throws IOException {
        dir = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(dir.resolve("index.html"), "<!doctype html><title>Kino</title>" + "x".repeat(2000));
        Files.createDirectories(dir.resolve("js/views"));
        Files.writeString(dir.resolve("js/app.js"), "export const a = 1;\n");
        Files.writeString(dir.resolve("js/views/title.js"), "export const t = 1;\n" + "/* pad */".repeat(300));
        Files.createDirectories(dir.resolve("vendor/hls.js-1.0.0/dist"));
        Files.writeString(dir.resolve("vendor/hls.js-1.0.0/dist/hls.min.js"), "var Hls;");
        Files.writeString(dir.resolve(".secret"), "hidden");
        Files.writeString(dir.getParent().resolve("outside.txt"), "outside the app");
        return WebApp.fromDirectory(dir);
    }

    @Test
    void servesFilesWithTypesAndCachePolicy() throws IOException {
        WebApp app = app();
        Asset js = app.resolve("/js/app.js").orElseThrow();
        assertEquals("text/javascript; charset=utf-8", js.contentType());
        assertEquals("no-cache", js.cacheControl());
        assertTrue(js.etag().startsWith("\"") && js.etag().endsWith("\""));
        Asset vendor = app.resolve("/vendor/hls.js-1.0.0/dist/hls.min.js").orElseThrow();
        assertEquals("public, max-age=31536000, immutable", vendor.cacheControl());
        assertEquals("text/html; charset=utf-8", app.resolve("/").orElseThrow().contentType());
        assertEquals("js/app.js", app.resolve("/js/app.js?v=2#x").orElseThrow().path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/title/42", "/watch/42/7", "/login", "/search", "/watch/direct", "/admin",
            "/verify-email", "/reset-password"})
    void appRoutesAnswerTheShell(String path) throws IOException {
        WebApp app = app();
        assertSame(app.assets().get("index.html"), app.resolve(path).orElseThrow(), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/titles", "/api", "/api/", "/nope", "/title/x.js", "/js/missing.js",
            "/../outside.txt", "/js/../../outside.txt", "/%2e%2e/outside.txt", "/js/%2e%2e/app.js", "/.secret",
            "//etc/passwd", "/js//app.js", "/js/./app.js", "/js\\app.js", "relative", "", "/metrics", "/health"})
    void everythingElseIsNotTheApps(String path) throws IOException {
        assertEquals(Optional.empty(), app().resolve(path), path);
    }

    @Test
    void nullPathIsNotTheApps() throws IOException {
        assertEquals(Optional.empty(), app().resolve(null));
    }

    @Test
    void hiddenFilesAndFilesOutsideAreNeverIndexed() throws IOException {
        WebApp app = app();
        assertFalse(app.assets().containsKey(".secret"));
        assertTrue(app.paths().stream().noneMatch(p -> p.contains("..") || p.startsWith("/") || p.contains("outside")));
    }

    @Test
    void symbolicLinksAreNotFollowed() throws IOException {
        app();
        try {
            Files.createSymbolicLink(dir.resolve("link.txt"), dir.getParent().resolve("outside.txt"));
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symlinks on this file system
        }
        assertFalse(WebApp.fromDirectory(dir).assets().containsKey("link.txt"));
    }

    @Test
    void conditionalGetGzipHeadAndMethods() throws IOException {
        WebApp app = app();
        WebApp.Reply r = app.respond("GET", "/title/1", null, "gzip, deflate, br");
        assertEquals(200, r.status());
        assertEquals("gzip", r.headers().get("Content-Encoding"));
        assertEquals("Accept-Encoding", r.headers().get("Vary"));
        assertEquals(WebApp.CONTENT_SECURITY_POLICY, r.headers().get("Content-Security-Policy"));
        assertEquals("no-referrer", r.headers().get("Referrer-Policy"));
        assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
        assertArrayEquals(app.assets().get("index.html").body(), new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes());
        assertEquals(Integer.toString(r.body().length), r.headers().get("Content-Length"));

        WebApp.Reply plain = app.respond("GET", "/", null, "gzip;q=0, identity");
        assertNull(plain.headers().get("Content-Encoding"));
        assertArrayEquals(app.assets().get("index.html").body(), plain.body());

        String etag = r.headers().get("ETag");
        WebApp.Reply notModified = app.respond("GET", "/", "\"other\", " + etag, null);
        assertEquals(304, notModified.status());
        assertEquals(0, notModified.body().length);
        assertEquals(304, app.respond("GET", "/", "W/" + etag, null).status());
        assertEquals(200, app.respond("GET", "/", "\"stale\"", null).status());

        WebApp.Reply head = app.respond("HEAD", "/js/app.js", null, null);
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
        assertEquals("20", head.headers().get("Content-Length"));
        assertNull(head.headers().get("Content-Security-Policy"), "only the HTML shell carries the document policy");

        WebApp.Reply post = app.respond("POST", "/login", null, null);
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().get("Allow"));
        assertNull(app.respond("POST", "/api/v1/auth/login", null, null), "API requests are not the web app's");
    }

    @Test
    void nettyHandlerAnswersTheAppAndPassesTheApiOn() throws IOException {
        EmbeddedChannel ch = new EmbeddedChannel(new WebAppHandler(app()));
        try {
            ch.writeInbound(request(HttpMethod.GET, "/title/5"));
            FullHttpResponse resp = ch.readOutbound();
            assertEquals(200, resp.status().code());
            assertEquals("text/html; charset=utf-8", resp.headers().get(HttpHeaderNames.CONTENT_TYPE));
            assertTrue(resp.content().toString(StandardCharsets.UTF_8).startsWith("<!doctype html>"));
            resp.release();

            FullHttpRequest api = request(HttpMethod.GET, "/api/v1/titles");
            ch.writeInbound(api);
            FullHttpRequest passed = ch.readInbound();
            assertSame(api, passed, "the API's request goes on to the next handler untouched");
            assertEquals(1, passed.refCnt());
            passed.release();
            assertNull(ch.readOutbound());

            FullHttpRequest unknown = request(HttpMethod.GET, "/nope");
            ch.writeInbound(unknown);
            FullHttpRequest passedOn = ch.readInbound();
            assertNotNull(passedOn);
            passedOn.release();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void nettyHandlerReleasesWhatItAnswers() throws IOException {
        EmbeddedChannel ch = new EmbeddedChannel(new WebAppHandler(app()));
        FullHttpRequest req = request(HttpMethod.HEAD, "/js/app.js");
        ch.writeInbound(req);
        assertEquals(0, req.refCnt());
        FullHttpResponse resp = ch.readOutbound();
        assertEquals(0, resp.content().readableBytes());
        assertEquals("20", resp.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        resp.release();
        ch.finishAndReleaseAll();
    }

    /** The build packages web/ and both player libraries under kino-web/ on the classpath. */
    @Test
    void packagedAppHasTheShellAndThePlayerLibrariesTheAppLoads() {
        WebApp app = WebApp.fromClasspath();
        assertTrue(app.assets().containsKey("index.html"));
        assertTrue(app.assets().containsKey("js/app.js"));
        assertTrue(app.assets().containsKey("js/api.js"));
        String vendorJs = new String(app.assets().get("js/player/vendor.js").body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("'/(vendor/[^']+)'").matcher(vendorJs);
        int found = 0;
        while (m.find()) {
            found++;
            Asset lib = app.assets().get(m.group(1));
            assertNotNull(lib, m.group(1) + " is referenced by web/js/player/vendor.js but not packaged "
                    + "(versions in control-api/pom.xml and vendor.js differ?)");
            assertTrue(lib.body().length > 100_000, m.group(1));
            assertEquals("public, max-age=31536000, immutable", lib.cacheControl());
        }
        assertEquals(2, found, "hls.js and Shaka");
        assertTrue(app.paths().stream().anyMatch(p -> p.startsWith("vendor/hls.js-") && p.endsWith("/LICENSE")));
        assertTrue(app.paths().stream().anyMatch(p -> p.startsWith("vendor/shaka-player-") && p.endsWith("/LICENSE")));
    }

    /** Every module the shell and the views import exists (a typo would only show in a browser). */
    @Test
    void everyImportedModuleIsPackaged() {
        WebApp app = WebApp.fromClasspath();
        Pattern imp = Pattern.compile("(?:from\\s+|import\\()\\s*'(\\.{1,2}/[^']+)'");
        for (String p : app.paths()) {
            if (!p.startsWith("js/")) {
                continue;
            }
            Matcher m = imp.matcher(new String(app.assets().get(p).body(), StandardCharsets.UTF_8));
            while (m.find()) {
                String target = Path.of(p).resolveSibling(m.group(1)).normalize().toString().replace('\\', '/');
                assertTrue(app.assets().containsKey(target), p + " imports " + m.group(1) + " (" + target + ") which is missing");
            }
        }
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.buffer(0));
        r.headers().set(HttpHeaderNames.HOST, "localhost");
        return r;
    }
}
