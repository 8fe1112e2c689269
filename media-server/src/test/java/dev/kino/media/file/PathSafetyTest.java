package dev.kino.media.file;

import dev.kino.media.MediaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every traversal vector against a real server, sent raw so no client normalises it first. */
class PathSafetyTest {
    @TempDir
    static Path root;
    @TempDir
    static Path outside;
    static MediaFixture m;

    @BeforeAll
    static void start() throws IOException {
        m = MediaFixture.start(root);
        Files.writeString(outside.resolve("secret.m3u8"), "#EXTM3U secret");
        Files.createSymbolicLink(root.resolve("t1/escape.m3u8"), outside.resolve("secret.m3u8"));
        Files.createSymbolicLink(root.resolve("t1/linkdir"), outside);
        Files.createSymbolicLink(root.resolve("t1/alias.m3u8"), root.resolve("t1/master.m3u8"));
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static int status(String rawPath) throws IOException {
        String out = m.raw("GET " + rawPath + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 "), out);
        return Integer.parseInt(out.substring(9, 12));
    }

    @Test
    void traversalVectors() throws IOException {
        String base = "/v/" + m.token("t1") + "/t1/";
        Map<String, Integer> cases = Map.ofEntries(
                Map.entry("../t2/master.m3u8", 400),
                Map.entry("%2e%2e/t2/master.m3u8", 400),
                Map.entry("%2E%2E/%2E%2E/etc/passwd", 400),
                Map.entry("./master.m3u8", 400),
                Map.entry("video-720p%2Fseg-00001.m4s", 400),
                Map.entry("video-720p%5Cseg-00001.m4s", 400),
                Map.entry("video-720p\\seg-00001.m4s", 400),
                Map.entry("master.m3u8%00.jpg", 400),
                Map.entry("/master.m3u8", 400),
                Map.entry("%zz.m3u8", 400),
                Map.entry("master.m3u8%", 400),
                Map.entry("%C0%AE%C0%AE/master.m3u8", 400),
                Map.entry("%252e%252e/t2/master.m3u8", 404),
                Map.entry("%252e%252e%252ft2%252fmaster.m3u8", 404),
                Map.entry(".hidden.m3u8", 404),
                Map.entry("", 404),
                Map.entry("video-720p/", 404),
                Map.entry("a/b/c/d.m4s", 404),
                Map.entry("escape.m3u8", 404),
                Map.entry("linkdir/secret.m3u8", 404),
                Map.entry("keys.wrapped.json", 404));
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            assertEquals(c.getValue(), status(base + c.getKey()), c.getKey());
        }
        // A title segment that is not a title id, and a token that grants t1 used with "..": still 400/404.
        assertEquals(400, status("/v/" + m.token("t1") + "/../t1/master.m3u8"));
        assertEquals(404, status("/v/" + m.token("t1") + "/%252e%252e/master.m3u8"));
    }

    @Test
    void symlinkInsideTheRootIsServed() throws IOException {
        assertEquals(200, status("/v/" + m.token("t1") + "/t1/alias.m3u8"));
        // The token ACL is matched against the path as received (TOKENS.md §5), as a CDN edge would:
        // a path that needs decoding is refused even when it decodes to a granted file.
        assertEquals(403, status("/v/" + m.token("t1") + "/t1/%6Daster.m3u8"));
    }
}
