package dev.kino.packager.source;

import dev.kino.packager.Clips;
import dev.kino.packager.PackagingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SourceProbeTest {
    @TempDir
    Path tmp;

    @Test
    void probesMp4() {
        MediaInfo info = SourceProbe.probe(Clips.mp4());
        assertEquals(1, info.video().size());
        VideoStreamInfo v = info.video().get(0);
        assertEquals("h264", v.codec());
        assertEquals(640, v.width());
        assertEquals(360, v.height());
        assertEquals(0, v.rotation());
        assertFalse(v.portrait());
        assertEquals(25.0, v.frameRate().fps(), 0.01);
        assertEquals(1, info.audio().size());
        assertEquals("aac", info.audio().get(0).codec());
        assertEquals(1, info.audio().get(0).channels());
        assertEquals(3.0, info.durationSeconds(), 0.2);
    }

    @Test
    void probesMkvWithTwoLanguages() {
        MediaInfo info = SourceProbe.probe(Clips.mkvTwoLanguages());
        assertTrue(info.container().contains("matroska"));
        assertEquals(2, info.audio().size());
        assertEquals("eng", info.audio().get(0).language());
        assertEquals("fre", info.audio().get(1).language());
    }

    @Test
    void probesMpegTs() {
        MediaInfo info = SourceProbe.probe(Clips.mpegts());
        assertEquals("mpegts", info.container());
        assertEquals(1, info.video().size());
        assertEquals(1, info.audio().size());
        assertEquals(25.0, info.video().get(0).frameRate().fps(), 0.01);
    }

    @Test
    void probesWebm() {
        MediaInfo info = SourceProbe.probe(Clips.webm());
        assertEquals("vp9", info.video().get(0).codec());
        assertEquals("opus", info.audio().get(0).codec());
    }

    @Test
    void probesPortraitAndRotation() {
        VideoStreamInfo p = SourceProbe.probe(Clips.portrait()).video().get(0);
        assertTrue(p.portrait());
        assertEquals(180, p.displayWidth());
        VideoStreamInfo r = SourceProbe.probe(Clips.rotated()).video().get(0);
        assertEquals(90, r.rotation() % 180);
        assertEquals(320, r.width());
        assertEquals(180, r.displayWidth());
        assertEquals(320, r.displayHeight());
        assertTrue(r.portrait());
    }

    @Test
    void probes50fps() {
        VideoStreamInfo v = SourceProbe.probe(Clips.fps50()).video().get(0);
        assertEquals(50.0, v.frameRate().fps(), 0.01);
    }

    private void assertBad(Path file, String expectedFragment) {
        PackagingException e = assertThrows(PackagingException.class, () -> SourceProbe.probe(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    }

    @Test
    void missingFile() {
        assertBad(tmp.resolve("nope.mp4"), "no such file");
    }

    @Test
    void emptyFile() throws Exception {
        assertBad(Files.createFile(tmp.resolve("empty.mp4")), "empty");
    }

    @Test
    void textFile() throws Exception {
        Path p = tmp.resolve("notes.mp4");
        Files.writeString(p, "These are not the frames you are looking for.\n".repeat(50), StandardCharsets.UTF_8);
        assertBad(p, "not a media file");
    }

    @Test
    void randomBytes() throws Exception {
        byte[] b = new byte[64 * 1024];
        new Random(42).nextBytes(b);
        Path p = Files.write(tmp.resolve("random.bin"), b);
        assertBad(p, "not a media file");
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] all = Files.readAllBytes(Clips.mp4());
        Path p = Files.write(tmp.resolve("truncated.mp4"), Arrays.copyOf(all, all.length / 2));
        assertBad(p, "truncated");
    }

    @Test
    void noVideoNoAudio() throws Exception {
        Path p = tmp.resolve("subs.srt");
        Files.writeString(p, "1\n00:00:00,000 --> 00:00:01,000\nHello\n\n2\n00:00:01,500 --> 00:00:02,000\nWorld\n");
        assertBad(p, "no video and no audio");
    }

    @Test
    void undecodableCodec() {
        assertBad(Clips.undecodable(), "no stream this FFmpeg build can decode: video stream 0 (avs2)");
    }
}
