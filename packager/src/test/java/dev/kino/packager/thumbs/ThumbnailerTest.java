package dev.kino.packager.thumbs;

import dev.kino.packager.source.Ffmpeg;
import dev.kino.packager.subtitle.WebVtt;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.junit.jupiter.api.Assertions.*;

class ThumbnailerTest {
    @TempDir
    Path dir;

    /** A 320x180 (or given) yuv420p frame, grey level {@code luma}. */
    private static AVFrame frame(int w, int h, int luma) {
        Ffmpeg.init();
        AVFrame f = av_frame_alloc();
        f.format(AV_PIX_FMT_YUV420P);
        f.width(w);
        f.height(h);
        assertTrue(av_frame_get_buffer(f, 0) >= 0);
        Pointer.memset(f.data(0), luma, (long) f.linesize(0) * h);
        Pointer.memset(f.data(1), 128, (long) f.linesize(1) * h / 2);
        Pointer.memset(f.data(2), 128, (long) f.linesize(2) * h / 2);
        return f;
    }

    @Test
    void intervalKeepsAbout200Tiles() {
        assertEquals(2, Thumbnailer.intervalSeconds(3));
        assertEquals(2, Thumbnailer.intervalSeconds(400));
        assertEquals(3, Thumbnailer.intervalSeconds(401));
        assertEquals(36, Thumbnailer.intervalSeconds(7200));
    }

    @Test
    void sheetsCuesAndNonBlackPoster() throws Exception {
        // 500 s at one frame per second: 3 s interval, 167 tiles, sheets of 100 + 67 (7 rows)
        Thumbnailer t = new Thumbnailer(dir, 500, "t");
        AVFrame black = frame(320, 180, 16);
        AVFrame grey = frame(320, 180, 150);
        try {
            for (int s = 0; s < 500; s++) {
                // black until 60 s: the poster target (50 s) is black, so the poster is the first frame after it
                t.frame(s < 60 ? black : grey, s * 90_000L);
            }
            t.end(500 * 90_000L);
        } finally {
            t.close();
            av_frame_free(black);
            av_frame_free(grey);
        }
        Thumbnails r = t.result();
        assertEquals(3.0, r.intervalSeconds());
        assertEquals(160, r.tileWidth());
        assertEquals(90, r.tileHeight());
        assertEquals(List.of("thumbs-001.jpg", "thumbs-002.jpg"), r.sheets());
        assertArrayEquals(new int[]{1600, 900}, Jpeg.size(Files.readAllBytes(dir.resolve("thumbs-001.jpg"))));
        assertArrayEquals(new int[]{1600, 630}, Jpeg.size(Files.readAllBytes(dir.resolve("thumbs-002.jpg"))));
        assertEquals(60.0, r.posterSeconds());
        assertEquals(320, r.posterWidth());
        assertArrayEquals(new int[]{320, 180}, Jpeg.size(Files.readAllBytes(dir.resolve("poster.jpg"))));

        List<WebVtt.ParsedCue> cues = WebVtt.parse(Files.readString(dir.resolve("thumbnails.vtt")));
        assertEquals(167, cues.size());
        assertEquals(new WebVtt.ParsedCue(0, 3000, "thumbs-001.jpg#xywh=0,0,160,90"), cues.get(0));
        assertEquals(new WebVtt.ParsedCue(33_000, 36_000, "thumbs-001.jpg#xywh=160,90,160,90"), cues.get(11));
        assertEquals(new WebVtt.ParsedCue(300_000, 303_000, "thumbs-002.jpg#xywh=0,0,160,90"), cues.get(100));
        assertEquals(new WebVtt.ParsedCue(498_000, 500_000, "thumbs-002.jpg#xywh=960,540,160,90"), cues.get(166));
        long at = 0;
        for (WebVtt.ParsedCue c : cues) {
            assertEquals(at, c.startMs());
            at = c.endMs();
        }
        assertEquals(500_000, at);
        assertTrue(Files.readString(dir.resolve("thumbnails.vtt")).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n"));
    }

    @Test
    void portraitAndAnamorphicKeepDisplayAspect() throws Exception {
        Thumbnailer t = new Thumbnailer(dir, 4, "t");
        AVFrame f = frame(180, 320, 120);
        try {
            t.frame(f, 0);
            t.frame(f, 2 * 90_000L);
            t.end(4 * 90_000L);
        } finally {
            t.close();
            av_frame_free(f);
        }
        Thumbnails r = t.result();
        assertEquals(160, r.tileWidth());
        assertEquals(284, r.tileHeight());
        assertEquals(List.of("thumbs-001.jpg"), r.sheets());
        assertArrayEquals(new int[]{320, 284}, Jpeg.size(Files.readAllBytes(dir.resolve("thumbs-001.jpg"))),
                "a single-row sheet is only as wide as its tiles");
        assertEquals(180, r.posterWidth());
        assertEquals(320, r.posterHeight());

        Path d2 = Files.createDirectory(dir.resolve("sar"));
        Thumbnailer a = new Thumbnailer(d2, 2, "a");
        AVFrame g = frame(720, 576, 120);
        g.sample_aspect_ratio(av_make_q(64, 45)); // PAL 16:9 anamorphic: displays 1024x576
        try {
            a.frame(g, 0);
            a.end(90_000L);
        } finally {
            a.close();
            av_frame_free(g);
        }
        assertEquals(90, a.result().tileHeight());
        assertEquals(1024, a.result().posterWidth());
        assertEquals(576, a.result().posterHeight());
    }
}
