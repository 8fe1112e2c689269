package dev.kino.media.file;

import dev.kino.media.MediaException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MediaPathTest {
    @Test
    void parsesAndCanonicalises() {
        MediaPath p = MediaPath.parse("/t1/video-720p/seg-00001.m4s");
        assertEquals("t1", p.title().value());
        assertEquals(List.of("video-720p", "seg-00001.m4s"), p.segments());
        assertEquals("seg-00001.m4s", p.fileName());
        // Unreserved characters may be percent-encoded; decoding happens once.
        assertEquals("/t1/master.m3u8", MediaPath.parse("/t1/%6Daster.m3u8").canonical());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t1/../t2/master.m3u8", "/t1/%2e%2e/t2/master.m3u8", "/t1/%2E./x.m3u8",
            "/t1/./master.m3u8", "/t1/%2e/master.m3u8", "/t1/video-720p%2Fseg.m4s", "/t1/video-720p%2fseg.m4s",
            "/t1/video%5Cseg.m4s", "/t1/a%00.m3u8", "/t1/a\u0000.m3u8", "/t1/video\\seg.m4s", "/t1//master.m3u8",
            "/t1/%zz.m3u8", "/t1/a%2", "/t1/a%", "/t1/%C0%AE%C0%AE/x.m3u8", "/t1/%FF.m3u8", "/t1/\u00e9.m3u8",
            "t1/master.m3u8", "/.."})
    void rejectsUnsafeInputWith400(String raw) {
        assertEquals(400, assertThrows(MediaException.class, () -> MediaPath.parse(raw)).status(), raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t1/%252e%252e/master.m3u8", "/t1/%252e%252e%252fmaster.m3u8", "/t1/.hidden.m3u8",
            "/t1/", "/", "/t1", "/-t1/master.m3u8", "/t1/a/b/c/d.m4s", "/t1/%c3%a9.m3u8", "/t1/_x.m3u8",
            "/t1/a:b.m3u8", "/t1/a b.m3u8"})
    void pathsOutsideTheGrammarAre404(String raw) {
        assertEquals(404, assertThrows(MediaException.class, () -> MediaPath.parse(raw)).status(), raw);
    }

    @Test
    void overlongSegmentIs404() {
        String raw = "/t1/" + "a".repeat(129) + ".m4s";
        assertEquals(404, assertThrows(MediaException.class, () -> MediaPath.parse(raw)).status());
    }
}
